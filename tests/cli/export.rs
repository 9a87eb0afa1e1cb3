//! Graph files and tables as their readers see them: every GEXF and GraphML file is validated
//! with xmllint (GEXF 1.3 RelaxNG, GraphML 1.0 XSD, kept in tests/schemas) and loaded with
//! networkx, python-igraph and graphology (scripts in tests/cli/readers/), checking counts,
//! attribute types and values; the size guard, the layout, dynamic spells, the bipartite graph
//! and hostile account names go through the whole pipeline.

use crate::common::{farm_csv, lockstep, logical_time_csv, write};
use crate::tools;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn detect(input: &Path, out: &Path, extra: &[&str]) {
    lockstep()
        .arg("detect")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(extra)
        .assert()
        .success();
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn manifest(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Validators and readers

fn validate(path: &Path) -> bool {
    let Some(xmllint) = tools::program("xmllint") else {
        return false;
    };
    let gexf = path.extension().is_some_and(|e| e == "gexf");
    // The schemas are kept in the repository: tests/schemas/SOURCE.md.
    let (flag, rel) = if gexf {
        ("--relaxng", "gexf-1.3/gexf.rng")
    } else {
        ("--schema", "graphml-1.0/graphml.xsd")
    };
    let schema = repo().join("tests/schemas").join(rel);
    let out = Command::new(xmllint)
        .args(["--noout", "--nonet", flag])
        .arg(&schema)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} does not validate against {}:\n{}",
        path.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

fn run_reader(program: &str, script: &str, path: &Path) -> Value {
    let out = Command::new(program)
        .arg(repo().join("tests/cli/readers").join(script))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script} could not read {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// networkx's view of a GEXF or GraphML file.
fn networkx(path: &Path) -> Option<Value> {
    tools::python_with(&["networkx"]).then(|| run_reader("python3", "networkx_dump.py", path))
}

/// python-igraph's view of a GraphML file.
fn igraph(path: &Path) -> Option<Value> {
    tools::python_with(&["igraph"]).then(|| run_reader("python3", "igraph_dump.py", path))
}

/// graphology's view of a GEXF or GraphML file.
fn graphology(path: &Path) -> Option<Value> {
    tools::node_with(&["graphology", "graphology-gexf", "graphology-graphml"])
        .then(|| run_reader("node", "graphology_dump.js", path))
}

/// A loaded graph: nodes by id, edges, and labels.
struct Loaded {
    nodes: BTreeMap<String, Value>,
    edges: Vec<Value>,
}

impl Loaded {
    fn new(v: &Value) -> Self {
        let nodes = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["id"].as_str().unwrap().to_string(), n.clone()))
            .collect();
        Loaded {
            nodes,
            edges: v["edges"].as_array().unwrap().clone(),
        }
    }
    fn labels(&self) -> BTreeSet<String> {
        self.nodes
            .values()
            .map(|n| n["attrs"]["label"].as_str().unwrap_or("").to_string())
            .collect()
    }
    /// The node with this label.
    fn by_label(&self, label: &str) -> &Value {
        self.nodes
            .values()
            .find(|n| n["attrs"]["label"] == label)
            .unwrap_or_else(|| panic!("no node labelled {label:?}"))
    }
    fn label_of(&self, id: &str) -> String {
        self.nodes[id]["attrs"]["label"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
    /// The edge between the nodes with these labels (either direction).
    fn edge(&self, a: &str, b: &str) -> &Value {
        self.edges
            .iter()
            .find(|e| {
                let (s, t) = (
                    self.label_of(e["source"].as_str().unwrap()),
                    self.label_of(e["target"].as_str().unwrap()),
                );
                (s == a && t == b) || (s == b && t == a)
            })
            .unwrap_or_else(|| panic!("no edge {a} – {b}"))
    }
}

fn attr<'a>(item: &'a Value, name: &str) -> &'a Value {
    &item["attrs"][name]
}

fn ty<'a>(item: &'a Value, name: &str) -> &'a str {
    item["types"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no attribute {name} in {item}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

// ---------------------------------------------------------------------------------------------
// A minimal GEXF reading without external tools (for the size guard)

/// Edges of a GEXF file as (source id, target id, weight).
type EdgeList = Vec<(String, String, f64)>;

/// (node id → label, edges) of a GEXF file, with quick-xml.
fn gexf_edges(path: &Path) -> (HashMap<String, String>, EdgeList) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut labels, mut edges) = (HashMap::new(), Vec::new());
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let get = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .to_string()
                    })
                };
                match e.name().as_ref() {
                    "node" => {
                        labels.insert(get("id").unwrap(), get("label").unwrap_or_default());
                    }
                    "edge" => edges.push((
                        get("source").unwrap(),
                        get("target").unwrap(),
                        get("weight").unwrap().parse().unwrap(),
                    )),
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    (labels, edges)
}

// ---------------------------------------------------------------------------------------------
// The account co-like graph

