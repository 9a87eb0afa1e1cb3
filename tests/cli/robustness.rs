//! What a hostile file or a crash cannot do to a run: take unbounded memory (every reader caps
//! a record; proven with bombs built here, read under a memory limit), leave litter (a killed
//! run's staging directory and temporary pair file), lose the previous output (an atomic
//! exchange; a commit cut short is put right by the next run), or fail late and vaguely (the
//! output is checked before the analysis, every error names its path).
//!
//! Crashes and failures at chosen steps of the commit are injected through `LOCKSTEP_FAULT`,
//! which debug builds of the binary read (`src/export/atomic.rs`).

use crate::common::{farm_csv, lockstep, write};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lockstep"))
}

/// The `.lockstep…` entries of `dir`, sorted.
fn litter(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".lockstep"))
        .collect();
    names.sort();
    names
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run `lockstep detect INPUT --out OUT` with `env`, and return what it did.
fn detect(input: &Path, out: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.arg("detect").arg(input).arg("--out").arg(out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// Which input the output in `out` was made from (the inputs' paths are in the manifest).
fn made_from(out: &Path) -> String {
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let path = m["inputs"]["files"][0]["path"].as_str().unwrap().to_string();
    Path::new(&path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Two inputs with the same rows, so that an output says which run wrote it.
fn two_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    (
        write(dir, "first.csv", farm_csv()),
        write(dir, "second.csv", farm_csv()),
    )
}

/// Every file of a finished output is there (the manifest is written last).
fn complete(out: &Path) -> bool {
    ["manifest.json", "accounts.csv", "report.html", "graph.gexf"]
        .iter()
        .all(|f| out.join(f).is_file())
}

fn fault_injection_works() -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("note: release test build: LOCKSTEP_FAULT is ignored, the crash tests did not run");
    }
    cfg!(debug_assertions)
}

// ---- 1. Memory: a record cap in every reader -----------------------------------------------

/// `head` then `unpacked` bytes of `0` with no line break, gzip-compressed as concatenated
/// members of one 16 MiB block (a gzip reader reads them as one stream): megabytes on disk.
fn gzip_bomb(head: &[u8], unpacked: u64) -> Vec<u8> {
    let member = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let block = member(&vec![b'0'; 16 << 20]);
    let mut out = member(head);
    for _ in 0..unpacked / (16 << 20) {
        out.extend_from_slice(&block);
    }
    out
}

/// Heap and other private memory the bomb runs get (RLIMIT_DATA): a reader that held one
/// whole bomb line would need gigabytes and die on a failed allocation instead of giving an
/// error.
const BOMB_MEMORY: u64 = 768 << 20;

/// Run `lockstep detect INPUT` with at most [`BOMB_MEMORY`] of data memory.
fn detect_bounded(input: &Path, out: &Path) -> Output {
    let child = Command::new(bin())
        .arg("detect")
        .arg(input)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, Resource, Rlimit, prlimit};
        let pid = Pid::from_raw(child.id() as i32).unwrap();
        let limit = Rlimit {
            current: Some(BOMB_MEMORY),
            maximum: Some(BOMB_MEMORY),
        };
        prlimit(Some(pid), Resource::Data, limit).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn refused_with(out: &Output, expected: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for e in expected {
        assert!(err.contains(e), "stderr lacks {e:?}:\n{err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "{err}"
    );
}

#[test]
fn a_gzip_bomb_of_one_endless_line_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 4 GiB of zeros after the header: 4 MB on disk.
    let csv = write(
        dir.path(),
        "bomb.csv.gz",
        gzip_bomb(b"account,post,time\n", 4 << 30),
    );
    assert!(fs::metadata(&csv).unwrap().len() < 8 << 20);
    let out = dir.path().join("out");
    refused_with(
        &detect_bounded(&csv, &out),
        &[csv.to_str().unwrap(), "line 2", "longer than 16 MiB"],
    );
    let jsonl = write(
        dir.path(),
        "bomb.jsonl.gz",
        gzip_bomb(b"{\"account\": \"a\", \"post\": \"p\", \"time\": 1}\n", 4 << 30),
    );
    refused_with(
        &detect_bounded(&jsonl, &out),
        &[jsonl.to_str().unwrap(), "line 2", "longer than 16 MiB"],
    );
    assert!(!out.exists() && litter(dir.path()).is_empty());
}

#[test]
fn a_collection_tool_export_has_the_same_record_cap() {
    // A Zeeschuimer NDJSON export (read by the nested-format reader, not the plain JSON-lines
    // one) whose second line is 17 MiB: refused at that line by the one cap of every reader.
    let dir = tempfile::tempdir().unwrap();
    let fixture = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/zeeschuimer-tiktok-comments.ndjson"),
    )
    .unwrap();
    let mut rows = fixture.lines().next().unwrap().as_bytes().to_vec();
    rows.push(b'\n');
    rows.extend(std::iter::repeat_n(b' ', 17 << 20));
    rows.extend_from_slice(b"{}\n");
    let ndjson = write(dir.path(), "comments.ndjson", rows);
    refused_with(
        &detect_bounded(&ndjson, &dir.path().join("out")),
        &["comments.ndjson", "line 2", "longer than 16 MiB"],
    );
}

