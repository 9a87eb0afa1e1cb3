//! `lockstep inspect`.

use crate::common::{farm_csv, lockstep, write};

#[test]
fn summary_in_json_has_exact_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = farm_csv();
    text.push_str("b1,p1,1700000999,author0\n"); // a later duplicate of b1's like of p1
    let input = write(dir.path(), "likes.csv", text);
    let out = lockstep()
        .args(["inspect", input.to_str().unwrap(), "--json", "-q", "--top", "2"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["rows"], 181);
    assert_eq!(v["likes"], 180);
    assert_eq!(v["duplicates_merged"], 1);
    assert_eq!(v["accounts"], 30);
    let mut organic_posts: std::collections::HashSet<i32> = (0..8)
        .flat_map(|a| (0..6).map(move |k| (a * 7 + k * 5) % 30))
        .collect();
    organic_posts.extend((0..18).flat_map(|c| (0..5).map(move |m| (c * 3 + m * 7) % 30)));
    assert_eq!(v["posts"], 6 + organic_posts.len() as u64);
    assert_eq!(v["first"], "2023-11-14T22:13:20Z");
    assert_eq!(v["account_likes"]["min"], 6);
    assert_eq!(v["account_likes"]["max"], 6);
    assert_eq!(v["top_posts"][0]["likes"], 7);
    assert_eq!(v["top_posts"].as_array().unwrap().len(), 2);
    // Epoch seconds spread over the day: every row and like known to the second.
    let all_seconds = |n: u64| serde_json::json!({"second": n, "minute": 0, "hour": 0, "day": 0});
    assert_eq!(v["time_resolution"]["rows"], all_seconds(181));
    assert_eq!(v["time_resolution"]["likes"], all_seconds(180));
    assert_eq!(v["time_resolution"]["note"], serde_json::Value::Null);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], all_seconds(181));
}

#[test]
fn text_summary_names_columns_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = lockstep()
        .args(["inspect", input.to_str().unwrap()])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("account=\"account\", post=\"post\", time=\"time\", author=\"author\""),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("likes       180"), "{stdout}");
    assert!(stdout.contains("accounts    30"), "{stdout}");
}