#[test]
fn account_graph_opens_in_every_reader_with_types_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &[]);
    let (gexf, graphml) = (out.join("graph.gexf"), out.join("graph.graphml"));
    validate(&gexf);
    validate(&graphml);

    let edges_csv = read_csv(&out.join("edges.csv"));
    let b1b2 = edges_csv
        .iter()
        .find(|r| r["source"] == "b1" && r["target"] == "b2")
        .unwrap();
    let weight: f64 = b1b2["weight"].parse().unwrap();
    let qvalue: f64 = b1b2["qvalue"].parse().unwrap();
    let bots: BTreeSet<String> = ["b1", "b2", "b3", "b4"].iter().map(|s| s.to_string()).collect();

    let m = manifest(&out);
    let o = &m["outputs"];
    assert_eq!(o["graph"], "accounts");
    assert_eq!(
        (o["graph_nodes"].as_u64(), o["graph_edges"].as_u64()),
        (Some(4), Some(6))
    );
    assert_eq!(o["pruning"]["edges_before"], 6);
    assert_eq!(o["pruning"]["flagged_edges"], 6);
    assert_eq!(o["layout"]["iterations"], 600);
    assert!(o["dynamic"].is_null());

    if let Some(v) = networkx(&gexf) {
        let g = Loaded::new(&v);
        assert_eq!(v["directed"], false);
        assert_eq!((g.nodes.len(), g.edges.len()), (4, 6));
        assert_eq!(g.labels(), bots);
        let b1 = g.by_label("b1");
        for (name, t) in [
            ("cluster", "int"),
            ("cluster_type", "str"),
            ("flagged", "bool"),
            ("score", "float"),
            ("likes", "int"),
            ("block_likes", "int"),
            ("partners", "int"),
            ("min_qvalue", "float"),
            ("first_like", "str"),
        ] {
            assert_eq!(ty(b1, name), t, "{name}");
        }
        assert_eq!(attr(b1, "cluster"), 1);
        assert_eq!(attr(b1, "cluster_type"), "bot_farm");
        assert_eq!(attr(b1, "flagged"), true);
        assert_eq!(attr(b1, "likes"), 6);
        assert_eq!(attr(b1, "partners"), 3);
        assert_eq!(attr(b1, "first_like"), "2023-11-14T22:13:20Z");
        assert_eq!(attr(b1, "last_like"), "2023-11-19T22:13:20Z");
        let score = num(attr(b1, "score"));
        assert!((0.5..=1.0).contains(&score), "{score}");
        let viz = attr(b1, "viz");
        assert_eq!(
            (&viz["color"]["r"], &viz["color"]["g"], &viz["color"]["b"]),
            (&Value::from(238), &Value::from(119), &Value::from(51))
        );
        assert!((num(&viz["size"]) - (4.0 + 16.0 * score)).abs() < 0.01);
        assert!(viz["position"]["x"].is_f64() && viz["position"]["y"].is_f64());
        let e = g.edge("b1", "b2");
        assert_eq!(ty(e, "colikes"), "int");
        assert_eq!(attr(e, "colikes"), 6);
        assert_eq!(ty(e, "weight"), "float");
        assert!((num(attr(e, "weight")) - weight).abs() < 1e-12);
        assert!((num(attr(e, "qvalue")) - qvalue).abs() <= 1e-12 * qvalue.abs().max(1.0));
        assert_eq!(ty(e, "flagged"), "bool");
        assert_eq!(attr(e, "flagged"), true);
        assert_eq!(attr(e, "cluster"), 1);
        assert_eq!(attr(e, "median_dt"), 10.0);
        assert_eq!(attr(e, "source_first"), 6);
    }
    if let Some(v) = networkx(&graphml) {
        let g = Loaded::new(&v);
        assert_eq!((g.nodes.len(), g.edges.len()), (4, 6));
        assert_eq!(g.labels(), bots);
        let b1 = g.by_label("b1");
        assert_eq!(
            (ty(b1, "cluster"), ty(b1, "flagged"), ty(b1, "score")),
            ("int", "bool", "float")
        );
        assert_eq!(
            (attr(b1, "r"), attr(b1, "g"), attr(b1, "b")),
            (&Value::from(238), &Value::from(119), &Value::from(51))
        );
        assert_eq!(
            (ty(b1, "x"), ty(b1, "y"), ty(b1, "size")),
            ("float", "float", "float")
        );
        assert_eq!(attr(b1, "cluster_type"), "bot_farm");
        let e = g.edge("b1", "b2");
        assert_eq!((ty(e, "colikes"), ty(e, "weight")), ("int", "float"));
        assert!((num(attr(e, "weight")) - weight).abs() < 1e-12);
    }
    if let Some(v) = igraph(&graphml) {
        let g = Loaded::new(&v);
        assert_eq!((g.nodes.len(), g.edges.len()), (4, 6));
        assert_eq!(g.labels(), bots);
        let b1 = g.by_label("b1");
        // igraph reads every numeric GraphML type as a float (a known quirk).
        assert_eq!((ty(b1, "cluster"), ty(b1, "flagged")), ("float", "bool"));
        assert_eq!(num(attr(b1, "cluster")), 1.0);
        assert_eq!(num(attr(b1, "likes")), 6.0);
        let e = g.edge("b3", "b4");
        assert_eq!(num(attr(e, "colikes")), 6.0);
        assert_eq!(attr(e, "flagged"), true);
    }
    for (path, color) in [(&gexf, "rgb(238,119,51)"), (&graphml, "#ee7733")] {
        if let Some(v) = graphology(path) {
            let g = Loaded::new(&v);
            assert_eq!((g.nodes.len(), g.edges.len()), (4, 6), "{}", path.display());
            assert_eq!(g.labels(), bots);
            let b1 = g.by_label("b1");
            assert_eq!(attr(b1, "color"), color);
            assert_eq!(
                (ty(b1, "cluster"), ty(b1, "flagged"), ty(b1, "x")),
                ("number", "boolean", "number")
            );
            assert_eq!(attr(b1, "cluster"), 1);
            assert_eq!(attr(b1, "cluster_type"), "bot_farm");
            let e = g.edge("b2", "b4");
            assert_eq!(attr(e, "colikes"), 6);
            assert_eq!(attr(e, "flagged"), true);
        }
    }
}

