//! Time resolution: which rows carry only a date, or times rounded to the hour or minute
//! (docs/method.md, "Time resolution"), counted per file and in total by `inspect` and the
//! manifest.

use crate::common::{lockstep, write};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// `lockstep inspect FILES --json -q [extra]`, parsed.
fn inspect_json(files: &[&Path], extra: &[&str]) -> Value {
    let out = lockstep()
        .arg("inspect")
        .args(files)
        .args(["--json", "-q"])
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn counts(second: u64, minute: u64, hour: u64, day: u64) -> Value {
    json!({"second": second, "minute": minute, "hour": hour, "day": day})
}

/// A time `i` rows into a spread of full timestamps: seconds and minutes never round.
fn full_time(i: u64) -> String {
    let s = 1_709_251_200 + i * 7_919 + 17 + i % 13; // from 2024-03-01, a prime step
    let dt = iso_utc(s);
    format!("{dt}Z")
}

/// RFC 3339 (without the zone letter) of epoch seconds, without a date library.
fn iso_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn csv(rows: impl IntoIterator<Item = String>) -> String {
    let mut text = String::from("account,post,time\n");
    for r in rows {
        text.push_str(&r);
        text.push('\n');
    }
    text
}

#[test]
fn the_time_helper_writes_rfc3339() {
    assert_eq!(iso_utc(1_709_251_200), "2024-03-01T00:00:00");
    assert_eq!(iso_utc(1_700_000_000), "2023-11-14T22:13:20");
}

#[test]
fn date_only_rows_are_days_and_the_rest_stay_seconds() {
    let dir = tempfile::tempdir().unwrap();
    // 30 full timestamps, then 12 rows from a source that gives only the date, in one file.
    let mut rows: Vec<String> = (0..30)
        .map(|i| format!("u{i},p{},{}", i % 5, full_time(i)))
        .collect();
    rows.extend((0..12).map(|i| format!("d{i},p{},2024-03-{:02}", i % 5, 1 + i % 9)));
    let f = write(dir.path(), "mixed.csv", csv(rows));
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(30, 0, 0, 12));
    assert_eq!(v["inputs"]["time_resolution"], counts(30, 0, 0, 12));
    assert_eq!(v["time_resolution"]["rows"], counts(30, 0, 0, 12));
    assert_eq!(v["time_resolution"]["likes"], counts(30, 0, 0, 12));
    assert_eq!(
        v["time_resolution"]["note"],
        "12 rows (29 %) carry only a date: they count for co-activity but not for timing within less than a day"
    );
}

#[test]
fn a_source_writing_dates_as_midnight_is_found_in_a_file_of_full_times() {
    let dir = tempfile::tempdir().unwrap();
    // Same text shape for both sources: 300 full times and 40 `…T00:00:00Z` on 20 days.
    let mut rows: Vec<String> = (0..300)
        .map(|i| format!("u{},p{},{}", i % 50, i % 7, full_time(i)))
        .collect();
    rows.extend((0..40).map(|i| format!("d{i},p{},2024-03-{:02}T00:00:00Z", i % 7, 1 + i % 20)));
    let f = write(dir.path(), "source.csv", csv(rows));
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(300, 0, 0, 40));
}

#[test]
fn a_few_genuine_midnights_stay_seconds() {
    let dir = tempfile::tempdir().unwrap();
    // 200 full timestamps, 3 of them exactly at midnight: likes at midnight, not dates.
    let rows: Vec<String> = (0..200)
        .map(|i| {
            let t = if [10, 90, 150].contains(&i) {
                format!("2024-03-{:02}T00:00:00Z", 2 + i / 10)
            } else {
                full_time(i)
            };
            format!("u{i},p{},{t}", i % 9)
        })
        .collect();
    let f = write(dir.path(), "likes.csv", csv(rows));
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(200, 0, 0, 0));
    // Nothing coarse: the total is not written, the summary says so.
    assert!(v["inputs"].get("time_resolution").is_none(), "{}", v["inputs"]);
    assert_eq!(v["time_resolution"]["rows"], counts(200, 0, 0, 0));
    assert_eq!(v["time_resolution"]["note"], Value::Null);
    // A single midnight in a one-row file is a like at midnight too.
    let one = write(
        dir.path(),
        "one.csv",
        "account,post,time\na,p,2024-03-05T00:00:00Z\n",
    );
    let v = inspect_json(&[&one], &[]);
    assert_eq!(v["time_resolution"]["rows"], counts(1, 0, 0, 0));
}

