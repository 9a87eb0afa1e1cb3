//! Every kind of bad input: a clear message naming the file (and line/column), exit code 2, no
//! panic, and no output directory.

use crate::common::{lockstep, write};
use predicates::prelude::*;

pub(crate) fn fails_cleanly(args: &[&str], out: &std::path::Path, expected: &[&str]) {
    let assert = lockstep()
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for e in expected {
        assert!(stderr.contains(e), "stderr lacks {e:?}:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "output directory was created");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lockstep"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind");
}

#[test]
fn missing_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", "user,when\nu1,2024-01-01T00:00:00Z\n");
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[p, "no post column found", "--post-col", "\"user\""],
    );
}

#[test]
fn named_column_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", "account,post,time\na,p,1700000000\n");
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p, "--account-col", "liker"],
        &dir.path().join("out"),
        &[p, "no column \"liker\""],
    );
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", "");
    let p = f.to_str().unwrap();
    fails_cleanly(&["detect", p], &dir.path().join("out"), &[p, "the file is empty"]);
}

#[test]
fn header_only() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", "account,post,time\n");
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[p, "header but no data rows"],
    );
}

#[test]
fn ragged_row() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        "account,post,time\na,p,1700000000\nb,p\n",
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 3"), "has 2 fields but the header has 3"],
    );
}

#[test]
fn unparseable_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        "account,post,time\na,p,2024-01-01T00:00:00Z\nb,p,yesterday\n",
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 3, column \"time\""), "\"yesterday\""],
    );
}

#[test]
fn empty_time_cell() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        "account,post,time\na,p,2024-03-05\nb,p,\n",
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 3, column \"time\""), "empty timestamp"],
    );
}

#[test]
fn dates_then_epoch_numbers_in_one_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        "account,post,time\na,p,2024-03-05\nb,p,1709596800\n",
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[
            &format!("{p}, line 3, column \"time\""),
            "\"1709596800\"",
            "--time-format",
        ],
    );
}

#[test]
fn odd_but_valid_times_never_panic() {
    // Dates, minutes, seconds, zones, before 1970 and far ahead, in one ISO column: all read,
    // each with a resolution.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        "account,post,time\n\
         a,p,2024-03-05\n\
         b,p,2024-03-05 14:03\n\
         c,p,2024-03-05T00:00:00+14:00\n\
         d,p,1969-12-31T23:59:59.999-12:00\n\
         e,p,1900-01-01\n\
         f,p,9999-12-31T23:59:59Z\n\
         g,p,  2024-03-05T10:00:00Z  \n",
    );
    let out = crate::common::lockstep()
        .args(["inspect", f.to_str().unwrap(), "--json", "-q"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let r = &v["time_resolution"]["rows"];
    assert_eq!(r["day"], 2, "{r}");
    assert_eq!(r["minute"], 1, "{r}");
    assert_eq!(r["second"], 4, "{r}");
    // Epoch numbers before 1970 and at the edge of the range.
    let g = write(
        dir.path(),
        "epoch.csv",
        "account,post,time\na,p,-86400\nb,p,0\nc,p,-1.5\nd,p,999999999999\n",
    );
    let out = crate::common::lockstep()
        .args(["inspect", g.to_str().unwrap(), "--json", "-q"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["time_resolution"]["rows"]["second"], 4);
}

#[test]
fn invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv",
        b"account,post,time\na,p,1700000000\nb\xff\xfe,p,1700000001\n".as_slice(),
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 3, column \"account\""), "invalid UTF-8"],
    );
}

#[test]
fn invalid_utf8_in_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.jsonl",
        b"{\"account\":\"a\",\"post\":\"p\",\"time\":1}\n{\"account\":\"\xff\"}\n".as_slice(),
    );
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 2"), "invalid UTF-8"],
    );
}

#[test]
fn nonexistent_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.csv");
    let p = p.to_str().unwrap();
    fails_cleanly(&["detect", p], &dir.path().join("out"), &[p, "no such file"]);
}

#[test]
fn directory_as_path() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("likes");
    std::fs::create_dir(&sub).unwrap();
    let p = sub.to_str().unwrap();
    fails_cleanly(&["detect", p], &dir.path().join("out"), &[p, "is a directory"]);
}

#[test]
fn corrupt_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "likes.csv.gz",
        b"\x1f\x8b\x08\x00not really gzip".as_slice(),
    );
    let p = f.to_str().unwrap();
    fails_cleanly(&["detect", p], &dir.path().join("out"), &[p, "cannot read"]);
}

#[test]
fn not_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.parquet", "account,post\na,b\n");
    let p = f.to_str().unwrap();
    fails_cleanly(
        &["detect", p],
        &dir.path().join("out"),
        &[p, "cannot read as Parquet"],
    );
}

#[test]
fn later_bad_file_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "a.csv", crate::common::farm_csv());
    let bad = write(dir.path(), "b.csv", "account,post,time\nx,y,notatime\n");
    fails_cleanly(
        &["detect", good.to_str().unwrap(), bad.to_str().unwrap()],
        &dir.path().join("out"),
        &[bad.to_str().unwrap(), "line 2"],
    );
}

#[test]
fn duration_window_on_data_without_time() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", "account,post\na,p\nb,p\n");
    fails_cleanly(
        &["detect", f.to_str().unwrap(), "--window", "10m"],
        &dir.path().join("out"),
        &["no time column"],
    );
}

#[test]
fn usage_errors_exit_2() {
    lockstep()
        .args(["detect", "--window", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad window"));
    lockstep()
        .args(["detect", "--fdr", "2", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fdr"));
}

#[test]
fn refuses_to_replace_a_foreign_directory() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", crate::common::farm_csv());
    let out = dir.path().join("thesis");
    std::fs::create_dir(&out).unwrap();
    write(&out, "chapter1.tex", "precious");
    lockstep()
        .args(["detect", f.to_str().unwrap(), "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not look like a lockstep output"));
    assert_eq!(
        std::fs::read_to_string(out.join("chapter1.tex")).unwrap(),
        "precious"
    );
}