#[test]
fn several_windows_give_typed_per_window_counts() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &["--window", "1h,15s"]);
    validate(&out.join("graph.gexf"));
    validate(&out.join("graph.graphml"));
    let text = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert!(text.contains("title=\"colikes_15s\" type=\"long\""));
    assert!(text.contains("title=\"colikes_1h\" type=\"long\""));
    if let Some(v) = networkx(&out.join("graph.graphml")) {
        let g = Loaded::new(&v);
        // b1 and b4 like 30 s apart: six co-likes within 1 h (the primary window), none within
        // 15 s; b1 and b2 are 10 s apart.
        let e = g.edge("b1", "b4");
        assert_eq!(
            (attr(e, "colikes_15s"), attr(e, "colikes_1h")),
            (&Value::from(0), &Value::from(6))
        );
        assert_eq!(ty(e, "colikes_15s"), "int");
        let e = g.edge("b1", "b2");
        assert_eq!(attr(e, "colikes_15s"), 6);
    }
}

// ---------------------------------------------------------------------------------------------
// The bipartite block graph

#[test]
fn bipartite_graph_holds_the_farm_block() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &["--graph", "bipartite"]);
    let (gexf, graphml) = (out.join("graph.gexf"), out.join("graph.graphml"));
    validate(&gexf);
    validate(&graphml);
    let m = manifest(&out);
    assert_eq!(m["outputs"]["graph"], "bipartite");
    assert_eq!(
        (
            m["outputs"]["graph_nodes"].as_u64(),
            m["outputs"]["graph_edges"].as_u64()
        ),
        (Some(10), Some(24))
    );
    assert_eq!(m["outputs"]["pruning"]["dropped_by_max_edges"], 0);

    let posts: BTreeSet<String> = (1..=6).map(|k| format!("p{k}")).collect();
    for (path, reader) in [
        (&gexf, "networkx"),
        (&graphml, "networkx"),
        (&gexf, "graphology"),
        (&graphml, "graphology"),
    ] {
        let Some(v) = (if reader == "networkx" {
            networkx(path)
        } else {
            graphology(path)
        }) else {
            continue;
        };
        let g = Loaded::new(&v);
        let what = format!("{reader} {}", path.display());
        assert_eq!((g.nodes.len(), g.edges.len()), (10, 24), "{what}");
        let kinds: BTreeMap<String, String> = g
            .nodes
            .values()
            .map(|n| {
                (
                    n["attrs"]["label"].as_str().unwrap().to_string(),
                    n["attrs"]["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for b in ["b1", "b2", "b3", "b4"] {
            assert_eq!(kinds[b], "account", "{what}");
        }
        for p in &posts {
            assert_eq!(kinds[p], "post", "{what}");
        }
        let p1 = g.by_label("p1");
        assert_eq!(attr(p1, "author"), "author0", "{what}");
        assert_eq!(attr(p1, "likes"), 7, "{what}");
        assert_eq!(attr(p1, "flagged_likes"), 4, "{what}");
        assert_eq!(attr(p1, "cluster"), 1, "{what}");
        assert!(attr(p1, "score").is_null(), "{what}: posts have no score");
        let b2 = g.by_label("b2");
        assert_eq!(attr(b2, "cluster_type"), "bot_farm", "{what}");
        assert!(attr(b2, "author").is_null(), "{what}");
        // Every edge joins an account and a post; b2 liked p1 10 s after b1.
        for e in &g.edges {
            let (s, t) = (
                g.label_of(e["source"].as_str().unwrap()),
                g.label_of(e["target"].as_str().unwrap()),
            );
            assert_ne!(kinds[&s], kinds[&t], "{what}");
        }
        let e = g.edge("b2", "p1");
        assert_eq!(attr(e, "time"), "2023-11-14T22:13:30Z", "{what}");
        assert_eq!(num(attr(e, "delay")), 10.0, "{what}");
        assert_eq!(num(attr(e, "weight")), 1.0, "{what}");
    }
    if let Some(v) = igraph(&graphml) {
        let g = Loaded::new(&v);
        assert_eq!((g.nodes.len(), g.edges.len()), (10, 24));
        assert_eq!(attr(g.by_label("p3"), "kind"), "post");
        assert_eq!(num(attr(g.by_label("p3"), "likes")), 7.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Dynamic mode

#[test]
fn dynamic_mode_replays_the_bursts() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &["--dynamic"]);
    let gexf = out.join("graph.gexf");
    validate(&gexf);
    validate(&out.join("graph.graphml"));
    let text = std::fs::read_to_string(&gexf).unwrap();
    assert!(text.contains("mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\""));
    let m = manifest(&out);
    assert_eq!(m["outputs"]["dynamic"]["timeformat"], "date");
    // 4 nodes with one spell each; 6 pairs × 6 posts, bursts a day apart never overlap.
    assert_eq!(m["outputs"]["dynamic"]["node_spells"], 4);
    assert_eq!(m["outputs"]["dynamic"]["edge_spells"], 36);
    if let Some(v) = networkx(&gexf) {
        let g = Loaded::new(&v);
        assert_eq!(v["graph"]["mode"], "dynamic");
        assert_eq!(
            attr(g.by_label("b1"), "spells"),
            &serde_json::json!([["2023-11-14T22:13:20Z", "2023-11-19T22:13:20Z"]])
        );
        // b1 likes each post at T0 + k days, b4 30 s later.
        let spells = attr(g.edge("b1", "b4"), "spells").as_array().unwrap().clone();
        assert_eq!(spells.len(), 6);
        assert_eq!(
            spells[0],
            serde_json::json!(["2023-11-14T22:13:20Z", "2023-11-14T22:13:50Z"])
        );
        assert_eq!(
            spells[5],
            serde_json::json!(["2023-11-19T22:13:20Z", "2023-11-19T22:13:50Z"])
        );
    }
    if let Some(v) = graphology(&gexf) {
        assert_eq!(Loaded::new(&v).edges.len(), 6);
    }

    // The block graph: one spell per like, at its time.
    let out2 = dir.path().join("out2");
    detect(&input, &out2, &["--dynamic", "--graph", "bipartite"]);
    validate(&out2.join("graph.gexf"));
    if let Some(v) = networkx(&out2.join("graph.gexf")) {
        let g = Loaded::new(&v);
        assert_eq!(
            attr(g.edge("b3", "p2"), "spells"),
            &serde_json::json!([["2023-11-15T22:13:40Z", "2023-11-15T22:13:40Z"]])
        );
        assert_eq!(
            attr(g.by_label("p2"), "spells"),
            &serde_json::json!([["2023-11-15T22:13:20Z", "2023-11-16T06:13:20Z"]])
        );
    }
}

#[test]
fn dynamic_mode_in_logical_time_uses_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", logical_time_csv());
    let out = dir.path().join("out");
    detect(
        &input,
        &out,
        &["--window", "2", "--min-colikes", "3", "--dynamic"],
    );
    let gexf = out.join("graph.gexf");
    validate(&gexf);
    assert!(
        std::fs::read_to_string(&gexf)
            .unwrap()
            .contains("timeformat=\"double\"")
    );
    if let Some(v) = networkx(&gexf) {
        let g = Loaded::new(&v);
        // On each post o_k is position 0, then b1, b2, b3 at 1, 2, 3.
        assert_eq!(attr(g.by_label("b1"), "spells"), &serde_json::json!([[1.0, 1.0]]));
        assert_eq!(
            attr(g.edge("b1", "b3"), "spells"),
            &serde_json::json!([[1.0, 3.0]])
        );
        assert_eq!(attr(g.by_label("b2"), "first_like"), "2");
    }
}

// ---------------------------------------------------------------------------------------------
// Size guards

struct SampleRun {
    /// Unordered account pair → (weight, inside a flagged cluster).
    pairs: HashMap<(String, String), (f64, bool)>,
    /// Graph edges as unordered label pairs.
    graph: Vec<(String, String)>,
    pruning: Value,
}

fn key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// A synthetic world (28 k likes) with planted farms, pods and organic look-alikes.
fn synthetic_world(dir: &Path) -> PathBuf {
    let world = dir.join("world");
    lockstep()
        .args([
            "synth", "--preset", "small", "--scale", "0.3", "--seed", "1", "-q", "--out",
        ])
        .arg(&world)
        .assert()
        .success();
    world.join("likes.csv")
}

fn sample_run(input: &Path, dir: &Path, name: &str, extra: &[&str]) -> SampleRun {
    let out = dir.join(name);
    let mut args = vec!["--no-layout"];
    args.extend_from_slice(extra);
    detect(input, &out, &args);
    let flagged: BTreeSet<String> = read_csv(&out.join("clusters.csv"))
        .into_iter()
        .filter(|c| c["flagged"] == "true")
        .map(|c| c["cluster_id"].clone())
        .collect();
    let pairs = read_csv(&out.join("edges.csv"))
        .into_iter()
        .map(|r| {
            (
                key(&r["source"], &r["target"]),
                (r["weight"].parse().unwrap(), flagged.contains(&r["cluster_id"])),
            )
        })
        .collect();
    let (labels, edges) = gexf_edges(&out.join("graph.gexf"));
    let graph = edges
        .iter()
        .map(|(s, t, _)| key(&labels[s], &labels[t]))
        .collect();
    SampleRun {
        pairs,
        graph,
        pruning: manifest(&out)["outputs"]["pruning"].clone(),
    }
}

#[test]
fn size_guard_keeps_flagged_clusters_and_strongest_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic_world(dir.path());

    // No limits: every significant pair.
    let all = sample_run(
        &input,
        dir.path(),
        "all",
        &["--max-edges", "0", "--top-k-per-node", "0"],
    );
    assert!(all.pairs.len() > 1000, "the world should have many pairs");
    assert_eq!(all.graph.len(), all.pairs.len());
    assert_eq!(all.pruning["edges"], all.pruning["edges_before"]);
    let flagged_total = all.pairs.values().filter(|p| p.1).count();
    assert!(flagged_total > 100 && flagged_total < all.pairs.len());
    assert_eq!(all.pruning["flagged_edges_before"], flagged_total);

    // Top-1 per account: every flagged edge, and each other edge is the strongest non-flagged
    // edge of one of its endpoints.
    let top1 = sample_run(&input, dir.path(), "top1", &["--top-k-per-node", "1"]);
    let graph: BTreeSet<&(String, String)> = top1.graph.iter().collect();
    assert_eq!(graph.len(), top1.graph.len(), "no duplicate edges");
    for (pair, (_, flagged)) in &top1.pairs {
        if *flagged {
            assert!(graph.contains(pair), "flagged edge {pair:?} dropped");
        }
    }
    let mut best: HashMap<&str, f64> = HashMap::new();
    for ((a, b), (w, flagged)) in &top1.pairs {
        if !flagged {
            for x in [a, b] {
                let e = best.entry(x.as_str()).or_insert(f64::MIN);
                *e = e.max(*w);
            }
        }
    }
    let mut others = 0;
    for pair in &top1.graph {
        let (w, flagged) = top1.pairs[pair];
        if !flagged {
            others += 1;
            assert!(
                w >= best[pair.0.as_str()] || w >= best[pair.1.as_str()],
                "{pair:?} is nobody's strongest"
            );
        }
    }
    assert!(others > 0);
    assert_eq!(top1.pruning["edges"], top1.graph.len());
    assert_eq!(top1.pruning["flagged_edges"], flagged_total);
    assert_eq!(
        top1.pruning["dropped_by_top_k"],
        all.pairs.len() - top1.graph.len()
    );
    assert_eq!(top1.pruning["top_k_per_node"], 1);

    // A budget a little above the flagged edges: all of them, and the rest filled up.
    let budget = flagged_total + 50;
    let filled = sample_run(
        &input,
        dir.path(),
        "filled",
        &["--max-edges", &budget.to_string()],
    );
    assert_eq!(filled.graph.len(), budget);
    assert_eq!(
        filled.graph.iter().filter(|p| filled.pairs[*p].1).count(),
        flagged_total
    );
    let after_top_k =
        filled.pairs.len() - flagged_total - filled.pruning["dropped_by_top_k"].as_u64().unwrap() as usize;
    assert_eq!(filled.pruning["dropped_by_max_edges"], after_top_k - 50);

    // Fewer edges allowed than the flagged clusters have: only their strongest.
    let capped = sample_run(&input, dir.path(), "capped", &["--max-edges", "100"]);
    assert_eq!(capped.graph.len(), 100);
    let kept: BTreeSet<&(String, String)> = capped.graph.iter().collect();
    let weakest_kept = capped
        .graph
        .iter()
        .map(|p| capped.pairs[p].0)
        .fold(f64::MAX, f64::min);
    for (pair, (w, flagged)) in &capped.pairs {
        if kept.contains(pair) {
            assert!(*flagged, "{pair:?} is not in a flagged cluster");
        } else if *flagged {
            assert!(*w <= weakest_kept, "{pair:?} ({w}) dropped for a weaker one");
        }
    }
    assert_eq!(capped.pruning["edges"], 100);
    assert_eq!(capped.pruning["dropped_by_max_edges"], capped.pairs.len() - 100);
}

// ---------------------------------------------------------------------------------------------
// Layout

fn without_positions(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains("viz:position"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn layout_is_seeded_and_optional() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        detect(&input, &out, extra);
        (
            std::fs::read_to_string(out.join("graph.gexf")).unwrap(),
            std::fs::read_to_string(out.join("graph.graphml")).unwrap(),
            manifest(&out),
        )
    };
    let (a, a_ml, m) = run("a", &["--seed", "1"]);
    let (b, b_ml, _) = run("b", &["--seed", "1"]);
    let (c, _, _) = run("c", &["--seed", "2"]);
    assert!(a == b && a_ml == b_ml, "same seed, different files");
    assert_ne!(a, c, "the seed should move the layout");
    assert_eq!(m["outputs"]["layout"]["seed"], 1);
    // Positions have two decimals, and the four bots do not sit on each other.
    let positions: Vec<(f64, f64)> = a
        .lines()
        .filter(|l| l.contains("viz:position"))
        .map(|l| {
            let field = |name: &str| -> f64 {
                let start = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let v = &l[start..start + l[start..].find('"').unwrap()];
                assert_eq!(v.split('.').nth(1).map(str::len), Some(2), "{v}");
                v.parse().unwrap()
            };
            (field("x"), field("y"))
        })
        .collect();
    assert_eq!(positions.len(), 4);
    for i in 0..4 {
        for j in i + 1..4 {
            let d = ((positions[i].0 - positions[j].0).powi(2) + (positions[i].1 - positions[j].1).powi(2))
                .sqrt();
            assert!(d > 0.5, "nodes {i} and {j} overlap");
        }
    }

    let (none, none_ml, m) = run("none", &["--no-layout"]);
    assert!(!none.contains("viz:position"));
    assert!(!none_ml.contains("attr.name=\"x\""));
    assert!(m["outputs"]["layout"].is_null());
    assert!(none.contains("viz:color") && none.contains("viz:size"));
    let out = dir.path().join("none");
    validate(&out.join("graph.gexf"));
    validate(&out.join("graph.graphml"));
    // Apart from positions, the files are the same.
    assert_eq!(without_positions(&a), without_positions(&none));
}

// ---------------------------------------------------------------------------------------------
// Hostile names

const BOTS: [&str; 16] = [
    "=HYPERLINK(\"http://x\",\"click\")",
    "<script>alert(1)</script>",
    "]]>",
    "&amp;",
    "a\u{1}b",
    "\u{202E}evil",
    "🤖bot😀",
    "+1-2",
    "@SUM(A1)",
    "-3",
    "\tTAB",
    "quote\"and,comma",
    "line\nbreak",
    "\rCR",
    "it's",
    " padded ",
];
const POSTS: [&str; 6] = ["=1+1", "<p>&", "post\u{1}x", "p4", "p5", "p6"];
const AUTHORS: [&str; 6] = ["=author", "<b>bold</b>", "au3", "au4", "au5", "au6"];

/// A farm of 16 bots with hostile names liking 6 posts (hostile ids and authors) seconds apart,
/// among 80 ordinary accounts.
fn hostile_csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["account", "post", "time", "author"]).unwrap();
    for (k, post) in POSTS.iter().enumerate() {
        for (j, bot) in BOTS.iter().enumerate() {
            let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 3;
            w.write_record([*bot, *post, t.to_string().as_str(), AUTHORS[k]])
                .unwrap();
        }
    }
    for a in 0..80 {
        for k in 0..6 {
            let post = (a * 7 + k * 5) % 97;
            let t = 1_700_000_000 + (a * 13 + k * 29) as i64 * 3_600 + a as i64 * 61;
            w.write_record([
                format!("o{a}"),
                format!("q{post}"),
                t.to_string(),
                format!("author{}", 10 + post % 9),
            ])
            .unwrap();
        }
    }
    // Each bot post has an audience of its own (three accounts with lives of their own, hours
    // after the bots), as in `farm_csv`: the evidence is the same accounts on creators whose
    // audiences never meet.
    for (k, post) in POSTS.iter().enumerate() {
        for i in 0..3i64 {
            let c = 3 * k as i64 + i;
            let t = 1_700_000_000 + k as i64 * 86_400 + (2 + 3 * i) * 3_600;
            w.write_record([
                format!("c{c}"),
                post.to_string(),
                t.to_string(),
                AUTHORS[k].to_string(),
            ])
            .unwrap();
            for m in 0..5i64 {
                let q = (c * 3 + m * 7) % 97;
                let t = 1_700_000_000 + (c * 11 + m * 31) * 3_600 + c * 47;
                w.write_record([
                    format!("c{c}"),
                    format!("q{q}"),
                    t.to_string(),
                    format!("author{}", 10 + q % 9),
                ])
                .unwrap();
            }
        }
    }
    w.into_inner().unwrap()
}

