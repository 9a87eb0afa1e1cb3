//! Detection quality regression: synthetic worlds, detected and evaluated against their truth,
//! must keep the thresholds of issues 4 and 12 (measured figures are in docs/method.md).

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

/// A world made by `lockstep synth ARGS --out DIR/world`, detected and evaluated.
fn synthesized(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    lockstep()
        .arg("synth")
        .args(args)
        .args(["-q", "--out"])
        .arg(&world)
        .assert()
        .success();
    evaluate(&world, &dir.path().join("out"))
}

/// Assert that the number at JSON pointer `at` of `v` is at least `floor`.
fn at_least(v: &Value, at: &str, floor: f64) {
    let x = v.pointer(at).and_then(Value::as_f64).unwrap_or(0.0);
    assert!(x >= floor, "{at} is {x}, below {floor}");
}

/// Assert that the number at JSON pointer `at` of `v` is at most `ceiling`.
fn at_most(v: &Value, at: &str, ceiling: f64) {
    let x = v.pointer(at).and_then(Value::as_f64).unwrap_or(0.0);
    assert!(x <= ceiling, "{at} is {x}, above {ceiling}");
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
    let v = synthesized(&["--preset", "small", "--seed", "7"]);
    check(&v, "small, seed 7");
}

#[test]
fn a_small_stealth_world_keeps_its_floor() {
    // Stealth preset at scale 0.3 (≈ 305 k likes), seed 1: camouflaged farms whose orders use
    // 10–25 % of the pool, subscriptions with 2.5–4× pools delivering over an hour. When the
    // flag became a test (issue 12) F1 was 0.466 (subscription recall 0.000: its pool is cut
    // into fragments whose members explained each other's bursts); since accounts that cross
    // closed creators are no timing reference: precision 1.000, F1 0.861, farm recall 0.410,
    // click, pod and subscription 1.000, nothing organic flagged. A tuning world, not a
    // held-out figure. The type rules before issue 12 reached F1 0.881 here, because they were
    // calibrated on this generator's presets; they scored F1 0.54–0.65 on randomised and
    // independently generated worlds (docs/method.md).
    let v = synthesized(&["--preset", "stealth", "--seed", "1", "--scale", "0.3"]);
    at_least(&v, "/overall/precision", 0.95);
    at_least(&v, "/overall/f1", 0.8);
    at_most(&v, "/false_positive_rate_organic", 0.001);
    at_most(&v, "/false_positive_rate_fans", 0.02);
    for role in v["roles"].as_array().unwrap() {
        let floor = match role["role"].as_str() {
            Some("bot_farm") => 0.38,
            Some("click_worker" | "pod_member" | "subscription_bot") => 0.9,
            _ => continue,
        };
        assert!(
            role["recall"].as_f64().unwrap_or(0.0) >= floor,
            "recall of {} is {}",
            role["role"],
            role["recall"]
        );
    }
}

#[test]
fn a_randomised_world_is_found_without_tuning() {
    // `synth --preset random` draws every behaviour parameter from wide ranges (farms
    // delivering over 1 min–6 h with up to 60 % camouflage, click-workers hours late, pools
    // serving 1–10 clients, pods of 5–50) against fandoms, viral posts, heavy users and
    // topical communities. Seed 12 at scale 0.3 (≈ 231 k likes) was drawn after the first
    // evidence-based flag (41aae37) and has been a tuning world since, so this is a floor, not
    // a held-out figure (those are in docs/method.md); measured: precision 1.000, recall 0.997,
    // every kind ≥ 0.985, no look-alike flagged.
    let v = synthesized(&["--preset", "random", "--seed", "12", "--scale", "0.3"]);
    at_least(&v, "/overall/precision", 0.95);
    at_least(&v, "/overall/recall", 0.9);
    for rate in [
        "/false_positive_rate_organic",
        "/false_positive_rate_heavy",
        "/false_positive_rate_viral_likers",
        "/false_positive_rate_communities",
    ] {
        at_most(&v, rate, 0.001);
    }
    at_most(&v, "/false_positive_rate_fans", 0.02);
    for role in v["roles"].as_array().unwrap() {
        if role["coordinated"] == true && role["accounts"].as_u64().unwrap_or(0) > 0 {
            assert!(
                role["recall"].as_f64().unwrap_or(0.0) >= 0.85,
                "recall of {} is {}",
                role["role"],
                role["recall"]
            );
        }
    }
}

#[test]
fn a_topical_community_bridging_unrelated_creators_is_not_flagged() {
    // The robustness matrix's farm × topical × mid cell at seed 303 (bench/matrix.py, scale
    // 0.5, ≈ 300 k likes; parameters in tests/fixtures): three topical communities of 250–270
    // accounts are the only bridge between their creators' audiences (the same accounts on
    // creators whose other likers never meet: 12–55 times the other likers' overlap). Before
    // the unrelated-creators evidence needed the group's timing to confirm it, all three were
    // flagged (precision 0.306, 48.8 % of the community members); now none is, and the planted
    // farms still are (recall 0.858).
    let params =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matrix-farm-topical-mid-303.json");
    let v = synthesized(&["--seed", "303", "--params", params.to_str().unwrap()]);
    at_most(&v, "/false_positive_rate_communities", 0.001);
    at_least(&v, "/overall/precision", 0.95);
    at_least(&v, "/overall/recall", 0.8);
}
