//! `lockstep synth` with drawn parameters, parameter files, follow worlds and coarse times;
//! `lockstep evaluate` with the look-alike rates.

use crate::common::lockstep;
use serde_json::Value;
use std::path::Path;

fn synth(dir: &Path, args: &[&str]) {
    lockstep()
        .arg("synth")
        .args(args)
        .arg("-q")
        .arg("--out")
        .arg(dir)
        .assert()
        .success();
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

fn params_of(dir: &Path) -> Value {
    serde_json::from_slice(&read(dir, "params.json")).unwrap()
}

#[test]
fn the_committed_sample_is_still_what_small_seed_42_makes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), &["--preset", "small", "--seed", "42"]);
    for f in ["likes.csv", "truth.csv", "posts.csv", "params.json"] {
        assert!(
            read(dir.path(), f) == read(&repo.join("data"), f),
            "{f} differs from data/{f}"
        );
    }
}

#[test]
fn random_preset_is_deterministic_and_drawn_from_the_seed() {
    let d = tempfile::tempdir().unwrap();
    let (a, b, c) = (d.path().join("a"), d.path().join("b"), d.path().join("c"));
    let args = ["--preset", "random", "--seed", "3", "--scale", "0.05"];
    synth(&a, &args);
    synth(&b, &args);
    for f in ["likes.csv", "truth.csv", "posts.csv", "params.json"] {
        assert!(read(&a, f) == read(&b, f), "{f} differs between two runs");
    }
    synth(&c, &["--preset", "random", "--seed", "4", "--scale", "0.05"]);
    let (pa, pc) = (params_of(&a), params_of(&c));
    assert_eq!(pa["preset"], "random");
    assert_eq!(pa["seed"], 3);
    assert_ne!(pa["params"]["farms"], pc["params"]["farms"]);
    assert_ne!(pa["params"]["organic"], pc["params"]["organic"]);
}

#[test]
fn print_params_and_params_file_reproduce_a_world() {
    let d = tempfile::tempdir().unwrap();
    let args = ["--preset", "random", "--seed", "8", "--scale", "0.05"];
    let out = lockstep()
        .arg("synth")
        .args(args)
        .arg("--print-params")
        .assert()
        .success();
    let printed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(printed["preset"], "random");
    let file = d.path().join("cell.json");
    std::fs::write(&file, &out.get_output().stdout).unwrap();
    let (direct, via_file, via_params_json) = (d.path().join("a"), d.path().join("b"), d.path().join("c"));
    synth(&direct, &args);
    synth(&via_file, &["--params", file.to_str().unwrap(), "--seed", "8"]);
    let pj = direct.join("params.json");
    synth(
        &via_params_json,
        &["--params", pj.to_str().unwrap(), "--seed", "8"],
    );
    for f in ["likes.csv", "truth.csv", "posts.csv", "params.json"] {
        assert!(read(&direct, f) == read(&via_file, f), "{f}: --params differs");
        assert!(
            read(&direct, f) == read(&via_params_json, f),
            "{f}: params.json differs"
        );
    }
    assert_eq!(params_of(&direct)["params"], printed);

    // A composed cell: edit a value, and the world follows it.
    let mut cell = printed.clone();
    cell["farms"]["count"] = 2.into();
    cell["pods"]["count"] = 0.into();
    cell["date_only_share"] = 0.25.into();
    std::fs::write(&file, serde_json::to_vec(&cell).unwrap()).unwrap();
    let composed = d.path().join("d");
    synth(&composed, &["--params", file.to_str().unwrap(), "--seed", "8"]);
    let p = params_of(&composed);
    assert_eq!(p["params"]["farms"]["count"], 2);
    let truth = String::from_utf8(read(&composed, "truth.csv")).unwrap();
    assert!(truth.contains(",bot_farm,farm-2"));
    assert!(!truth.contains(",pod_member,"));
    let rows = p["stats"]["likes"].as_f64().unwrap();
    let day = p["stats"]["date_only_rows"].as_f64().unwrap();
    assert!((day / rows - 0.25).abs() < 0.03, "{day} of {rows}");
}

