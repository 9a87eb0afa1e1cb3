//! Parquet through polars: only the needed columns are read; typed datetimes keep their unit,
//! typed dates are day resolution, numbers go through the epoch rules, strings through the
//! timestamp parser. Errors in a value name its row and column, as the text readers do.

use super::record::{MAX_RECORD_BYTES, too_long};
use super::{Collector, FileCtx, Format, InputError, LoadOptions, Place, RawRow, RawTime};
use polars::prelude::*;
use std::fs::File;
use std::path::Path;

enum TimeColumn {
    Absent,
    Millis(Vec<Option<i64>>),
    /// Dates, as ms at midnight UTC: day resolution.
    Dates(Vec<Option<i64>>),
    Numbers(Vec<Option<f64>>),
    Text(StringChunked),
}

/// The column `name` as text: strings as they are, binary checked to be UTF-8 (the first bad
/// value is named by row), numbers and other scalars as their text; a nested column (lists,
/// structs) is refused at its first value, as no row can give one id from it.
fn text_column(path: &Path, df: &DataFrame, name: &str) -> Result<StringChunked, InputError> {
    let polars_error =
        |e: PolarsError| InputError::at(path, Place::File, Some(name), format!("cannot read: {e}"));
    let column = df.column(name).map_err(polars_error)?;
    let dtype = column.dtype();
    if dtype.is_nested() {
        let first = (0..column.len()).find(|&i| column.get(i).is_ok_and(|v| !v.is_null()));
        return Err(InputError::at(
            path,
            first.map_or(Place::File, |i| Place::Row(i as u64 + 1)),
            Some(name),
            format!(
                "holds {dtype} values; lockstep needs one id per row (one string or number), not a list or a record — flatten the column first"
            ),
        ));
    }
    if let DataType::Binary = dtype {
        for (i, value) in column.binary().map_err(polars_error)?.iter().enumerate() {
            if let Some(bytes) = value
                && let Err(e) = std::str::from_utf8(bytes)
            {
                return Err(InputError::at(
                    path,
                    Place::Row(i as u64 + 1),
                    Some(name),
                    format!(
                        "invalid UTF-8 at byte {} of the value (re-encode the column as UTF-8 text)",
                        e.valid_up_to()
                    ),
                ));
            }
        }
    }
    let text = column.cast(&DataType::String).map_err(polars_error)?;
    Ok(text.str().map_err(polars_error)?.clone())
}

/// A value of `column`, refused by row and column when over the record cap (as a text
/// reader refuses a record).
fn capped<'a>(
    path: &Path,
    value: Option<&'a str>,
    column: &str,
    place: &Place,
) -> Result<&'a str, InputError> {
    let value = value.unwrap_or("");
    if value.len() as u64 > MAX_RECORD_BYTES {
        return Err(InputError::at(
            path,
            place.clone(),
            Some(column),
            too_long("value"),
        ));
    }
    Ok(value)
}

/// Refuse, before reading it, a column whose unpacked data in some row group averages more
/// than the record cap per row (the file's footer says so): then some value in it is over the
/// cap, and reading it would take that memory first.
fn check_sizes(path: &Path, reader: &mut ParquetReader<File>, columns: &[String]) -> Result<(), InputError> {
    let metadata = reader
        .get_metadata()
        .map_err(|e| InputError::file(path, format!("cannot read as Parquet: {e}")))?;
    let mut first_row = 0u64;
    for group in &metadata.row_groups {
        let rows = group.num_rows() as u64;
        for name in columns {
            let unpacked: i64 = group
                .columns_under_root_iter(name)
                .map(|chunks| chunks.map(|c| c.uncompressed_size()).sum())
                .unwrap_or(0);
            if unpacked.max(0) as u64 > MAX_RECORD_BYTES.saturating_mul(rows.max(1)) {
                return Err(InputError::at(
                    path,
                    Place::Row(first_row + 1),
                    Some(name),
                    format!(
                        "{} (the row group of rows {}–{} unpacks to {} bytes in this column)",
                        too_long("row group's values on average"),
                        first_row + 1,
                        first_row + rows,
                        unpacked
                    ),
                ));
            }
        }
        first_row += rows;
    }
    Ok(())
}