fn cleaned(name: &str) -> String {
    name.chars().filter(|&c| c != '\u{1}').collect()
}

/// What a spreadsheet could run (docs/outputs.md): `=`, tab or CR first, or `+`, `-`, `@`
/// followed by anything but letters, digits, `_` and `.`.
fn formula(name: &str) -> bool {
    let rest = name.get(1..).unwrap_or("");
    let id_like = !rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    name.starts_with(['=', '\t', '\r']) || (name.starts_with(['+', '-', '@']) && !id_like)
}

fn escaped(name: &str) -> String {
    if formula(name) {
        format!("'{name}")
    } else {
        name.to_string()
    }
}

/// Files under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every file under `out` is readable and holds no live markup or formula: XML validates and
/// loads in every reader with exactly the cleaned names, JSON parses, CSV parses with
/// rectangular rows and (when `escaped`) no text cell a spreadsheet would run, HTML/SVG carry
/// no raw `<script>` from a name.
fn check_every_file(out: &Path, labels: &BTreeSet<String>, escaped: bool) {
    let mut seen = BTreeSet::new();
    for path in files_under(out) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_string();
        seen.insert(ext.clone());
        let bytes = std::fs::read(&path).unwrap();
        match ext.as_str() {
            "gexf" | "graphml" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(!text.contains("<script"), "{}", path.display());
                assert!(!text.contains("]]>"), "{}", path.display());
                assert!(!text.contains('\u{1}'), "{}", path.display());
                validate(&path);
                let mut readers = vec![networkx(&path), graphology(&path)];
                if ext == "graphml" {
                    readers.push(igraph(&path));
                }
                for v in readers.into_iter().flatten() {
                    assert_eq!(&Loaded::new(&v).labels(), labels, "{}", path.display());
                }
            }
            "json" => {
                serde_json::from_slice::<Value>(&bytes).unwrap();
            }
            "csv" => {
                let mut rdr = csv::Reader::from_reader(bytes.as_slice());
                let width = rdr.headers().unwrap().len();
                for r in rdr.records() {
                    let r = r.unwrap();
                    assert_eq!(r.len(), width, "{}", path.display());
                    if escaped {
                        for cell in r.iter() {
                            assert!(
                                !formula(cell) || cell.parse::<f64>().is_ok(),
                                "{}: cell {cell:?} would run as a formula",
                                path.display()
                            );
                        }
                    }
                }
            }
            "html" | "svg" => {
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains("<script>alert(1)</script>"),
                    "{} runs a name as markup",
                    path.display()
                );
            }
            _ => {}
        }
    }
    assert!(seen.contains("gexf") && seen.contains("graphml") && seen.contains("csv"));
}

