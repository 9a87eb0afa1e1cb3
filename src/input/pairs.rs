//! Precomputed pairs for `lockstep detect --pairs`: the table a cluster job wrote (a directory
//! of Parquet files, as `spark/colike.py` writes them, or one file with the same columns) and
//! the job's summary beside it (`_lockstep.json`).

use super::{InputError, Place};
use crate::colike::MAX_WINDOWS;
use crate::colike::WindowSpec;
use crate::colike::partial::{CountedPair, JobSummary};
use polars::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The summary file a job writes beside its pairs.
pub const SUMMARY_FILE: &str = "_lockstep.json";

/// The Parquet files of a pairs table: the file itself, or a directory's `*.parquet` files in
/// name order (files starting with `_` or `.` are the writer's own).
fn table_files(path: &Path) -> Result<Vec<PathBuf>, InputError> {
    if !path.is_dir() {
        return if path.is_file() {
            Ok(vec![path.to_path_buf()])
        } else {
            Err(InputError::file(path, "no such file or directory"))
        };
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            !name.starts_with('_') && !name.starts_with('.') && name.ends_with(".parquet")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(InputError::file(path, "the directory holds no .parquet files"));
    }
    Ok(files)
}

/// The job's summary: `PATH/_lockstep.json` for a directory, `_lockstep.json` beside a file.
pub fn read_summary(path: &Path) -> Result<JobSummary, InputError> {
    let file = if path.is_dir() {
        path.join(SUMMARY_FILE)
    } else {
        path.parent().unwrap_or(Path::new(".")).join(SUMMARY_FILE)
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        InputError::file(
            &file,
            format!(
                "cannot read the job's summary ({e}); --pairs takes the output of spark/colike.py, which writes it beside the pairs"
            ),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| InputError::file(&file, format!("not a job summary: {e}")))
}

/// The pairs of the table at `path` as ids of `accounts` (names in the likes), with their
/// co-likes at each of `windows` (columns `colikes_<W>`, or `colikes` for one window).
pub fn read(
    path: &Path,
    windows: &[WindowSpec],
    accounts: &[Box<str>],
) -> Result<Vec<CountedPair>, InputError> {
    let id: HashMap<&str, u32> = accounts
        .iter()
        .enumerate()
        .map(|(i, n)| (&**n, i as u32))
        .collect();
    let count_columns: Vec<String> = match crate::export::window_columns(windows) {
        c if c.is_empty() => vec!["colikes".to_string()],
        c => c,
    };
    let mut out = Vec::new();
    for file in table_files(path)? {
        let err = |e: PolarsError| InputError::file(&file, format!("cannot read as Parquet: {e}"));
        let mut wanted = vec!["source".to_string(), "target".to_string()];
        wanted.extend(count_columns.iter().cloned());
        let f = File::open(&file).map_err(|e| InputError::file(&file, format!("cannot open: {e}")))?;
        let df = ParquetReader::new(f)
            .with_columns(Some(wanted.iter().map(|s| s.as_str().into()).collect()))
            .finish()
            .map_err(err)?;
        let text = |name: &str| -> Result<StringChunked, InputError> {
            let c = df
                .column(name)
                .map_err(err)?
                .cast(&DataType::String)
                .map_err(err)?;
            Ok(c.str().map_err(err)?.clone())
        };
        let (sources, targets) = (text("source")?, text("target")?);
        let mut counts = Vec::with_capacity(count_columns.len());
        for name in &count_columns {
            let c = df
                .column(name)
                .map_err(err)?
                .cast(&DataType::Int64)
                .map_err(err)?;
            counts.push(c.i64().map_err(err)?.clone());
        }
        for row in 0..df.height() {
            let place = || Place::Row(row as u64 + 1);
            let mut ends = [0u32; 2];
            for (slot, (column, names)) in ends.iter_mut().zip([("source", &sources), ("target", &targets)]) {
                let name = names.get(row).unwrap_or("");
                *slot = *id.get(name).ok_or_else(|| {
                    InputError::at(
                        &file,
                        place(),
                        Some(column),
                        format!(
                            "account {} is not in the likes: give the likes the pairs were made from",
                            crate::text::quote_for_terminal(name)
                        ),
                    )
                })?;
            }
            if ends[0] == ends[1] {
                return Err(InputError::at(
                    &file,
                    place(),
                    Some("target"),
                    "a pair of one account with itself",
                ));
            }
            let mut c = [0u32; MAX_WINDOWS];
            for (k, (column, values)) in count_columns.iter().zip(&counts).enumerate() {
                let v = values.get(row).unwrap_or(-1);
                c[k] = u32::try_from(v).map_err(|_| {
                    InputError::at(
                        &file,
                        place(),
                        Some(column),
                        format!("{v} is not a count of co-likes"),
                    )
                })?;
            }
            out.push(CountedPair {
                a: ends[0],
                b: ends[1],
                counts: c,
            });
        }
    }
    Ok(out)
}
