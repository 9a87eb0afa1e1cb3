//! Detection quality regression: the small synthetic preset, detected and evaluated against
//! its truth, must keep the thresholds of issue 4 (measured figures are in docs/method.md).

use crate::common::lockstep;
use serde_json::Value;
use std::path::Path;

fn evaluate(world: &Path, out: &Path) -> Value {
    lockstep()
        .arg("detect")
        .arg(world.join("likes.csv"))
        .arg("--out")
        .arg(out)
        .arg("-q")
        .assert()
        .success();
    let assert = lockstep()
        .arg("evaluate")
        .arg("--truth")
        .arg(world.join("truth.csv"))
        .arg("--accounts")
        .arg(out.join("accounts.csv"))
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

fn check(v: &Value, label: &str) {
    let overall = &v["overall"];
    let f = |x: &Value| x.as_f64().unwrap_or(0.0);
    assert!(
        f(&overall["precision"]) >= 0.95,
        "{label}: precision {}",
        overall["precision"]
    );
    assert!(
        f(&overall["recall"]) >= 0.95,
        "{label}: recall {}",
        overall["recall"]
    );
    assert!(f(&overall["f1"]) >= 0.95, "{label}: F1 {}", overall["f1"]);
    assert!(
        f(&v["false_positive_rate_organic"]) <= 0.001,
        "{label}: organic FPR {}",
        v["false_positive_rate_organic"]
    );
    assert!(
        f(&v["false_positive_rate_fans"]) <= 0.02,
        "{label}: fan FPR {}",
        v["false_positive_rate_fans"]
    );
    for role in v["roles"].as_array().unwrap() {
        if role["coordinated"] == true {
            assert!(
                f(&role["recall"]) >= 0.9,
                "{label}: recall of {} is {}",
                role["role"],
                role["recall"]
            );
        }
    }
    for typed in v["typed"].as_array().unwrap() {
        assert!(
            f(&typed["f1"]) >= 0.9,
            "{label}: typed F1 of {} is {}",
            typed["role"],
            typed["f1"]
        );
    }
}

#[test]
fn the_committed_sample_meets_the_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let v = evaluate(&repo.join("data"), &dir.path().join("out"));
    check(&v, "data/ (small, seed 42)");
}

#[test]
fn another_small_world_meets_the_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    lockstep()
        .args(["synth", "--preset", "small", "--seed", "7", "-q", "--out"])
        .arg(&world)
        .assert()
        .success();
    let v = evaluate(&world, &dir.path().join("out"));
    check(&v, "small, seed 7");
}

#[test]
fn a_small_stealth_world_keeps_its_floor() {
    // Stealth preset at scale 0.3 (≈ 305 k likes), seed 1: camouflaged farms whose orders use
    // 10–25 % of the pool, subscriptions with 2.5–4× pools. Measured at the commit that added
    // this test: precision 1.000, recall 0.787, F1 0.881; farm recall 0.485 (many bots served
    // fewer than two orders), click/pod/subscription 1.000; nothing organic flagged. The code
    // before partial-pool typing, burst joins by test and sub-communities gave F1 0.855 and farm
    // recall 0.415, and fails here.
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    lockstep()
        .args([
            "synth", "--preset", "stealth", "--seed", "1", "--scale", "0.3", "-q", "--out",
        ])
        .arg(&world)
        .assert()
        .success();
    let v = evaluate(&world, &dir.path().join("out"));
    let f = |x: &Value| x.as_f64().unwrap_or(0.0);
    let overall = &v["overall"];
    assert!(
        f(&overall["precision"]) >= 0.95,
        "precision {}",
        overall["precision"]
    );
    assert!(f(&overall["f1"]) >= 0.87, "F1 {}", overall["f1"]);
    assert!(
        f(&v["false_positive_rate_organic"]) <= 0.001,
        "organic FPR {}",
        v["false_positive_rate_organic"]
    );
    assert!(
        f(&v["false_positive_rate_fans"]) <= 0.02,
        "fan FPR {}",
        v["false_positive_rate_fans"]
    );
    for role in v["roles"].as_array().unwrap() {
        let floor = match role["role"].as_str() {
            Some("bot_farm") => 0.45,
            Some("click_worker" | "pod_member" | "subscription_bot") => 0.9,
            _ => continue,
        };
        assert!(
            f(&role["recall"]) >= floor,
            "recall of {} is {}",
            role["role"],
            role["recall"]
        );
    }
}
