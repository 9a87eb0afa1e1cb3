//! `--interaction`: the words of the reasons, report, evidence and graph files follow the kind
//! of interaction (issue 12); numbers and machine names (columns, attributes, types) do not.

use crate::common::{farm_csv, lockstep, logical_time_csv, write};
use std::collections::BTreeMap;
use std::path::Path;

fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// The report's headline, unescaped enough to compare.
fn headline(out: &Path) -> String {
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let start = html.find("<p class=\"headline\">").expect("headline") + 20;
    let end = start + html[start..].find("</p>").unwrap();
    html[start..end].to_string()
}

/// The farm of tests/cli/common.rs as follows: b1..b4 follow the accounts p1..p6 seconds apart.
fn follow_farm_csv() -> String {
    farm_csv().replacen("account,post,time,author", "follower,followed,time,author", 1)
}

#[test]
fn follow_data_is_written_in_the_words_of_follows() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "follows.csv", follow_farm_csv());
    let out = dir.path().join("out");
    lockstep()
        .arg("detect")
        .arg(&input)
        .args([
            "--interaction",
            "follow",
            "--account-col",
            "follower",
            "--post-col",
            "followed",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    // The manifest records the kind with every other parameter.
    let m = manifest(&out);
    assert_eq!(m["parameters"]["interaction"], "follow");
    // Reasons: the flagged farm is described in follows, and never in likes.
    let (headers, clusters) = read_csv(&out.join("clusters.csv"));
    let flagged: Vec<_> = clusters.iter().filter(|c| c["flagged"] == "true").collect();
    assert_eq!(flagged.len(), 1, "{clusters:?}");
    for c in &clusters {
        let reasons = &c["reasons"];
        assert!(!reasons.to_lowercase().contains("like"), "{reasons}");
    }
    let reasons = &flagged[0]["reasons"];
    assert!(reasons.contains("co-follows"), "{reasons}");
    assert!(reasons.contains("followed"), "{reasons}");
    assert!(
        reasons.contains("4 accounts acting on 6 shared followed accounts"),
        "{reasons}"
    );
    // Machine names do not change: column names, the type.
    assert_eq!(flagged[0]["type"], "bot_farm");
    assert!(headers.iter().any(|h| h == "colikes"));
    let (account_headers, accounts) = read_csv(&out.join("accounts.csv"));
    assert!(account_headers.iter().any(|h| h == "likes"));
    let b1 = accounts.iter().find(|a| a["account_id"] == "b1").unwrap();
    assert_eq!(b1["likes"], "6");
    assert!(
        b1["reason"].contains("6 of its 6 follows are on the cluster's 6 shared followed accounts"),
        "{}",
        b1["reason"]
    );
    // The report counts follows.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("follows"));
    assert!(html.contains("<h1>Coordinated following: lockstep report</h1>"));
    assert!(
        headline(&out).starts_with("180 follows by 30 accounts on 36 followed accounts. "),
        "{}",
        headline(&out)
    );
    // Evidence and graph files speak of follows too.
    let text = std::fs::read_to_string(out.join("evidence/cluster-1.txt")).unwrap();
    assert!(
        text.contains("at least 4 of the 4 accounts (100 %) followed within 1 h of each other"),
        "{text}"
    );
    assert!(
        text.contains("- p1 by author0: 4 of 4 accounts followed it"),
        "{text}"
    );
    let gexf = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert!(gexf.contains("lockstep account co-follow graph"));
    assert!(gexf.contains("title=\"colikes\""), "attribute names stay");
    let svg = std::fs::read_to_string(out.join("plots/cluster-1-colikes.svg")).unwrap();
    assert!(svg.contains("Cluster 1: co-follows observed against chance"));
}

#[test]
fn without_the_flag_the_words_are_likes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    lockstep()
        .arg("detect")
        .arg(&input)
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(manifest(&out)["parameters"]["interaction"], "like");
    let (_, clusters) = read_csv(&out.join("clusters.csv"));
    let flagged = clusters.iter().find(|c| c["flagged"] == "true").unwrap();
    assert!(flagged["reasons"].contains("co-likes"), "{}", flagged["reasons"]);
    assert!(
        flagged["reasons"].contains("4 accounts acting on 6 shared posts"),
        "{}",
        flagged["reasons"]
    );
    assert!(!flagged["reasons"].contains("follow"));
    assert!(
        headline(&out).starts_with("180 likes by 30 accounts on 36 posts. "),
        "{}",
        headline(&out)
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h1>Coordinated liking: lockstep report</h1>"));
    assert!(!html.contains("follows"));
}

#[test]
fn follow_data_without_times_uses_logical_time_in_follow_words() {
    let dir = tempfile::tempdir().unwrap();
    let csv = logical_time_csv().replacen("user_id,item", "follower,followed", 1);
    let input = write(dir.path(), "follows.csv", csv);
    let out = dir.path().join("out");
    lockstep()
        .arg("detect")
        .arg(&input)
        .args([
            "--interaction",
            "follow",
            "--window",
            "2",
            "--min-colikes",
            "3",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let m = manifest(&out);
    assert_eq!(m["parameters"]["interaction"], "follow");
    assert_eq!(m["time_unit"], "positions");
    let (_, edges) = read_csv(&out.join("edges.csv"));
    let pairs: Vec<(&str, &str, &str)> = edges
        .iter()
        .map(|r| (r["source"].as_str(), r["target"].as_str(), r["colikes"].as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![("b1", "b2", "6"), ("b1", "b3", "6"), ("b2", "b3", "6")]
    );
    let (_, clusters) = read_csv(&out.join("clusters.csv"));
    assert!(!clusters.is_empty());
    for c in &clusters {
        let reasons = &c["reasons"];
        assert!(!reasons.to_lowercase().contains("like"), "{reasons}");
        assert!(reasons.contains("co-follows"), "{reasons}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("times are positions in each followed account&#x27;s follow order"),
        "time note"
    );
    assert!(
        headline(&out).starts_with("124 follows by 23 accounts on 106 followed accounts. "),
        "{}",
        headline(&out)
    );
}

#[test]
fn the_flag_overrides_the_parameter_file_and_bad_kinds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let params = write(dir.path(), "p.toml", "interaction = \"comment\"\n");
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        lockstep()
            .arg("detect")
            .arg(&input)
            .arg("--params")
            .arg(&params)
            .args(extra)
            .args(["-q", "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let from_file = run(&[], "comment");
    assert_eq!(manifest(&from_file)["parameters"]["interaction"], "comment");
    let (_, clusters) = read_csv(&from_file.join("clusters.csv"));
    assert!(
        clusters[0]["reasons"].contains("co-comments"),
        "{}",
        clusters[0]["reasons"]
    );
    let flag = run(&["--interaction", "share"], "share");
    assert_eq!(manifest(&flag)["parameters"]["interaction"], "share");
    let (_, clusters) = read_csv(&flag.join("clusters.csv"));
    assert!(
        clusters[0]["reasons"].contains("co-shares"),
        "{}",
        clusters[0]["reasons"]
    );
    // Only the words differ: every number is the same.
    let numbers = |out: &Path| {
        let (_, rows) = read_csv(&out.join("clusters.csv"));
        rows.into_iter()
            .map(|mut r| {
                r.remove("reasons");
                r.remove("lockstep_core");
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&from_file), numbers(&flag));
    assert_eq!(
        std::fs::read(from_file.join("edges.csv")).unwrap(),
        std::fs::read(flag.join("edges.csv")).unwrap()
    );
    // --print-params shows the key; an unknown kind is a usage error naming the choices.
    let printed = lockstep()
        .args(["detect", "--interaction", "repost", "--print-params"])
        .assert()
        .success();
    let toml = String::from_utf8_lossy(&printed.get_output().stdout).to_string();
    assert!(toml.contains("interaction = \"repost\""), "{toml}");
    let refused = lockstep()
        .args(["detect", "--interaction", "retweet", "--print-params"])
        .assert()
        .failure()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("follow") && stderr.contains("repost"), "{stderr}");
}

/// Follow data without an author column: eight accounts follow each other (a follow-for-follow
/// ring), each ring member followed by the other seven within minutes on its own day; 300
/// other accounts follow 60 popular accounts at scattered times.
fn follow_ring_csv() -> String {
    let mut rows = vec!["follower,followed,time".to_string()];
    let ring: Vec<String> = (0..8).map(|i| format!("r{i}")).collect();
    for (day, target) in ring.iter().enumerate() {
        for (k, follower) in ring.iter().filter(|f| *f != target).enumerate() {
            let t = 1_700_000_000 + day as i64 * 86_400 + k as i64 * 120;
            rows.push(format!("{follower},{target},{t}"));
        }
    }
    for o in 0..300i64 {
        for k in 0..4i64 {
            let target = (o * 7 + k * 13) % 60;
            let t = 1_700_000_000 + (o * 3_541 + k * 86_413) % (30 * 86_400);
            rows.push(format!("o{o},star{target},{t}"));
        }
    }
    rows.join("\n") + "\n"
}

#[test]
fn a_follow_ring_is_an_engagement_pod_without_an_author_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "follows.csv", follow_ring_csv());
    let out = dir.path().join("out");
    lockstep()
        .arg("detect")
        .arg(&input)
        .args(["--interaction", "follow", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let (_, accounts) = read_csv(&out.join("accounts.csv"));
    let mut flagged: Vec<&str> = accounts
        .iter()
        .filter(|r| r["flagged"] == "true")
        .map(|r| r["account_id"].as_str())
        .collect();
    flagged.sort_unstable();
    assert_eq!(flagged, ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
    let (_, clusters) = read_csv(&out.join("clusters.csv"));
    let pod = &clusters[0];
    assert_eq!(pod["type"], "engagement_pod");
    assert!(
        pod["evidence"].split(';').any(|e| e == "reciprocity"),
        "{}",
        pod["evidence"]
    );
    assert_eq!(pod["reciprocity"], "1.0");
    // Follow data has no authors: the sentence speaks of the followed accounts themselves.
    assert!(
        pod["reasons"].contains("of the shared followed accounts are members themselves"),
        "{}",
        pod["reasons"]
    );
}