#[test]
fn hostile_names_survive_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", hostile_csv());

    // Default: the account graph, CSV escaped, Parquet raw.
    let out = dir.path().join("out");
    detect(&input, &out, &["--format", "csv,parquet"]);
    let accounts = read_csv(&out.join("accounts.csv"));
    let flagged: BTreeSet<&str> = accounts
        .iter()
        .filter(|r| r["flagged"] == "true")
        .map(|r| r["account_id"].as_str())
        .collect();
    let expected: BTreeSet<String> = BOTS.iter().map(|b| escaped(b)).collect();
    assert_eq!(
        flagged,
        expected.iter().map(String::as_str).collect(),
        "the hostile farm is flagged, names escaped"
    );
    let labels: BTreeSet<String> = BOTS.iter().map(|b| cleaned(b)).collect();
    check_every_file(&out, &labels, true);

    // Exactly the formula-like cells got a quote, in every table.
    let posts = read_csv(&out.join("posts.csv"));
    let post_ids: BTreeSet<&str> = posts.iter().map(|r| r["post_id"].as_str()).collect();
    for p in POSTS {
        assert!(post_ids.contains(escaped(p).as_str()), "{p:?}");
    }
    assert!(posts.iter().any(|r| r["author"] == "'=author"));
    assert!(posts.iter().any(|r| r["author"] == "<b>bold</b>"));
    let edges = read_csv(&out.join("edges.csv"));
    assert_eq!(edges.len(), 120);
    for r in &edges {
        for side in ["source", "target"] {
            let v = &r[side];
            assert!(!formula(v), "{side} {v:?} not neutralised");
        }
    }
    let authors = read_csv(&out.join("authors.csv"));
    assert!(authors.iter().any(|r| r["author"] == "'=author"));
    let clusters = read_csv(&out.join("clusters.csv"));
    assert!(
        clusters[0]["top_authors"].starts_with("'=author"),
        "{}",
        clusters[0]["top_authors"]
    );
    let mut quoted = 0;
    for table in ["accounts", "clusters", "posts", "authors", "edges"] {
        for r in read_csv(&out.join(format!("{table}.csv"))) {
            quoted += r
                .values()
                .filter(|v| v.starts_with('\'') && formula(&v[1..]))
                .count();
        }
    }
    // 5 formula-like bots (not "-3", a number a spreadsheet shows as it is) in accounts and
    // in 15 pairs each on both sides, one post id, the author in posts, authors and
    // clusters.top_authors.
    assert_eq!(BOTS.iter().filter(|b| formula(b)).count(), 5);
    assert!(accounts.iter().any(|r| r["account_id"] == "-3"));
    assert_eq!(quoted, 5 + 5 * 15 + 1 + 1 + 1 + 1);
    let m = manifest(&out);
    assert!(m["outputs"]["csv_formula_cells"].as_u64().unwrap() >= quoted as u64);
    assert_eq!(
        m["outputs"]["xml_dropped_chars"], 1,
        "the control character of a\\u{{1}}b"
    );
    assert_eq!(m["outputs"]["xml_cleaned_values"], 1);

    // Parquet keeps raw values, control characters included.
    use polars::prelude::{ParquetReader, SerReader};
    let df = ParquetReader::new(std::fs::File::open(out.join("accounts.parquet")).unwrap())
        .finish()
        .unwrap();
    let ids: BTreeSet<String> = df
        .column("account_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    for b in BOTS {
        assert!(ids.contains(b), "{b:?} not raw in Parquet");
    }
    let df = ParquetReader::new(std::fs::File::open(out.join("posts.parquet")).unwrap())
        .finish()
        .unwrap();
    let ids: Vec<Option<&str>> = df.column("post_id").unwrap().str().unwrap().iter().collect();
    assert!(ids.contains(&Some("post\u{1}x")) && ids.contains(&Some("=1+1")));

    // The block graph in dynamic mode, CSV raw: posts (with hostile ids) in the graph too.
    let raw = dir.path().join("raw");
    detect(
        &input,
        &raw,
        &["--graph", "bipartite", "--dynamic", "--no-formula-escape"],
    );
    let mut labels = labels;
    labels.extend(POSTS.iter().map(|p| cleaned(p)));
    check_every_file(&raw, &labels, false);
    let accounts = read_csv(&raw.join("accounts.csv"));
    let flagged: BTreeSet<&str> = accounts
        .iter()
        .filter(|r| r["flagged"] == "true")
        .map(|r| r["account_id"].as_str())
        .collect();
    assert_eq!(
        flagged,
        BOTS.iter().copied().collect(),
        "raw CSV holds the names as given"
    );
    let m = manifest(&raw);
    assert_eq!(m["outputs"]["csv_formula_cells"], 0);
    // a\u{1}b and post\u{1}x.
    assert_eq!(m["outputs"]["xml_dropped_chars"], 2);
    if let Some(v) = networkx(&raw.join("graph.gexf")) {
        let g = Loaded::new(&v);
        let post = g.by_label("=1+1");
        assert_eq!(attr(post, "author"), "=author");
        assert_eq!(attr(post, "kind"), "post");
        assert_eq!(attr(g.by_label("<p>&"), "author"), "<b>bold</b>");
        assert_eq!(attr(g.by_label("\rCR"), "kind"), "account");
    }
}

