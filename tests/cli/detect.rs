//! `lockstep detect` end to end on small hand-checked inputs.

use crate::common::{farm_csv, lockstep, logical_time_csv, write};
use std::collections::BTreeMap;
use std::path::Path;

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

#[test]
fn flags_the_hand_made_farm_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &[]);

    let accounts = read_csv(&out.join("accounts.csv"));
    assert_eq!(accounts.len(), 30);
    let flagged: Vec<&str> = accounts
        .iter()
        .filter(|r| r["flagged"] == "true")
        .map(|r| r["account_id"].as_str())
        .collect();
    assert_eq!(flagged, vec!["b1", "b2", "b3", "b4"]);
    for r in &accounts[..4] {
        assert_eq!(r["cluster_id"], "1");
        assert_eq!(r["cluster_type"], "bot_farm");
        assert_eq!(r["likes"], "6");
        assert_eq!(r["block_likes"], "6");
        assert_eq!(r["partners"], "3");
        let score: f64 = r["score"].parse().unwrap();
        assert!((0.5..=1.0).contains(&score), "{score}");
    }
    for r in &accounts[4..] {
        assert_eq!(r["flagged"], "false");
        assert_eq!(r["cluster_id"], "");
        assert_eq!(r["score"], "0.0");
    }

    let clusters = read_csv(&out.join("clusters.csv"));
    assert_eq!(clusters.len(), 1);
    let c = &clusters[0];
    assert_eq!(
        (c["cluster_id"].as_str(), c["size"].as_str(), c["posts"].as_str()),
        ("1", "4", "6")
    );
    assert_eq!((c["type"].as_str(), c["flagged"].as_str()), ("bot_farm", "true"));
    assert_eq!(c["authors"], "6");
    assert_eq!(c["colikes"], "36");
    assert_eq!(c["block_density"], "1.0");
    // Bots 10 s apart: pair medians are 10, 20 or 30 s → median over the 6 pairs is 15 s.
    assert_eq!(c["median_pair_dt"], "15.0");
    // The evidence: the same four accounts on six creators whose own audiences never meet.
    // On all six posts the bots liked within a minute of each other while each post's own
    // audience came hours later — but their bursts are the posts' first likes, which is what
    // a creator's fans do on publication; each creator has an audience besides the bots, so
    // these bursts are not lockstep on their own (`publication_lockstep_posts`): they only
    // confirm the unrelated creators (method §4.3).
    assert_eq!(c["evidence"], "unrelated_creators");
    assert_eq!(
        (
            c["served_posts"].as_str(),
            c["lockstep_posts"].as_str(),
            c["publication_lockstep_posts"].as_str()
        ),
        ("6", "0", "6")
    );
    assert_eq!(c["unit_pairs"], "15");
    assert!(
        c["reasons"].contains("whose other audiences barely meet"),
        "{}",
        c["reasons"]
    );

    let posts = read_csv(&out.join("posts.csv"));
    let top: Vec<(&str, &str, &str)> = posts[..6]
        .iter()
        .map(|r| {
            (
                r["post_id"].as_str(),
                r["flagged_likes"].as_str(),
                r["flagged_share"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        top,
        vec![
            ("p1", "4", "0.5714285714285714"),
            ("p2", "4", "0.5714285714285714"),
            ("p3", "4", "0.5714285714285714"),
            ("p4", "4", "0.5714285714285714"),
            ("p5", "4", "0.5714285714285714"),
            ("p6", "4", "0.5714285714285714")
        ]
    );
    assert!(posts[6..].iter().all(|r| r["flagged_likes"] == "0"));
    assert_eq!(posts[0]["author"], "author0");
    assert_eq!(posts[0]["first_like"], "2023-11-14T22:13:20Z");

    let edges = read_csv(&out.join("edges.csv"));
    let pairs: Vec<(&str, &str, &str)> = edges
        .iter()
        .map(|r| (r["source"].as_str(), r["target"].as_str(), r["colikes"].as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("b1", "b2", "6"),
            ("b1", "b3", "6"),
            ("b1", "b4", "6"),
            ("b2", "b3", "6"),
            ("b2", "b4", "6"),
            ("b3", "b4", "6")
        ]
    );
    assert!(
        edges
            .iter()
            .all(|r| r["cluster_id"] == "1" && r["qvalue"].parse::<f64>().unwrap() <= 0.01)
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["likes"], 180);
    assert_eq!(manifest["counts"]["flagged_accounts"], 4);
    assert_eq!(manifest["time_unit"], "seconds");
    assert_eq!(manifest["inputs"]["files"][0]["rows"], 180);
    assert_eq!(
        manifest["inputs"]["files"][0]["sha256"].as_str().unwrap().len(),
        64
    );
    // Several timescales by default, from a minute to a day.
    assert_eq!(
        manifest["parameters"]["colike"]["windows"],
        serde_json::json!(["1m", "10m", "1h", "6h", "1d"])
    );
    assert!(manifest["run"]["timings_ms"]["colike"].is_u64());
}

fn strip_run(manifest: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(manifest).unwrap();
    v.as_object_mut().unwrap().remove("run");
    v
}

#[test]
fn byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    detect(&input, &a, &["--threads", "1", "--seed", "5"]);
    detect(&input, &b, &["--threads", "3", "--seed", "5"]);
    let names = files_under(&a);
    for top in [
        "accounts.csv",
        "authors.csv",
        "clusters.csv",
        "edges.csv",
        "graph.gexf",
        "graph.graphml",
        "manifest.json",
        "posts.csv",
        "report.html",
    ] {
        assert!(names.iter().any(|n| n == top), "{top} missing: {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("evidence/")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("plots/")), "{names:?}");
    assert_eq!(names, files_under(&b));
    for name in &names {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        if name == "manifest.json" {
            assert_eq!(
                strip_run(&String::from_utf8(x).unwrap()),
                strip_run(&String::from_utf8(y).unwrap())
            );
        } else {
            assert!(x == y, "{name} differs between runs");
        }
    }
}

/// Every file under `dir`, as sorted relative paths with `/`.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_input_format_gives_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let csv_text = farm_csv();
    let csv = write(dir.path(), "likes.csv", &csv_text);
    let tsv = write(dir.path(), "likes.tsv", csv_text.replace(',', "\t"));
    let semicolon = write(dir.path(), "likes-excel.csv", csv_text.replace(',', ";"));
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let mut jsonl = String::new();
    let mut cols: [Vec<Option<String>>; 4] = Default::default();
    for r in rdr.records() {
        let r = r.unwrap();
        jsonl.push_str(&format!(
            "{{\"account\":\"{}\",\"post\":\"{}\",\"time\":{},\"author\":\"{}\"}}\n",
            &r[0], &r[1], &r[2], &r[3]
        ));
        for (i, c) in cols.iter_mut().enumerate() {
            c.push(Some(r[i].to_string()));
        }
    }
    let jsonl_path = write(dir.path(), "likes.jsonl", &jsonl);
    let gz_path = dir.path().join("likes.csv.gz");
    {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz_path).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(csv_text.as_bytes()).unwrap();
        enc.finish().unwrap();
    }
    let pq_path = dir.path().join("likes.parquet");
    let mut t = lockstep::export::Table::default();
    let [acc, post, time, author] = cols;
    t.text("account", acc)
        .text("post", post)
        .int(
            "time",
            time.into_iter().map(|s| s.and_then(|s| s.parse().ok())).collect(),
        )
        .text("author", author);
    lockstep::export::table::write_table(&pq_path, lockstep::export::TableFormat::Parquet, &t, false)
        .unwrap();

    let reference_dir = dir.path().join("ref");
    detect(&csv, &reference_dir, &[]);
    let reference = std::fs::read(reference_dir.join("accounts.csv")).unwrap();
    for (i, input) in [tsv, semicolon, jsonl_path, gz_path, pq_path].iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        detect(input, &out, &[]);
        assert!(
            std::fs::read(out.join("accounts.csv")).unwrap() == reference,
            "{} differs",
            input.display()
        );
    }
}

