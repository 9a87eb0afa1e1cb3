//! Named export formats (tests/fixtures/formats, written by make.py from each tool's field
//! names): recognised without flags, the right columns chosen and said why, planted comment
//! farms found with no column flag, and bad records named by file, line and field.

use crate::common::{lockstep, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// `inspect --json` of some files, with extra arguments.
fn inspect(files: &[PathBuf], extra: &[&str]) -> Value {
    let out = lockstep()
        .arg("inspect")
        .args(files)
        .args(extra)
        .args(["--json", "-q"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn file0(v: &Value) -> &Value {
    &v["inputs"]["files"][0]
}

/// (file, format, account, post, time, author, text, rows, likes)
type Case<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    u64,
    u64,
);

#[test]
fn each_export_is_recognised_with_its_columns() {
    let cases: [Case; 11] = [
        (
            "zeeschuimer-tiktok-comments.ndjson",
            "zeeschuimer-tiktok-comments",
            "data.user.unique_id",
            "data.aweme_id",
            Some("data.create_time"),
            None,
            Some("data.text"),
            468,
            391,
        ),
        (
            "4cat-tiktok-comments.csv",
            "4cat-tiktok-comments",
            "author",
            "post_id",
            Some("unix_timestamp"),
            None,
            Some("body"),
            493,
            413,
        ),
        (
            "zeeschuimer-x.ndjson",
            "zeeschuimer-x",
            "data.core.user_results.result.core.screen_name",
            "(the retweeted or replied-to tweet)",
            Some("data.legacy.created_at"),
            None,
            Some("data.legacy.full_text"),
            17,
            17,
        ),
        (
            "zeeschuimer-instagram.ndjson",
            "zeeschuimer-instagram",
            "data.user.username",
            "data.code",
            Some("data.taken_at"),
            None,
            Some("data.caption.text"),
            20,
            20,
        ),
        (
            "4cat-x.csv",
            "4cat-x",
            "author",
            "thread_id",
            Some("unix_timestamp"),
            None,
            Some("body"),
            4,
            4,
        ),
        (
            "4cat-instagram.csv",
            "4cat-instagram",
            "author",
            "id",
            Some("unix_timestamp"),
            None,
            Some("body"),
            6,
            6,
        ),
        (
            "tiktok-api-videos.json",
            "tiktok-api-videos",
            "username",
            "id",
            Some("create_time"),
            None,
            Some("video_description"),
            6,
            6,
        ),
        (
            "twarc2-tweets.jsonl",
            "twarc2-tweets",
            "author_id",
            "(the retweeted or replied-to tweet)",
            Some("created_at"),
            None,
            Some("text"),
            13,
            13,
        ),
        (
            "twarc2-liking-users.jsonl",
            "twarc2-users",
            "username",
            "(page) __twarc.url …/tweets/ID",
            None,
            None,
            None,
            10,
            10,
        ),
        (
            "twarc2.csv",
            "twarc2-csv",
            "author_id",
            "referenced_tweets.retweeted.id",
            Some("created_at"),
            Some("retweeted_user_id"),
            None,
            14,
            12,
        ),
        (
            "bluesky-likes.json",
            "bluesky-likes",
            "actor.did",
            "(page) uri",
            Some("createdAt"),
            Some("(page) DID of uri"),
            None,
            18,
            18,
        ),
    ];
    for (name, format, account, post, time, author, text, rows, likes) in cases {
        let v = inspect(&[fixture(name)], &[]);
        let f = file0(&v);
        assert_eq!(f["source_format"], format, "{name}");
        let c = &f["columns"];
        assert_eq!(c["account"], account, "{name}");
        assert_eq!(c["post"], post, "{name}");
        assert_eq!(c["time"].as_str(), time, "{name}");
        assert_eq!(c["author"].as_str(), author, "{name}");
        assert_eq!(c["text"].as_str(), text, "{name}");
        assert_eq!(
            (v["rows"].as_u64(), v["likes"].as_u64()),
            (Some(rows), Some(likes)),
            "{name}"
        );
        assert!(
            !f["column_reasons"].as_array().unwrap().is_empty(),
            "{name}: no reasons"
        );
    }
}

#[test]
fn inspect_text_names_the_format_the_columns_and_why() {
    let out = lockstep()
        .args([
            "inspect",
            fixture("4cat-tiktok-comments.csv").to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("format: 4cat-tiktok-comments (4CAT CSV export of TikTok comments)"),
        "{text}"
    );
    assert!(
        text.contains(
            "columns: account=\"author\", post=\"post_id\", time=\"unix_timestamp\", text=\"body\""
        ),
        "{text}"
    );
    assert!(
        text.contains("account: author: 4CAT's `author` is the commenter"),
        "{text}"
    );
    assert!(text.contains("unix_timestamp` is epoch seconds"), "{text}");
}

#[test]
fn what_each_format_keeps_and_skips() {
    // X via Zeeschuimer: 12 retweets of 2 tweets and 5 replies kept, 2 originals skipped; only
    // replies carry a text, and a retweet's author is the retweeted account.
    let v = inspect(&[fixture("zeeschuimer-x.ndjson")], &[]);
    assert_eq!(file0(&v)["rows_skipped_format"], 2);
    assert_eq!(file0(&v)["texts"], 5);
    assert_eq!(v["posts"], 2);
    assert_eq!(v["top_authors"][0]["name"], "newsdesk");
    // 4CAT's X export: the four replies; the original and the retweet are skipped.
    let v = inspect(&[fixture("4cat-x.csv")], &[]);
    assert_eq!(file0(&v)["rows_skipped_format"], 2);
    assert_eq!((v["accounts"].as_u64(), v["posts"].as_u64()), (Some(4), Some(1)));
    // twarc2 pages: retweets and the reply, not the original tweet; no text from retweets.
    let v = inspect(&[fixture("twarc2-tweets.jsonl")], &[]);
    assert_eq!(file0(&v)["rows_skipped_format"], 1);
    assert_eq!(file0(&v)["texts"], 1);
    // Liking users: the tweet id comes from __twarc.url, no time.
    let v = inspect(&[fixture("twarc2-liking-users.jsonl")], &[]);
    assert_eq!(v["clock"], "logical");
    assert_eq!(v["top_posts"][0]["name"], "1810000000000000001");
    // Bluesky: the post is the page's uri, its author the DID inside it.
    let v = inspect(&[fixture("bluesky-likes.json")], &[]);
    assert_eq!(v["posts"], 3);
    assert_eq!(v["authors"], 3);
    assert!(
        v["top_authors"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("did:plc:author")
    );
    // Liked videos: the queried user comes from each file name.
    let files = ["anna.k", "ben", "cleo"].map(|u| fixture(&format!("liked_videos_{u}.json")));
    let v = inspect(&files, &[]);
    assert_eq!((v["accounts"].as_u64(), v["likes"].as_u64()), (Some(3), Some(12)));
    let names: Vec<&str> = v["top_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"anna.k") && names.contains(&"cleo"), "{names:?}");
    // … or from --queried-user.
    let v = inspect(
        &[fixture("liked_videos_ben.json")],
        &["--queried-user", "someone"],
    );
    assert_eq!(v["top_accounts"][0]["name"], "someone");
}

#[test]
fn from_forces_a_format_and_refuses_the_wrong_container() {
    // A generic name: --from makes it a Zeeschuimer file all the same.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("export.ndjson");
    std::fs::copy(fixture("zeeschuimer-tiktok-comments.ndjson"), &copy).unwrap();
    let v = inspect(
        std::slice::from_ref(&copy),
        &["--from", "zeeschuimer-tiktok-comments"],
    );
    assert_eq!(file0(&v)["source_format"], "zeeschuimer-tiktok-comments");
    let out = lockstep()
        .args([
            "inspect",
            copy.to_str().unwrap(),
            "--from",
            "4cat-tiktok-comments",
            "-q",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("is a CSV format, but the file was read as JSON"),
        "{err}"
    );
    lockstep()
        .args(["inspect", copy.to_str().unwrap(), "--from", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown export format"));
}

#[test]
fn dotted_paths_read_generic_nested_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for (k, (a, p)) in [("u1", "p1"), ("u2", "p1"), ("u1", "p2"), ("u3", "p2")]
        .iter()
        .enumerate()
    {
        text.push_str(&format!(
            "{{\"who\": {{\"name\": \"{a}\"}}, \"what\": {{\"ids\": [\"{p}\", \"x\"]}}, \"at\": {}}}\n",
            1_700_000_000 + k * 60
        ));
    }
    let f = write(dir.path(), "nested.jsonl", text);
    let v = inspect(
        std::slice::from_ref(&f),
        &[
            "--account-col",
            "who.name",
            "--post-col",
            "what.ids.0",
            "--time-col",
            "at",
        ],
    );
    assert_eq!(
        (v["accounts"].as_u64(), v["posts"].as_u64(), v["likes"].as_u64()),
        (Some(3), Some(2), Some(4))
    );
    assert_eq!(file0(&v)["columns"]["account"], "who.name");
    // Without the flags the error lists the paths and says how to name them.
    let out = lockstep()
        .args(["inspect", f.to_str().unwrap(), "-q"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("who.name") && err.contains("dotted paths"), "{err}");
}

/// The flagged accounts of a detect run with no column flag.
fn flagged_with_no_flags(input: &Path, out: &Path) -> (Vec<String>, String) {
    let run = lockstep()
        .args(["detect", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    let mut rdr = csv::Reader::from_path(out.join("accounts.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let at = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (id, flag) = (at("account_id"), at("flagged"));
    let mut flagged: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[flag] == "true")
        .map(|r| r[id].to_string())
        .collect();
    flagged.sort();
    (flagged, stderr)
}

fn planted(input: &Path, prefix: &str) -> Vec<String> {
    let text = std::fs::read_to_string(input).unwrap();
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| w.starts_with(prefix))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_planted_comment_farm_is_found_in_a_zeeschuimer_export_with_no_flags() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("zeeschuimer-tiktok-comments.ndjson");
    let out = dir.path().join("o");
    let (flagged, stderr) = flagged_with_no_flags(&input, &out);
    let farm = planted(&input, "zw_");
    assert_eq!(farm.len(), 8);
    assert_eq!(flagged, farm, "{stderr}");
    assert!(
        stderr.contains("recognised as Zeeschuimer NDJSON of TikTok comments"),
        "{stderr}"
    );
    assert!(
        stderr.contains("reasons and report speak of comments"),
        "{stderr}"
    );
    let clusters = std::fs::read_to_string(out.join("clusters.csv")).unwrap();
    assert!(clusters.contains("shared_texts"), "{clusters}");
    assert!(
        clusters.contains("members write variants of the same 5 texts"),
        "{clusters}"
    );
    // The evidence rows hold the texts as written, with their template and source line.
    let texts = std::fs::read_to_string(out.join("evidence/cluster-1-texts.csv")).unwrap();
    let mut lines = texts.lines();
    assert_eq!(
        lines.next(),
        Some("cluster_id,family,template,text,account,post,time,source_file,source_line")
    );
    assert!(texts.to_lowercase().contains("glowbay"), "{texts}");
    assert!(lines.all(|l| l.contains("zw_")));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.to_lowercase().contains("glowbay"),
        "the report shows the shared texts"
    );
}

#[test]
fn a_planted_comment_farm_is_found_in_a_4cat_export_with_no_flags() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("4cat-tiktok-comments.csv");
    let (flagged, stderr) = flagged_with_no_flags(&input, &dir.path().join("o"));
    let farm = planted(&input, "fw_");
    assert_eq!(farm.len(), 8);
    assert_eq!(flagged, farm, "{stderr}");
    // Without the texts the same run flags nobody: the farm's timing alone looks organic.
    let run = lockstep()
        .args(["detect", input.to_str().unwrap(), "--no-text", "--out"])
        .arg(dir.path().join("nt"))
        .args(["-q"])
        .assert()
        .success();
    drop(run);
    let accounts = std::fs::read_to_string(dir.path().join("nt/accounts.csv")).unwrap();
    assert!(!accounts.contains(",true,"), "flagged without texts");
}

/// Fails with exit 2, the message naming every piece in `expected`, no output directory and
/// no staging left behind.
fn fails(args: &[&str], out: &Path, expected: &[&str]) {
    crate::bad_input::fails_cleanly(args, out, expected);
}

#[test]
fn a_truncated_ndjson_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("zeeschuimer-tiktok-comments.ndjson")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cut = lines[6].len() / 2;
    lines[6].truncate(cut);
    let f = write(dir.path(), "cut.ndjson", lines.join("\n") + "\n");
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!("{p}, line 7:"), "cut short"],
    );
    // Cut at the very end of the file (a download that stopped).
    let whole = lines[..5].join("\n") + "\n" + &lines[5][..40];
    let f = write(dir.path(), "end.ndjson", whole);
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out2"),
        &[&format!("{p}, line 6:"), "cut short"],
    );
}

#[test]
fn a_missing_nested_field_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("zeeschuimer-tiktok-comments.ndjson")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut v: Value = serde_json::from_str(&lines[2]).unwrap();
    v["data"].as_object_mut().unwrap().remove("aweme_id");
    lines[2] = v.to_string();
    let mut w: Value = serde_json::from_str(&lines[4]).unwrap();
    let user = w["data"]["user"].as_object_mut().unwrap();
    user.remove("unique_id");
    user.remove("uid");
    lines[4] = w.to_string();
    let f = write(dir.path(), "holes.ndjson", lines[..4].join("\n") + "\n");
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out"),
        &[&format!(
            "{p}, line 3, column \"data.aweme_id\": field data.aweme_id is missing"
        )],
    );
    let f = write(dir.path(), "holes2.ndjson", lines[3..6].join("\n") + "\n");
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out2"),
        &[&format!(
            "{p}, line 2, column \"data.user.unique_id\": field data.user.unique_id is missing (nor data.user.uid)"
        )],
    );
    // In an API page the record is named by its place in the array.
    let like = |did: &str| serde_json::json!({"indexedAt": "2024-06-01T00:00:01.000Z", "createdAt": "2024-06-01T00:00:00.000Z", "actor": {"did": did, "handle": "x.bsky.social"}});
    let mut page = serde_json::json!({"uri": "at://did:plc:a/app.bsky.feed.post/1", "cid": "bafy", "likes": [like("did:plc:1"), like("did:plc:2"), like("did:plc:3")]});
    page["likes"][2].as_object_mut().unwrap().remove("actor");
    let f = write(
        dir.path(),
        "likes.json",
        serde_json::to_string_pretty(&page).unwrap(),
    );
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out3"),
        &[&format!(
            "{p}, line 1, column \"actor.did\": element 3 of likes: field actor.did is missing"
        )],
    );
}

#[test]
fn api_comments_without_commenters_and_liked_videos_without_a_user_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let page = serde_json::json!({"data": {"comments": [{"id": 1, "video_id": 2, "text": "nice", "create_time": 1700000000}], "cursor": 1, "has_more": false}, "error": {"code": "ok"}});
    let f = write(dir.path(), "comments.json", page.to_string());
    let p = f.to_str().unwrap();
    fails(
        &["detect", p],
        &dir.path().join("out"),
        &[p, "carry no commenter"],
    );
    let liked = std::fs::read_to_string(fixture("liked_videos_ben.json")).unwrap();
    let f = write(dir.path(), "liked_videos.json", liked);
    let p = f.to_str().unwrap();
    fails(&["detect", p], &dir.path().join("out2"), &[p, "--queried-user"]);
}