#[test]
fn a_record_is_capped_across_quoted_line_breaks_too() {
    // One quoted CSV field of 17 MiB of line breaks: every line is short, the record is not.
    let dir = tempfile::tempdir().unwrap();
    let mut rows = b"account,post,time\na,p,1\n\"".to_vec();
    rows.extend(std::iter::repeat_n(b'\n', 17 << 20));
    rows.extend_from_slice(b"\",q,2\n");
    let csv = write(dir.path(), "quoted.csv", rows);
    refused_with(
        &detect_bounded(&csv, &dir.path().join("out")),
        &["quoted.csv", "line 3", "longer than 16 MiB"],
    );
}

/// Write a Parquet file of `df` to `dir/name`.
fn parquet(dir: &Path, name: &str, mut df: polars::prelude::DataFrame) -> PathBuf {
    use polars::prelude::ParquetWriter;
    let path = dir.join(name);
    ParquetWriter::new(fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    path
}

#[test]
fn parquet_values_over_the_cap_are_refused_by_row_and_column() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(17 << 20);
    // One row of 17 MiB: the footer says so, and nothing is read.
    let one = parquet(
        dir.path(),
        "one.parquet",
        df!("account" => [huge.as_str()], "post" => ["p"], "time" => [1i64]).unwrap(),
    );
    refused_with(
        &detect_bounded(&one, &dir.path().join("out")),
        &["one.parquet", "row 1", "column \"account\"", "longer than 16 MiB"],
    );
    // Row 3 000 of 4 000 is huge, the others short: the value is found by its row.
    let accounts: Vec<&str> = (0..4000)
        .map(|i| if i == 2999 { huge.as_str() } else { "a" })
        .collect();
    let many = parquet(
        dir.path(),
        "many.parquet",
        df!("account" => ["b"; 4000], "post" => accounts, "time" => [1i64; 4000]).unwrap(),
    );
    refused_with(
        &detect_bounded(&many, &dir.path().join("out")),
        &[
            "many.parquet",
            "row 3000",
            "column \"post\"",
            "longer than 16 MiB",
        ],
    );
}

// ---- 5. Parquet errors name the row and the column -----------------------------------------

#[test]
fn parquet_list_and_binary_columns_are_refused_by_row_and_column() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A list-typed account column, its first value in row 2.
    let lists = Series::new(
        "account".into(),
        [
            None,
            Some(Series::new("".into(), ["a", "b"])),
            Some(Series::new("".into(), ["c"])),
        ],
    );
    let df = DataFrame::new_infer_height(vec![
        lists.into(),
        Series::new("post".into(), ["p", "q", "r"]).into(),
        Series::new("time".into(), [1i64, 2, 3]).into(),
    ])
    .unwrap();
    let list_file = parquet(dir.path(), "lists.parquet", df);
    refused_with(
        &detect(&list_file, &out, &[]),
        &[
            "lists.parquet",
            "row 2",
            "column \"account\"",
            "list",
            "one id per row",
        ],
    );
    // A binary post column whose third value is not UTF-8.
    let raw: [&[u8]; 3] = [b"p1", b"p2", b"p\xff3"];
    let df = DataFrame::new_infer_height(vec![
        Series::new("account".into(), ["a", "b", "c"]).into(),
        Series::new("post".into(), raw).into(),
        Series::new("time".into(), [1i64, 2, 3]).into(),
    ])
    .unwrap();
    let binary_file = parquet(dir.path(), "binary.parquet", df);
    refused_with(
        &detect(&binary_file, &out, &[]),
        &[
            "binary.parquet",
            "row 3",
            "column \"post\"",
            "invalid UTF-8 at byte 1",
        ],
    );
    assert!(!out.exists());
}