#[test]
fn synth_options_are_checked() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("w");
    let o = out.to_str().unwrap();
    lockstep()
        .args(["synth", "--preset", "small", "--params", "x.json", "--out", o])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
    let bad = d.path().join("bad.json");
    std::fs::write(&bad, "{\"preset\": \"x\"}").unwrap();
    lockstep()
        .args(["synth", "--params", bad.to_str().unwrap(), "--out", o])
        .assert()
        .failure()
        .stderr(predicates::str::contains("bad.json"));
    lockstep()
        .args([
            "synth",
            "--preset",
            "small",
            "--date-only-share",
            "1.5",
            "--out",
            o,
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "date_only_share must be between 0 and 1",
        ));
    lockstep()
        .args(["synth", "--preset", "small"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--out"));
    assert!(!out.exists());
}

#[test]
fn follow_world_without_times_is_detected_and_evaluated() {
    let d = tempfile::tempdir().unwrap();
    let world = d.path().join("w");
    synth(
        &world,
        &[
            "--preset",
            "small",
            "--interaction",
            "follow",
            "--no-times",
            "--seed",
            "2",
            "--scale",
            "0.5",
        ],
    );
    let text = String::from_utf8(read(&world, "follows.csv")).unwrap();
    assert!(text.starts_with("follower,followed\n"), "{}", &text[..40]);
    assert!(text.lines().skip(1).all(|l| l.split(',').count() == 2));
    assert!(!world.join("likes.csv").exists());
    let p = params_of(&world);
    assert_eq!(p["params"]["interaction"], "follow");
    assert_eq!(p["params"]["no_times"], true);
    let run = d.path().join("run");
    lockstep()
        .arg("detect")
        .arg(world.join("follows.csv"))
        .args(["--window", "10", "-q", "--out"])
        .arg(&run)
        .assert()
        .success();
    let out = lockstep()
        .arg("evaluate")
        .arg("--truth")
        .arg(world.join("truth.csv"))
        .arg("--accounts")
        .arg(run.join("accounts.csv"))
        .arg("--json")
        .assert()
        .success();
    let e: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        e["recall_planted"]["bot_farm"].is_number(),
        "{}",
        e["recall_planted"]
    );
    assert!(
        e["world_files"]["rows"]
            .as_str()
            .unwrap()
            .ends_with("follows.csv")
    );
    let viral = e["lookalikes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lookalike"] == "viral_likers")
        .expect("viral likers measured from follows.csv and followed.csv");
    assert!(viral["accounts"].as_u64().unwrap() > 0);
}

#[test]
fn evaluate_takes_the_world_files_by_name() {
    let d = tempfile::tempdir().unwrap();
    let world = d.path().join("w");
    synth(&world, &["--preset", "small", "--seed", "5", "--scale", "0.2"]);
    // Rename the world files so they are not found next to the truth.
    let (rows, items) = (d.path().join("rows.csv"), d.path().join("items.csv"));
    std::fs::rename(world.join("likes.csv"), &rows).unwrap();
    std::fs::rename(world.join("posts.csv"), &items).unwrap();
    // A detector that flags every account that liked a viral post.
    let posts = String::from_utf8(std::fs::read(&items).unwrap()).unwrap();
    let viral: std::collections::HashSet<&str> = posts
        .lines()
        .filter(|l| l.ends_with(",viral"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(!viral.is_empty());
    let likes = String::from_utf8(std::fs::read(&rows).unwrap()).unwrap();
    let likers: std::collections::HashSet<&str> = likes
        .lines()
        .skip(1)
        .filter(|l| viral.contains(l.split(',').nth(1).unwrap()))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let truth = String::from_utf8(read(&world, "truth.csv")).unwrap();
    let mut acc = String::from("account_id,flagged\n");
    for l in truth.lines().skip(1) {
        let id = l.split(',').next().unwrap();
        acc.push_str(&format!("{id},{}\n", likers.contains(id)));
    }
    let accounts = d.path().join("accounts.csv");
    std::fs::write(&accounts, acc).unwrap();
    let eval = |extra: &[&Path]| -> Value {
        let mut cmd = lockstep();
        cmd.arg("evaluate")
            .arg("--truth")
            .arg(world.join("truth.csv"))
            .arg("--accounts")
            .arg(&accounts)
            .arg("--json");
        if let [r, i] = extra {
            cmd.arg("--likes").arg(r).arg("--posts").arg(i);
        }
        let out = cmd.assert().success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let without = eval(&[]);
    assert!(without["false_positive_rate_viral_likers"].is_null());
    let with = eval(&[&rows, &items]);
    assert_eq!(with["false_positive_rate_viral_likers"], 1.0);
    assert!(with["false_positive_rate_organic"].as_f64().unwrap() > 0.0);
    assert_eq!(
        with["false_positive_rate_organic"],
        without["false_positive_rate_organic"]
    );
}