#[test]
fn logical_time_without_a_time_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", logical_time_csv());
    let out = dir.path().join("out");
    let assert = lockstep()
        .args([
            "detect",
            input.to_str().unwrap(),
            "--window",
            "2",
            "--min-colikes",
            "3",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("logical time"), "{stderr}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"time_unit\": \"positions\""));
    let edges = read_csv(&out.join("edges.csv"));
    let pairs: Vec<(&str, &str, &str)> = edges
        .iter()
        .map(|r| (r["source"].as_str(), r["target"].as_str(), r["colikes"].as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![("b1", "b2", "6"), ("b1", "b3", "6"), ("b2", "b3", "6")]
    );
}

#[test]
fn parquet_tables_hold_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &["--format", "csv,parquet"]);
    use polars::prelude::{ParquetReader, SerReader};
    for table in ["accounts", "clusters", "posts", "edges", "authors"] {
        let csv_rows = read_csv(&out.join(format!("{table}.csv"))).len();
        let df = ParquetReader::new(std::fs::File::open(out.join(format!("{table}.parquet"))).unwrap())
            .finish()
            .unwrap();
        assert_eq!(df.height(), csv_rows, "{table}");
    }
    let df = ParquetReader::new(std::fs::File::open(out.join("accounts.parquet")).unwrap())
        .finish()
        .unwrap();
    let flagged = df
        .column("flagged")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .filter(|f| *f == Some(true))
        .count();
    assert_eq!(flagged, 4);
}

