//! Parquet through polars: only the needed columns are read; typed datetimes keep their unit,
//! typed dates are day resolution, numbers go through the epoch rules, strings through the
//! timestamp parser.

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

fn text_column(df: &DataFrame, name: &str) -> PolarsResult<StringChunked> {
    let column = df.column(name)?.cast(&DataType::String)?;
    Ok(column.str()?.clone())
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
    wanted.dedup();
    let file = File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let df = ParquetReader::new(file)
        .with_columns(Some(wanted))
        .finish()
        .map_err(polars_error)?;
    if df.height() == 0 {
        return Err(InputError::file(path, "the file has a schema but no data rows"));
    }
    let accounts = text_column(&df, &ctx.headers[choice.account]).map_err(polars_error)?;
    let posts = text_column(&df, &ctx.headers[choice.post]).map_err(polars_error)?;
    let authors = match choice.author {
        Some(i) => Some(text_column(&df, &ctx.headers[i]).map_err(polars_error)?),
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
                _ => TimeColumn::Text(text_column(&df, name).map_err(polars_error)?),
            }
        }
    };
    for row in 0..df.height() {
        let place = Place::Row(row as u64 + 1);
        let account = accounts.get(row).unwrap_or("");
        let post = posts.get(row).unwrap_or("");
        let author = authors.as_ref().map(|a| a.get(row).unwrap_or(""));
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
            },
        )?;
    }
    collector.finish_file(ctx, Format::Parquet);
    Ok(())
}