#[test]
fn graphs_without_a_flagged_cluster_still_validate() {
    let dir = tempfile::tempdir().unwrap();
    // Only scattered organic accounts: no significant pair, no cluster.
    let organic: String = farm_csv()
        .lines()
        .filter(|l| !l.starts_with('b'))
        .collect::<Vec<_>>()
        .join("\n");
    let input = write(dir.path(), "likes.csv", organic + "\n");
    for (name, extra) in [
        ("accounts", vec!["--dynamic"]),
        ("bipartite", vec!["--graph", "bipartite"]),
    ] {
        let out = dir.path().join(name);
        detect(&input, &out, &extra);
        let m = manifest(&out);
        assert_eq!(
            (
                m["outputs"]["graph_nodes"].as_u64(),
                m["outputs"]["graph_edges"].as_u64()
            ),
            (Some(0), Some(0))
        );
        validate(&out.join("graph.gexf"));
        validate(&out.join("graph.graphml"));
        for path in [out.join("graph.gexf"), out.join("graph.graphml")] {
            if let Some(v) = networkx(&path) {
                assert_eq!(Loaded::new(&v).nodes.len(), 0);
            }
            if let Some(v) = graphology(&path) {
                assert_eq!(Loaded::new(&v).nodes.len(), 0);
            }
        }
    }
}