#[test]
fn a_file_rounded_to_the_hour_is_hours_midnights_included() {
    let dir = tempfile::tempdir().unwrap();
    // 96 likes on the hour over four days: 4 of them at midnight, which are hours as well.
    let rows: Vec<String> = (0..96u64)
        .map(|i| {
            let t = iso_utc(1_709_251_200 + i * 3_600);
            format!("u{},p{},{t}Z", i % 20, i % 6)
        })
        .collect();
    let hourly = write(dir.path(), "hourly.csv", csv(rows));
    let full = write(
        dir.path(),
        "full.csv",
        csv((0..50).map(|i| format!("v{i},p{},{}", i % 6, full_time(i)))),
    );
    let v = inspect_json(&[&hourly, &full], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(0, 0, 96, 0));
    assert_eq!(v["inputs"]["files"][1]["time_resolution"], counts(50, 0, 0, 0));
    assert_eq!(v["inputs"]["time_resolution"], counts(50, 0, 96, 0));
    assert_eq!(
        v["time_resolution"]["note"],
        "96 rows (66 %) are rounded to the hour: they count for co-activity but not for timing within less than an hour"
    );
}

#[test]
fn times_without_seconds_are_minutes_and_patterns_tell_their_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<String> = (0..40u64)
        .map(|i| {
            let t = iso_utc(1_709_251_200 + i * 4_321);
            format!("u{i},p{},{}", i % 4, &t[..16].replace('T', " "))
        })
        .collect();
    let f = write(dir.path(), "minutes.csv", csv(rows));
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["time_resolution"]["rows"], counts(0, 40, 0, 0));
    // --time-format with a date-only pattern: days.
    let g = write(
        dir.path(),
        "dates.csv",
        "account,post,time\na,p,05/03/2024\nb,p,06/03/2024\n",
    );
    let v = inspect_json(&[&g], &["--time-format", "%d/%m/%Y"]);
    assert_eq!(v["time_resolution"]["rows"], counts(0, 0, 0, 2));
}

#[test]
fn text_summary_and_load_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<String> = (0..6).map(|i| format!("u{i},p1,{}", full_time(i))).collect();
    rows.extend((0..4).map(|i| format!("d{i},p1,2024-03-0{}", 1 + i)));
    let f = write(dir.path(), "likes.csv", csv(rows));
    let out = lockstep()
        .args(["inspect", f.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let sentence = "4 rows (40 %) carry only a date: they count for co-activity but not for timing within less than a day";
    assert!(
        stdout.contains("              time resolution: 6 to the second, 4 date only\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("resolution  rows: 6 to the second, 4 date only\n"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("            {sentence}\n")), "{stdout}");
    assert!(
        stderr.contains("likes.csv: time resolution of its rows: 6 to the second, 4 date only"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("lockstep: {sentence}\n")), "{stderr}");
    // Full timestamps: one resolution line, no note.
    let g = write(dir.path(), "full.csv", crate::common::farm_csv());
    let out = lockstep()
        .args(["inspect", g.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stdout.contains("resolution  rows: 180 to the second\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("carry only"), "{stdout}");
    assert!(!stderr.contains("resolution"), "{stderr}");
}

#[test]
fn logical_time_has_no_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "likes.csv", crate::common::logical_time_csv());
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["time_resolution"], Value::Null);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], Value::Null);
    assert!(v["inputs"].get("time_resolution").is_none());
}

#[test]
fn a_timed_duplicate_beats_the_date_of_the_same_day() {
    let dir = tempfile::tempdir().unwrap();
    // The same like from two sources: a date, and the time on that day.
    let dates = write(
        dir.path(),
        "dates.csv",
        "account,post,time\na,p,2024-03-05\nb,p,2024-03-05\nc,p,2024-03-04\n",
    );
    let times = write(
        dir.path(),
        "times.csv",
        "account,post,time\na,p,2024-03-05T14:03:22Z\nb,p,2024-03-06T08:00:01Z\nc,p,2024-03-04T10:11:12Z\n",
    );
    let v = inspect_json(&[&dates, &times], &[]);
    assert_eq!(v["inputs"]["time_resolution"], counts(3, 0, 0, 3));
    assert_eq!(v["duplicates_merged"], 3);
    // a and c: the timed rows (same day, known to the second); b: the date, a day earlier.
    assert_eq!(v["time_resolution"]["likes"], counts(2, 0, 0, 1));
    assert_eq!(v["first"], "2024-03-04T10:11:12Z");
    assert_eq!(v["last"], "2024-03-05T14:03:22Z");
}

#[test]
fn jsonl_dates_and_day_rounded_epoch_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..8 {
        text.push_str(&format!(
            "{{\"account\":\"u{i}\",\"post\":\"p{}\",\"time\":\"2024-03-0{}\"}}\n",
            i % 3,
            1 + i % 5
        ));
        text.push_str(&format!(
            "{{\"account\":\"v{i}\",\"post\":\"p{}\",\"time\":\"{}\"}}\n",
            i % 3,
            full_time(i)
        ));
    }
    let f = write(dir.path(), "likes.jsonl", text);
    let v = inspect_json(&[&f], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(8, 0, 0, 8));
    // JSON numbers that all fall on midnight UTC: days, from the values.
    let mut text = String::new();
    for i in 0..10u64 {
        let t = 1_709_251_200 + (i % 6) * 86_400;
        text.push_str(&format!(
            "{{\"account\":\"u{i}\",\"post\":\"p{}\",\"time\":{t}}}\n",
            i % 3
        ));
    }
    let g = write(dir.path(), "epoch.jsonl", text);
    let v = inspect_json(&[&g], &[]);
    assert_eq!(v["time_resolution"]["rows"], counts(0, 0, 0, 10));
}

