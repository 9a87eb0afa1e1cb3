//! Comment worlds (`lockstep synth --comments`): farms posting variants of suggested texts
//! over hours are found by their texts, with no group from universal short comments, and a
//! world without a farm flags nobody. (The figures over many seeds are in docs/method.md.)

use crate::common::lockstep;
use serde_json::Value;
use std::path::Path;

/// A small comment world of seed `seed` (sizes cut down for the test's time), detected and
/// evaluated; `farms` 0 plants none.
fn world(dir: &Path, seed: u64, farms: usize) -> Value {
    let params = serde_json::json!({
        "days": 10.0, "creators": 80, "posts_per_creator": 6.0, "accounts": 1500,
        "comments_median": 3.0, "delay_median_hours": 2.0,
        "fandoms": 2, "fans": [40, 80], "crowds": 2, "crowd_size": [15, 25],
        "viral_posts": 4, "farms": farms, "farm_size": [8, 20], "clients": [2, 4],
        "templates": [3, 6], "coverage": [0.3, 0.8], "farm_delay_hours": [0.2, 12.0]
    });
    let file = dir.join(format!("params-{seed}-{farms}.json"));
    std::fs::write(&file, params.to_string()).unwrap();
    let w = dir.join(format!("w{seed}-{farms}"));
    lockstep()
        .args([
            "synth",
            "--comments",
            "--seed",
            &seed.to_string(),
            "-q",
            "--params",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&w)
        .assert()
        .success();
    let out = w.join("run");
    lockstep()
        .arg("detect")
        .arg(w.join("comments.csv"))
        .args(["--interaction", "comment", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let clusters = std::fs::read_to_string(out.join("clusters.csv")).unwrap();
    let eval = lockstep()
        .args(["evaluate", "--json", "--truth"])
        .arg(w.join("truth.csv"))
        .arg("--accounts")
        .arg(out.join("accounts.csv"))
        .assert()
        .success();
    let mut v: Value = serde_json::from_slice(&eval.get_output().stdout).unwrap();
    v["clusters_csv"] = Value::String(clusters);
    v
}

fn role<'v>(v: &'v Value, name: &str) -> &'v Value {
    v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == name)
        .unwrap_or(&Value::Null)
}

#[test]
fn a_comment_farm_is_found_by_its_texts_and_nothing_else_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let v = world(dir.path(), 7, 2);
    let recall = role(&v, "click_worker")["recall"].as_f64().unwrap();
    let precision = v["overall"]["precision"].as_f64().unwrap();
    assert!(
        recall >= 0.9 && precision >= 0.95,
        "recall {recall}, precision {precision}"
    );
    assert_eq!(role(&v, "fan")["flagged"], 0, "fans or universal crowds flagged");
    let clusters = v["clusters_csv"].as_str().unwrap();
    assert!(clusters.contains("shared_texts"), "{clusters}");
}

#[test]
fn a_world_without_a_farm_flags_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let v = world(dir.path(), 8, 0);
    for r in v["roles"].as_array().unwrap() {
        assert_eq!(r["flagged"], 0, "{r}");
    }
}
