//! What a run says on stderr: one consistent account of the clusters, and progress for every
//! stage on a terminal (none when stderr is a file or a pipe, or with --quiet).

use crate::common::{farm_csv, write};
use crate::tools::program;
use std::path::PathBuf;
use std::process::Command;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lockstep"))
}

#[test]
fn the_console_gives_one_account_of_the_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    let run = Command::new(bin())
        .arg("detect")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let err = String::from_utf8(run.stderr).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let (clusters, flagged) = (
        manifest["counts"]["clusters"].as_u64().unwrap(),
        manifest["counts"]["flagged_clusters"].as_u64().unwrap(),
    );
    assert!(flagged > 0);
    // One line on the clusters, whose numbers are the manifest's; no count of a step that
    // reads as contradicting it.
    let line = err
        .lines()
        .find(|l| l.contains("clusters of at least"))
        .unwrap_or_else(|| panic!("no clusters line:\n{err}"));
    assert!(
        line.starts_with(&format!("lockstep: {clusters} clusters of at least 3 accounts: ")),
        "{line}"
    );
    assert!(
        line.contains(&format!("; {flagged} flagged as coordinated ("))
            && line.contains(&format!("{} not flagged", clusters - flagged)),
        "{line}"
    );
    assert!(!err.contains("pass the group test"), "{err}");
    assert!(
        err.contains(&format!(
            "({clusters} clusters, {flagged} flagged as coordinated,"
        )),
        "{err}"
    );
    // Not a terminal: no progress drawn.
    assert!(!err.contains('\r') && !err.contains("finding clusters"), "{err}");
}

#[test]
fn every_stage_shows_progress_on_a_terminal() {
    // `script` (util-linux) runs the binary on a pseudo-terminal and records what it drew.
    let Some(script) = program("script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let typescript = dir.path().join("typescript");
    let command = format!(
        "{} detect {} --out {}",
        bin().display(),
        input.display(),
        dir.path().join("out").display()
    );
    let run = Command::new(script)
        .args(["-q", "-e", "-c", &command])
        .arg(&typescript)
        .env("COLUMNS", "120")
        .env("LINES", "40")
        .output()
        .unwrap();
    let drawn = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    assert!(run.status.success(), "{drawn}");
    for stage in [
        "likes.csv",
        "merging duplicates",
        "building the graph",
        "co-like pairs",
        "significant pairs",
        "finding clusters",
        "scoring",
        "writing accounts",
        "writing graph files",
        "writing evidence",
        "writing report",
        "writing the output",
    ] {
        assert!(drawn.contains(stage), "no progress shown for {stage:?}:\n{drawn}");
    }
}
