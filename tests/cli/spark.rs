//! `spark/colike.py` in Spark local mode against lockstep on one machine: the same pairs, pair
//! for pair, as `lockstep colike`, and `lockstep detect --pairs` on them the same files as a
//! full `lockstep detect`. Needs Java and pyspark (`.ci/run` installs them).

use super::common::lockstep;
use super::tools;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spark_ready() -> bool {
    tools::program("java").is_some() && tools::python_with(&["pyspark", "pyarrow"])
}

/// Run the job on `likes` in local mode (two cores, three partitions: posts, pairs and
/// p-values really are split).
fn spark_job(likes: &Path, args: &[&str], out: &Path) {
    let output = Command::new("python3")
        .arg(repo().join("spark/colike.py"))
        .arg("--likes")
        .arg(likes)
        .arg("--out")
        .arg(out)
        .args(["--lockstep", env!("CARGO_BIN_EXE_lockstep")])
        .args(["--master", "local[2]", "--partitions", "3", "--quiet"])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "spark/colike.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A value of a pairs table, floats by their bits.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Int(Option<i64>),
    Float(Option<u64>),
    Text(String),
}

/// A pairs table: its schema, and its rows by (source, target) with the two accounts in name
/// order (the job writes them so; lockstep in the order it met them).
struct Pairs {
    schema: Vec<(String, DataType)>,
    rows: BTreeMap<(String, String), BTreeMap<String, Cell>>,
}

fn read_frame(path: &Path) -> DataFrame {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut f: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        f.sort();
        f
    } else {
        vec![path.to_path_buf()]
    };
    let mut frames = files.iter().map(|f| {
        ParquetReader::new(std::fs::File::open(f).unwrap())
            .finish()
            .unwrap()
    });
    let mut all = frames.next().expect("a parquet file");
    for f in frames {
        all.vstack_mut(&f).unwrap();
    }
    all
}

fn read_pairs(path: &Path) -> Pairs {
    let df = read_frame(path);
    let schema: Vec<(String, DataType)> = df
        .schema()
        .iter()
        .map(|(n, t)| (n.to_string(), t.clone()))
        .collect();
    let mut rows = BTreeMap::new();
    for i in 0..df.height() {
        let mut row: BTreeMap<String, Cell> = BTreeMap::new();
        for c in df.columns() {
            let cell = match c.dtype() {
                DataType::Int64 => Cell::Int(c.i64().unwrap().get(i)),
                DataType::Float64 => Cell::Float(c.f64().unwrap().get(i).map(f64::to_bits)),
                _ => Cell::Text(
                    c.cast(&DataType::String)
                        .unwrap()
                        .str()
                        .unwrap()
                        .get(i)
                        .unwrap()
                        .to_string(),
                ),
            };
            row.insert(c.name().to_string(), cell);
        }
        let text = |r: &BTreeMap<String, Cell>, k: &str| match &r[k] {
            Cell::Text(s) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        let (s, t) = (text(&row, "source"), text(&row, "target"));
        if s > t {
            for (x, y) in [
                ("source", "target"),
                ("source_first", "target_first"),
                ("source_likes", "target_likes"),
            ] {
                let (vx, vy) = (row[x].clone(), row[y].clone());
                row.insert(x.into(), vy);
                row.insert(y.into(), vx);
            }
        }
        rows.insert((s.clone().min(t.clone()), s.max(t)), row);
    }
    Pairs { schema, rows }
}

/// Every pair and every value equal; the idf weight (a sum over posts, added in another order
/// on the cluster) to 1e-12.
fn assert_same_pairs(one: &Pairs, job: &Pairs) {
    assert_eq!(one.schema, job.schema, "schemas differ");
    assert_eq!(one.rows.len(), job.rows.len(), "pair counts differ");
    assert!(!one.rows.is_empty());
    for (key, x) in &one.rows {
        let y = job
            .rows
            .get(key)
            .unwrap_or_else(|| panic!("pair {key:?} missing from the job's output"));
        for (column, vx) in x {
            let vy = &y[column];
            if column == "weight" {
                let (Cell::Float(Some(a)), Cell::Float(Some(b))) = (vx, vy) else {
                    panic!("{key:?} weight: {vx:?} / {vy:?}")
                };
                let (a, b) = (f64::from_bits(*a), f64::from_bits(*b));
                assert!(
                    (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                    "{key:?} weight {a} vs {b}"
                );
            } else {
                assert_eq!(vx, vy, "{key:?} column {column}");
            }
        }
    }
}

/// `lockstep colike LIKES ARGS --out OUT`.
fn colike(likes: &Path, args: &[&str], out: &Path) {
    lockstep()
        .arg("colike")
        .arg(likes)
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .success();
}

fn job_summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("_lockstep.json")).unwrap()).unwrap()
}