#[test]
fn graph_files_hold_the_significant_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &[]);
    for (file, node, edge) in [("graph.gexf", "node", "edge"), ("graph.graphml", "node", "edge")] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        let (mut nodes, mut edges) = (0, 0);
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                    if e.name().as_ref() == node {
                        nodes += 1;
                    }
                    if e.name().as_ref() == edge {
                        edges += 1;
                    }
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!((nodes, edges), (4, 6), "{file}");
    }
}

#[test]
fn print_params_shows_the_whole_tree_and_reads_back_through_params() {
    let printed = lockstep().args(["detect", "--print-params"]).output().unwrap();
    assert!(printed.status.success());
    let text = String::from_utf8(printed.stdout).unwrap();
    for section in [
        "[colike]",
        "[detect.communities]",
        "[detect.bursts]",
        "[detect.classify.thresholds]",
        "[score]",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    assert!(text.contains("fdr = 0.01"), "{text}");
    // The printed tree, changed in one place, is read back; a flag overrides the file.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.toml", text.replace("fdr = 0.01", "fdr = 0.05"));
    let again = lockstep()
        .args(["detect", "--print-params", "--params"])
        .arg(&file)
        .args(["--min-colikes", "4"])
        .output()
        .unwrap();
    let again = String::from_utf8(again.stdout).unwrap();
    assert!(
        again.contains("fdr = 0.05") && again.contains("min_colikes = 4"),
        "{again}"
    );
}

#[test]
fn an_unknown_parameter_is_an_error_naming_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.toml", "[detect.bursts]\nmin_brust = 7\n");
    let out = lockstep()
        .args(["detect", "--print-params", "--params"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("min_brust") && err.contains("p.toml"), "{err}");
}

#[test]
fn the_manifest_records_the_fdr_used() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out, &["--fdr", "0.05", "--seed", "3"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let p = &manifest["parameters"];
    assert_eq!(p["fdr"], 0.05);
    assert_eq!(p["seed"], 3);
    assert_eq!(manifest["seed"], 3);
    // The whole tree is recorded, down to the type rules' thresholds.
    assert_eq!(p["detect"]["classify"]["thresholds"]["burst_seconds"], 3600.0);
    assert!(
        p["detect"].get("fdr").is_none() && p["colike"].get("fdr").is_none(),
        "{p}"
    );
}