#[test]
fn columns_that_cannot_work_are_named_with_likelier_ones() {
    let dir = tempfile::tempdir().unwrap();
    // The CooRTweet layout: post_id is unique per row, url_id repeats.
    let mut rows = vec!["account_id,post_id,url_id,timestamp".to_string()];
    for i in 0..60 {
        rows.push(format!("a{},t{i},u{},{}", i % 12, i % 7, 1_700_000_000 + i * 30));
    }
    let f = write(dir.path(), "shares.csv", rows.join("\n") + "\n");
    let run = lockstep()
        .args(["inspect", f.to_str().unwrap()])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        err.contains("the post column \"post_id\" has a single account on 60 of its 60 posts"),
        "{err}"
    );
    assert!(
        err.contains("try --post-col with one of them") && err.contains("\"url_id\""),
        "{err}"
    );
    // A run on it says why it finds nothing.
    let run = lockstep()
        .args(["detect", f.to_str().unwrap(), "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .success();
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(err.contains("no two accounts share a post"), "{err}");
    // An author column that varies within posts (the acting account) is named.
    let mut rows = vec!["user,video,time,author_id".to_string()];
    for i in 0..40 {
        rows.push(format!(
            "a{},v{},{},a{}",
            i % 10,
            i % 4,
            1_700_000_000 + i * 30,
            i % 10
        ));
    }
    let f = write(dir.path(), "rts.csv", rows.join("\n") + "\n");
    let run = lockstep()
        .args(["inspect", f.to_str().unwrap()])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        err.contains("the author column \"author_id\" varies within a post on 4 posts"),
        "{err}"
    );
    assert!(err.contains("--no-author"), "{err}");
}