#[test]
fn spark_job_equals_colike_and_detect_pairs_equals_detect_on_the_sample() {
    if !spark_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let likes = repo().join("data/likes.csv");
    // The windows and cap of `detect` by default, so the pairs also serve `detect --pairs`.
    let windows = ["--window", "1m,10m,1h,6h,1d", "--max-post-likers", "2000"];
    let job = dir.path().join("spark-pairs");
    spark_job(&likes, &windows, &job);
    let one = dir.path().join("pairs.parquet");
    colike(&likes, &windows, &one);
    assert_same_pairs(&read_pairs(&one), &read_pairs(&job));

    let full = dir.path().join("full");
    let from_pairs = dir.path().join("from-pairs");
    lockstep()
        .arg("detect")
        .arg(&likes)
        .arg("--out")
        .arg(&full)
        .arg("--quiet")
        .assert()
        .success();
    lockstep()
        .arg("detect")
        .arg(&likes)
        .arg("--pairs")
        .arg(&job)
        .arg("--out")
        .arg(&from_pairs)
        .arg("--quiet")
        .assert()
        .success();
    for file in [
        "accounts.csv",
        "clusters.csv",
        "edges.csv",
        "posts.csv",
        "graph.gexf",
    ] {
        let (a, b) = (
            std::fs::read(full.join(file)).unwrap(),
            std::fs::read(from_pairs.join(file)).unwrap(),
        );
        assert!(a == b, "{file} differs between detect and detect --pairs");
    }
    let flagged = std::fs::read_to_string(full.join("accounts.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.contains(",true,"))
        .count();
    assert!(flagged > 0, "the sample has flagged accounts");

    // Pairs counted with other windows are refused, not silently used.
    lockstep()
        .arg("detect")
        .arg(&likes)
        .args(["--pairs"])
        .arg(&job)
        .args(["--window", "1h", "--out"])
        .arg(dir.path().join("refused"))
        .arg("--quiet")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "they were counted at --window 1m,10m,1h,6h,1d",
        ));
}

#[test]
fn spark_job_equals_colike_on_a_synth_world_with_giant_posts_and_dates() {
    if !spark_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    lockstep()
        .args([
            "synth",
            "--preset",
            "small",
            "--seed",
            "5",
            "--scale",
            "0.3",
            "--date-only-share",
            "0.1",
            "--quiet",
            "--out",
        ])
        .arg(&world)
        .assert()
        .success();
    let likes = world.join("likes.csv");
    // A cap that binds: posts with more than 40 likes within an hour are skipped, wider
    // windows capped; which like's slice is checked depends on the accounts' order.
    let args = ["--window", "1h,inf", "--max-post-likers", "40"];
    let job = dir.path().join("spark-pairs");
    spark_job(&likes, &args, &job);
    let one = dir.path().join("pairs.parquet");
    colike(&likes, &args, &one);
    assert_same_pairs(&read_pairs(&one), &read_pairs(&job));
    let summary = job_summary(&job);
    assert!(summary["skipped"]["likes"].as_u64().unwrap() > 0, "{summary}");
    assert!(summary["capped_likes"][1].as_u64().unwrap() > 0, "{summary}");
    assert!(summary["coarse_likes"].as_u64().unwrap() > 0, "{summary}");
}

#[test]
fn partial_plan_names_the_buckets_and_detect_pairs_needs_the_jobs_summary() {
    // Repeated windows share a bucket; the pairs table's count columns are named as by colike.
    let out = lockstep()
        .args(["partial", "plan", "--window", "1h,10m,1h,inf"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["buckets"], 3);
    assert_eq!(plan["user_to_sorted"], serde_json::json!([1, 0, 1, 2]));
    assert_eq!(
        plan["window_columns"],
        serde_json::json!(["colikes_1h", "colikes_10m", "colikes_1h", "colikes_inf"])
    );
    // A pairs table without the job's summary beside it is refused with a reason.
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.parquet");
    let likes = repo().join("data/likes.csv");
    colike(&likes, &[], &pairs);
    lockstep()
        .arg("detect")
        .arg(&likes)
        .arg("--pairs")
        .arg(&pairs)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--quiet")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("_lockstep.json"))
        .stderr(predicates::str::contains("spark/colike.py"));
    assert!(!dir.path().join("out").exists(), "no half-written output");
}