// ---- 2. A killed run leaves nothing the next run does not clean ----------------------------

#[cfg(target_os = "linux")]
#[test]
fn a_killed_run_leaves_no_pair_file_and_its_staging_is_cleaned_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let tmp = fs::canonicalize(&tmp).unwrap();
    let out = dir.path().join("out");
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/likes.csv");
    let mut child = Command::new(bin())
        .arg("detect")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .env("TMPDIR", &tmp)
        .spawn()
        .unwrap();
    // Kill it while its temporary pair file is open (a descriptor that points into TMPDIR).
    let fds = PathBuf::from(format!("/proc/{}/fd", child.id()));
    let spilling = || {
        fs::read_dir(&fds)
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|to| to.starts_with(&tmp)))
    };
    while !spilling() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its pair file was seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The pair file had no name: nothing is left in TMPDIR. The staging directory is.
    assert_eq!(
        fs::read_dir(&tmp).unwrap().count(),
        0,
        "the pair file outlived the run"
    );
    let left = litter(dir.path());
    let staging = format!(".lockstep-staging-{}-", child.id());
    assert!(left.len() == 1 && left[0].starts_with(&staging), "{left:?}");
    assert!(!out.exists());
    // The next run removes it, says so, and writes its output.
    let next = detect(&input, &out, &[("TMPDIR", tmp.to_str().unwrap())]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(
        stderr(&next).contains("removed 1 leftover of interrupted runs"),
        "{}",
        stderr(&next)
    );
    assert!(litter(dir.path()).is_empty() && complete(&out));
}

// ---- 3. Replacing out/: one atomic exchange, and a commit cut short is put right -----------