pub(crate) fn read(
    path: &Path,
    index: usize,
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<(), InputError> {
    let polars_error = |e: PolarsError| InputError::file(path, format!("cannot read as Parquet: {e}"));
    let file = File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut reader = ParquetReader::new(file);
    let schema = reader.schema().map_err(polars_error)?;
    let headers: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let mut ctx = FileCtx::new(path, index, headers, &options.columns, &options.time_format)?;
    collector.start_file(&mut ctx)?;
    let choice = ctx.choice.clone();
    let mut wanted: Vec<String> = vec![
        ctx.headers[choice.account].clone(),
        ctx.headers[choice.post].clone(),
    ];
    wanted.extend(choice.time.map(|i| ctx.headers[i].clone()));
    wanted.extend(choice.author.map(|i| ctx.headers[i].clone()));
    wanted.extend(choice.text.map(|i| ctx.headers[i].clone()));
    wanted.dedup();
    check_sizes(path, &mut reader, &wanted)?;
    let file = File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let df = ParquetReader::new(file)
        .with_columns(Some(wanted))
        .finish()
        .map_err(polars_error)?;
    if df.height() == 0 {
        return Err(InputError::file(path, "the file has a schema but no data rows"));
    }
    let accounts = text_column(path, &df, &ctx.headers[choice.account])?;
    let posts = text_column(path, &df, &ctx.headers[choice.post])?;
    let authors = match choice.author {
        Some(i) => Some(text_column(path, &df, &ctx.headers[i])?),
        None => None,
    };
    let texts = match choice.text {
        Some(i) => Some(text_column(path, &df, &ctx.headers[i])?),
        None => None,
    };
    let time = match choice.time {
        None => TimeColumn::Absent,
        Some(i) => {
            let name = &ctx.headers[i];
            let column = df.column(name).map_err(polars_error)?;
            match column.dtype() {
                DataType::Datetime(unit, _) => {
                    let per_ms = match unit {
                        TimeUnit::Nanoseconds => 1_000_000,
                        TimeUnit::Microseconds => 1_000,
                        TimeUnit::Milliseconds => 1,
                    };
                    let raw = column.cast(&DataType::Int64).map_err(polars_error)?;
                    let values = raw.i64().map_err(polars_error)?;
                    TimeColumn::Millis(values.iter().map(|v| v.map(|x| x.div_euclid(per_ms))).collect())
                }
                DataType::Date => {
                    let raw = column.cast(&DataType::Int32).map_err(polars_error)?;
                    let values = raw.i32().map_err(polars_error)?;
                    TimeColumn::Dates(
                        values
                            .iter()
                            .map(|v| v.map(|d| d as i64 * crate::clock::MS_PER_DAY))
                            .collect(),
                    )
                }
                dt if dt.is_primitive_numeric() => {
                    let raw = column.cast(&DataType::Float64).map_err(polars_error)?;
                    TimeColumn::Numbers(raw.f64().map_err(polars_error)?.iter().collect())
                }
                _ => TimeColumn::Text(text_column(path, &df, name)?),
            }
        }
    };
    let headers = ctx.headers.clone();
    let capped = |value, column: usize, place: &Place| capped(path, value, &headers[column], place);
    for row in 0..df.height() {
        let place = Place::Row(row as u64 + 1);
        let account = capped(accounts.get(row), choice.account, &place)?;
        let post = capped(posts.get(row), choice.post, &place)?;
        let author = match (&authors, choice.author) {
            (Some(a), Some(i)) => Some(capped(a.get(row), i, &place)?),
            _ => None,
        };
        let text = match (&texts, choice.text) {
            (Some(a), Some(i)) => Some(capped(a.get(row), i, &place)?),
            _ => None,
        };
        let raw_time = match &time {
            TimeColumn::Absent => RawTime::Absent,
            TimeColumn::Millis(v) => match v[row] {
                Some(ms) => RawTime::Millis(ms),
                None => RawTime::Text(""),
            },
            TimeColumn::Dates(v) => match v[row] {
                Some(ms) => RawTime::Date(ms),
                None => RawTime::Text(""),
            },
            TimeColumn::Numbers(v) => match v[row] {
                Some(x) => RawTime::Number(x),
                None => RawTime::Text(""),
            },
            TimeColumn::Text(s) => RawTime::Text(s.get(row).unwrap_or("")),
        };
        collector.push(
            &mut ctx,
            place,
            RawRow {
                account,
                post,
                time: raw_time,
                author,
                text,
            },
        )?;
    }
    collector.finish_file(ctx, Format::Parquet);
    Ok(())
}
