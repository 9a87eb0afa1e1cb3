//! `lockstep colike`: the projection alone, CSV and Parquet.

use crate::common::{lockstep, write};

#[test]
fn multi_window_counts_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // Post x: a@0, b@20, c@200 (seconds). Post y: a@1000, b@1005. Post z: b@0, c@50000.
    let input = write(
        dir.path(),
        "likes.csv",
        "account,post,time\na,x,0\nb,x,20\nc,x,200\na,y,1000\nb,y,1005\nb,z,0\nc,z,50000\n",
    );
    let out = dir.path().join("pairs.csv");
    lockstep()
        .args([
            "colike",
            input.to_str().unwrap(),
            "--window",
            "30s,5m,inf",
            "--min-colikes",
            "1",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &headers[..7],
        &[
            "source",
            "target",
            "colikes",
            "weight",
            "colikes_30s",
            "colikes_5m",
            "colikes_inf"
        ]
    );
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let counts: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r[0].as_str(),
                r[1].as_str(),
                r[4].as_str(),
                r[5].as_str(),
                r[6].as_str(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("a", "b", "2", "2", "2"),
            ("a", "c", "0", "1", "1"),
            ("b", "c", "0", "1", "2")
        ]
    );
    let median = headers.iter().position(|h| h == "median_dt").unwrap();
    assert_eq!(rows[0][median], "12.5");
}

#[test]
fn parquet_output_and_significant_only() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", crate::common::farm_csv());
    let out = dir.path().join("pairs.parquet");
    lockstep()
        .args([
            "colike",
            input.to_str().unwrap(),
            "--significant-only",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    use polars::prelude::{ParquetReader, SerReader};
    let df = ParquetReader::new(std::fs::File::open(&out).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.height(), 6);
    let q = df.column("qvalue").unwrap().f64().unwrap();
    assert!(q.iter().all(|v| v.unwrap() <= 0.01));
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("partial")
        })
        .count();
    assert_eq!(leftovers, 0);
}