fn write_parquet(path: &Path, who: &str, time: polars::prelude::Column) {
    use polars::prelude::*;
    let n = time.len();
    let accounts: Vec<String> = (0..n).map(|i| format!("{who}{i}")).collect();
    let posts: Vec<String> = (0..n).map(|i| format!("p{}", i % 3)).collect();
    let mut df = DataFrame::new(
        n,
        vec![
            Column::new("account".into(), accounts),
            Column::new("post".into(), posts),
            time,
        ],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

#[test]
fn parquet_date_columns_are_days_and_datetimes_are_judged_by_value() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let dates: PathBuf = dir.path().join("dates.parquet");
    let days: Vec<i32> = (0..9).map(|i| 19_783 + i % 4).collect(); // 2024-03-01…
    let date_col = Column::new("time".into(), days).cast(&DataType::Date).unwrap();
    write_parquet(&dates, "d", date_col);
    let stamps: PathBuf = dir.path().join("stamps.parquet");
    let ms: Vec<i64> = (0..9u64)
        .map(|i| (1_709_251_200 + i * 7_919 + 17) as i64 * 1_000 + 250)
        .collect();
    let dt_col = Column::new("time".into(), ms)
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        .unwrap();
    write_parquet(&stamps, "s", dt_col);
    let v = inspect_json(&[&dates, &stamps], &[]);
    assert_eq!(v["inputs"]["files"][0]["time_resolution"], counts(0, 0, 0, 9));
    assert_eq!(v["inputs"]["files"][1]["time_resolution"], counts(9, 0, 0, 0));
    assert_eq!(v["first"], "2024-03-01T00:00:00Z");
    assert_eq!(v["time_resolution"]["likes"], counts(9, 0, 0, 9));
}

#[test]
fn the_manifest_counts_resolution_per_file_and_in_total() {
    let dir = tempfile::tempdir().unwrap();
    let farm = write(dir.path(), "farm.csv", crate::common::farm_csv());
    let dates = write(
        dir.path(),
        "dates.csv",
        csv((0..5).map(|i| format!("d{i},p1,2023-11-1{}", 4 + i % 3))),
    );
    let out = dir.path().join("out");
    lockstep()
        .args(["detect", "-q", "--out"])
        .arg(&out)
        .arg(&farm)
        .arg(&dates)
        .assert()
        .success();
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["inputs"]["files"][0]["time_resolution"], counts(180, 0, 0, 0));
    assert_eq!(m["inputs"]["files"][1]["time_resolution"], counts(0, 0, 0, 5));
    assert_eq!(m["inputs"]["time_resolution"], counts(180, 0, 0, 5));
    // Full timestamps only: per-file counts, no total.
    let out2 = dir.path().join("out2");
    lockstep()
        .args(["detect", "-q", "--out"])
        .arg(&out2)
        .arg(&farm)
        .assert()
        .success();
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["inputs"]["files"][0]["time_resolution"], counts(180, 0, 0, 0));
    assert!(m["inputs"].get("time_resolution").is_none());
}