#[test]
fn handles_and_signed_ids_stay_joinable_in_csv() {
    // The farm of `farm_csv` with handle accounts (@b1…) and signed post ids (-1001…), as
    // platforms write them: nothing a spreadsheet could run, so nothing gets a quote.
    let dir = tempfile::tempdir().unwrap();
    let text = farm_csv();
    let (header, rows) = text.split_once('\n').unwrap();
    let rows = rows.replace('b', "@b").replace(",p", ",-100");
    let input = write(dir.path(), "likes.csv", format!("{header}\n{rows}"));
    let out = dir.path().join("out");
    detect(&input, &out, &[]);
    let flagged: BTreeSet<String> = read_csv(&out.join("accounts.csv"))
        .into_iter()
        .filter(|r| r["flagged"] == "true")
        .map(|r| r["account_id"].clone())
        .collect();
    assert_eq!(flagged, ["@b1", "@b2", "@b3", "@b4"].map(String::from).into());
    let posts: BTreeSet<String> = read_csv(&out.join("posts.csv"))
        .into_iter()
        .map(|r| r["post_id"].clone())
        .collect();
    assert!(posts.contains("-1001") && posts.contains("-1006"), "{posts:?}");
    // Every evidence row joins back to the input line it cites, on the raw ids.
    let lines: Vec<String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let evidence = read_csv(&out.join("evidence/cluster-1.csv"));
    assert_eq!(evidence.len(), 24);
    for r in &evidence {
        let line: usize = r["source_line"].parse().unwrap();
        let fields: Vec<&str> = lines[line - 1].split(',').collect();
        assert_eq!(
            (fields[0], fields[1]),
            (r["account"].as_str(), r["post"].as_str())
        );
    }
    assert_eq!(manifest(&out)["outputs"]["csv_formula_cells"], 0);
}