#[cfg(target_os = "linux")]
#[test]
fn a_crash_right_after_the_exchange_leaves_the_new_output_whole() {
    if !fault_injection_works() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = two_inputs(dir.path());
    let out = dir.path().join("out");
    assert!(detect(&first, &out, &[]).status.success());
    let crashed = detect(&second, &out, &[("LOCKSTEP_FAULT", "abort:after-exchange")]);
    assert!(!crashed.status.success());
    // At no point was out/ missing: it is the new output, whole; the old one is litter.
    assert!(complete(&out));
    assert_eq!(made_from(&out), "second.csv");
    assert_eq!(litter(dir.path()).len(), 1);
    let next = detect(&first, &out, &[]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(litter(dir.path()).is_empty());
    assert_eq!(made_from(&out), "first.csv");
}

#[test]
fn a_crash_between_the_two_renames_is_put_right_by_the_next_run() {
    if !fault_injection_works() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = two_inputs(dir.path());
    let out = dir.path().join("out");
    assert!(detect(&first, &out, &[]).status.success());
    // The fallback commit (no atomic exchange), killed between its renames: no out/ at all.
    let crashed = detect(
        &second,
        &out,
        &[(
            "LOCKSTEP_FAULT",
            "fail:exchange-unsupported,abort:between-renames",
        )],
    );
    assert!(!crashed.status.success());
    assert!(!out.exists());
    let aside = litter(dir.path());
    assert!(
        aside
            .iter()
            .any(|n| n.starts_with(".lockstep-old-") && n.ends_with("-out")),
        "{aside:?}"
    );
    // The next run puts the previous output back before anything else: even when it then
    // fails on a bad input, out/ is the first output again.
    let bad = write(dir.path(), "bad.csv", "account,post,time\nx,y,notatime\n");
    let failed = detect(&bad, &out, &[]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        stderr(&failed).contains("the previous output was put back"),
        "{}",
        stderr(&failed)
    );
    assert!(complete(&out) && made_from(&out) == "first.csv");
    assert!(litter(dir.path()).is_empty(), "{:?}", litter(dir.path()));
}

// ---- 4. Failures that say where, leak nothing, and come before the analysis ----------------

#[test]
fn a_failed_commit_names_its_paths_cleans_its_staging_and_keeps_the_previous_output() {
    if !fault_injection_works() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = two_inputs(dir.path());
    let out = dir.path().join("out");
    assert!(detect(&first, &out, &[]).status.success());
    for faults in ["fail:exchange", "fail:exchange-unsupported,fail:move-aside"] {
        let failed = detect(&second, &out, &[("LOCKSTEP_FAULT", faults)]);
        let err = stderr(&failed);
        assert_eq!(failed.status.code(), Some(1), "{faults}: {err}");
        assert!(
            err.contains(out.to_str().unwrap()),
            "{faults}: names no path: {err}"
        );
        assert!(err.contains("injected failure"), "{err}");
        assert!(
            litter(dir.path()).is_empty(),
            "{faults}: {:?}",
            litter(dir.path())
        );
        assert!(complete(&out) && made_from(&out) == "first.csv", "{faults}");
    }
    // The previous output could not be removed after the exchange: a warning, and the next
    // run removes it.
    let kept = detect(&second, &out, &[("LOCKSTEP_FAULT", "fail:remove-previous")]);
    assert!(kept.status.success());
    assert!(
        stderr(&kept).contains("could not be removed"),
        "{}",
        stderr(&kept)
    );
    assert_eq!(made_from(&out), "second.csv");
    assert!(detect(&first, &out, &[]).status.success());
    assert!(litter(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_symlinked_out_is_followed_dangling_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = two_inputs(dir.path());
    let link = dir.path().join("results");
    std::os::unix::fs::symlink("real-results", &link).unwrap();
    // Dangling: the directory it names is written.
    let run = detect(&first, &link, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(complete(&dir.path().join("real-results")));
    // Existing: replaced through the link, which stays a link.
    assert!(detect(&second, &link, &[]).status.success());
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(made_from(&link), "second.csv");
    assert!(litter(dir.path()).is_empty());
    // A link to a file is refused with both names.
    let file_link = dir.path().join("to-a-file");
    std::os::unix::fs::symlink("first.csv", &file_link).unwrap();
    let refused = detect(&first, &file_link, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("first.csv exists and is not a directory"),
        "{}",
        stderr(&refused)
    );
}

#[cfg(unix)]
#[test]
fn an_unwritable_out_fails_before_the_analysis() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = two_inputs(dir.path());
    let out = dir.path().join("out");
    assert!(detect(&first, &out, &[]).status.success());
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(locked.join("probe"), "x").is_ok() {
        eprintln!("note: running with permission to write anywhere (root?): the read-only check did not run");
        return;
    }
    // A read-only previous output, and a read-only folder for a new one.
    for (target, path) in [(out.clone(), out.clone()), (locked.join("out"), locked.clone())] {
        let run = detect(&first, &target, &[]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{err}");
        assert!(err.contains(path.to_str().unwrap()), "names no path: {err}");
        assert!(
            !err.contains(" rows; account="),
            "failed only after reading the input: {err}"
        );
    }
    fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(complete(&out) && litter(dir.path()).is_empty());
}

#[test]
fn colike_stages_its_file_and_fails_before_the_projection() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = two_inputs(dir.path());
    let missing = dir.path().join("no/such/folder/pairs.csv");
    let run = lockstep()
        .args(["colike", first.to_str().unwrap(), "--out"])
        .arg(&missing)
        .output()
        .unwrap();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("no/such/folder"), "{err}");
    assert!(
        !err.contains(" rows; account="),
        "failed only after reading: {err}"
    );
    let pairs = dir.path().join("pairs.csv");
    assert!(
        lockstep()
            .args(["colike", first.to_str().unwrap(), "-q", "--out"])
            .arg(&pairs)
            .output()
            .unwrap()
            .status
            .success()
    );
    assert!(pairs.is_file() && litter(dir.path()).is_empty());
}
