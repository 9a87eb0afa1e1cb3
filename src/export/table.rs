//! Typed tables written as CSV (csv crate) or Parquet (polars), in batches.
//!
//! A [`Table`] is a batch of typed columns. CSV cells of text columns are protected against
//! spreadsheet formula injection (a cell a spreadsheet could run as a formula gets a `'` in
//! front, see [`needs_neutralising`]), unless the caller opts out; ids that could not run
//! anything (`@handle`, `-1001234`) stay as they are, so the CSV joins back to the raw data.
//! Parquet keeps raw values and real types.

use polars::prelude::{Column as PlColumn, DataFrame, ParquetCompression, ParquetWriter};
use rayon::prelude::*;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text (ids, names, types, reasons); `None` is an empty cell / null.
    Text(Vec<Option<String>>),
    /// Text by reference: `names[id]` for each id (account names of millions of pairs without
    /// one allocation per cell).
    Names(std::sync::Arc<[Box<str>]>, Vec<u32>),
    /// Integers.
    Int(Vec<Option<i64>>),
    /// Floating point.
    Float(Vec<Option<f64>>),
    /// Booleans, written `true` / `false`.
    Bool(Vec<bool>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Names(_, ids) => ids.len(),
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }
}

/// A named, typed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header name.
    pub name: String,
    /// Values.
    pub values: Values,
}

/// A batch of rows as typed columns (all the same length).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Columns in output order.
    pub columns: Vec<Column>,
}

impl Table {
    /// Add a text column.
    pub fn text(&mut self, name: &str, values: Vec<Option<String>>) -> &mut Self {
        self.push(name, Values::Text(values))
    }
    /// Add a text column holding `names[id]` for each id.
    pub fn names(&mut self, name: &str, names: &std::sync::Arc<[Box<str>]>, ids: Vec<u32>) -> &mut Self {
        self.push(name, Values::Names(names.clone(), ids))
    }
    /// Add an integer column.
    pub fn int(&mut self, name: &str, values: Vec<Option<i64>>) -> &mut Self {
        self.push(name, Values::Int(values))
    }
    /// Add a float column (NaN and infinities become empty / null).
    pub fn float(&mut self, name: &str, values: Vec<Option<f64>>) -> &mut Self {
        let clean = values.into_iter().map(|v| v.filter(|x| x.is_finite())).collect();
        self.push(name, Values::Float(clean))
    }
    /// Add a boolean column.
    pub fn bool(&mut self, name: &str, values: Vec<bool>) -> &mut Self {
        self.push(name, Values::Bool(values))
    }
    fn push(&mut self, name: &str, values: Values) -> &mut Self {
        self.columns.push(Column {
            name: name.to_string(),
            values,
        });
        self
    }
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }
}

/// Output table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Comma-separated values.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl TableFormat {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Parquet => "parquet",
        }
    }

    /// By extension of a path (`.parquet`/`.pq` → Parquet, else CSV).
    pub fn from_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "parquet" || e == "pq" => TableFormat::Parquet,
            _ => TableFormat::Csv,
        }
    }
}

impl std::str::FromStr for TableFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(TableFormat::Csv),
            "parquet" | "pq" => Ok(TableFormat::Parquet),
            other => Err(format!("unknown table format {other:?}: use csv or parquet")),
        }
    }
}

/// Prefix a cell that a spreadsheet would read as a formula with `'`.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    if needs_neutralising(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Format a float for CSV: shortest representation that reads back to the same value.
pub fn format_float(x: f64) -> String {
    let mut out = Vec::with_capacity(24);
    write_float(&mut out, x);
    String::from_utf8(out).unwrap_or_default()
}

/// Floats below this magnitude are formatted by ryu (see [`write_float`]).
const RYU_BELOW: f64 = 1e12;

/// Append the [`format_float`] text of `x` to `out`.
pub fn write_float(out: &mut Vec<u8>, x: f64) {
    let a = x.abs();
    if (1e-4..RYU_BELOW).contains(&a) {
        // In this range ryu prints plain decimal notation with the same shortest digits as
        // `{x}` (and `3.0` for integral values, like `{x:.1}`), several times faster. Above
        // it, exact ties between two shortest candidates exist, which ryu and std break
        // differently; std keeps those.
        out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
    } else if x == x.trunc() && a < 1e15 {
        let _ = write!(out, "{x:.1}");
    } else if (1e-4..1e15).contains(&a) {
        let _ = write!(out, "{x}");
    } else {
        let _ = write!(out, "{x:e}");
    }
}

/// True if a spreadsheet could run the cell as a formula that does more than show a value
/// (see [`neutralise_formula`]): it starts with `=`, a tab or a carriage return; or with `+`,
/// `-` or `@` followed by anything but letters, digits, `_` and `.` (an operator, a bracket, a
/// quote, a space, `!`, `|`…).
///
/// Why `@anna_b`, `-1001234567` or `+4915…` stay as they are: they are how platforms write
/// handles and ids, and a `'` in front breaks every join back to the raw data. A spreadsheet may
/// show such a cell as a number or a `#NAME?` error, but it cannot run anything from it:
/// calling a function needs a bracket, reaching another sheet, file or program (DDE) needs `!`
/// or `|`, and none of these is a letter or digit.
pub fn needs_neutralising(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '\t' | '\r') => true,
        Some('+' | '-' | '@') => {
            let rest = chars.as_str();
            rest.is_empty() || !rest.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        }
        _ => false,
    }
}

/// Writes batches of the same schema to one file.
pub enum TableWriter {
    /// CSV.
    Csv {
        /// The buffered file (records are formatted by the csv crate into chunks).
        writer: Box<BufWriter<File>>,
        /// Neutralise formulas in text cells.
        escape: bool,
        /// Header already written.
        header_done: bool,
        /// Cells neutralised so far.
        escaped: u64,
    },
    /// Parquet (created on the first batch, which fixes the schema).
    Parquet {
        /// The file until the first batch.
        file: Option<File>,
        /// The batched writer after it.
        writer: Option<Box<polars::io::parquet::write::BatchedWriter<File>>>,
    },
}

/// Append a text cell, neutralised if asked; returns 1 if it was.
fn push_text(cell: &mut Vec<u8>, s: &str, escape: bool) -> u64 {
    let neutralise = escape && needs_neutralising(s);
    if neutralise {
        cell.push(b'\'');
    }
    cell.extend_from_slice(s.as_bytes());
    u64::from(neutralise)
}

/// Snappy, as pyarrow writes by default: every Parquet reader has it, and it compresses
/// several times faster than zstd (the compression runs on the writing thread). Measured on
/// 3.75 M pairs: 2.0 s and 146 MB against 2.9 s and 96 MB with zstd.
fn parquet_compression() -> ParquetCompression {
    ParquetCompression::Snappy
}

/// Rows per chunk formatted in parallel by [`TableWriter::write`].
const CSV_CHUNK_ROWS: usize = 8192;

/// Format `rows` of `table` as CSV records (no header); returns the bytes and how many cells
/// were neutralised. One reusable buffer per cell: no allocation per value.
fn format_csv_rows(
    table: &Table,
    rows: std::ops::Range<usize>,
    escape: bool,
) -> Result<(Vec<u8>, u64), TableError> {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(rows.len() * 64));
    let mut escaped = 0u64;
    let mut cell: Vec<u8> = Vec::with_capacity(64);
    for i in rows {
        for c in &table.columns {
            cell.clear();
            match &c.values {
                Values::Text(v) => {
                    if let Some(s) = &v[i] {
                        escaped += push_text(&mut cell, s, escape);
                    }
                }
                Values::Names(names, ids) => {
                    let s = names.get(ids[i] as usize).map_or("", |s| s);
                    escaped += push_text(&mut cell, s, escape);
                }
                Values::Int(v) => {
                    if let Some(x) = v[i] {
                        cell.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
                    }
                }
                Values::Float(v) => {
                    if let Some(x) = v[i] {
                        write_float(&mut cell, x);
                    }
                }
                Values::Bool(v) => cell.extend_from_slice(if v[i] { b"true" } else { b"false" }),
            }
            out.write_field(&cell)?;
        }
        out.write_record(None::<&[u8]>)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok((bytes, escaped))
}

/// Errors writing tables.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// File system.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// CSV writer.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// Parquet writer.
    #[error("{0}")]
    Parquet(#[from] polars::prelude::PolarsError),
}

impl TableWriter {
    /// Create `path` for writing in `format`.
    pub fn create(path: &Path, format: TableFormat, escape_formulas: bool) -> Result<Self, TableError> {
        let file = File::create(path)?;
        Ok(match format {
            TableFormat::Csv => TableWriter::Csv {
                writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
                escape: escape_formulas,
                header_done: false,
                escaped: 0,
            },
            TableFormat::Parquet => TableWriter::Parquet {
                file: Some(file),
                writer: None,
            },
        })
    }

    /// Append a batch.
    pub fn write(&mut self, table: &Table) -> Result<(), TableError> {
        match self {
            TableWriter::Csv {
                writer,
                escape,
                header_done,
                escaped,
            } => {
                if !*header_done {
                    let mut header = csv::Writer::from_writer(Vec::new());
                    header.write_record(table.columns.iter().map(|c| c.name.as_str()))?;
                    let header = header
                        .into_inner()
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    writer.write_all(&header)?;
                    *header_done = true;
                }
                // Rows are formatted in chunks on the rayon pool, each into its own buffer,
                // then written in order: the bytes do not depend on the thread count.
                let starts: Vec<usize> = (0..table.rows()).step_by(CSV_CHUNK_ROWS).collect();
                let chunks: Vec<Result<(Vec<u8>, u64), TableError>> = starts
                    .par_iter()
                    .map(|&start| {
                        let end = (start + CSV_CHUNK_ROWS).min(table.rows());
                        format_csv_rows(table, start..end, *escape)
                    })
                    .collect();
                for chunk in chunks {
                    let (bytes, n_escaped) = chunk?;
                    *escaped += n_escaped;
                    writer.write_all(&bytes)?;
                }
                Ok(())
            }
            TableWriter::Parquet { file, writer } => {
                let df = to_dataframe(table)?;
                if writer.is_none() {
                    let f = file
                        .take()
                        .ok_or_else(|| std::io::Error::other("parquet file already closed"))?;
                    *writer = Some(Box::new(
                        ParquetWriter::new(f)
                            .with_compression(parquet_compression())
                            .batched(df.schema())?,
                    ));
                }
                if let Some(w) = writer.as_mut() {
                    w.write_batch(&df)?;
                }
                Ok(())
            }
        }
    }

    /// CSV cells neutralised so far (always 0 for Parquet, which keeps raw values).
    pub fn escaped_cells(&self) -> u64 {
        match self {
            TableWriter::Csv { escaped, .. } => *escaped,
            TableWriter::Parquet { .. } => 0,
        }
    }

    /// Flush and close. A CSV with no batch gets no header; write an empty batch first for one.
    pub fn finish(self) -> Result<(), TableError> {
        match self {
            TableWriter::Csv { mut writer, .. } => {
                writer.flush()?;
                writer.get_ref().sync_all()?;
                Ok(())
            }
            TableWriter::Parquet { writer, .. } => {
                if let Some(w) = writer {
                    w.finish()?;
                }
                Ok(())
            }
        }
    }
}

fn to_dataframe(table: &Table) -> Result<DataFrame, TableError> {
    let columns: Vec<PlColumn> = table
        .columns
        .iter()
        .map(|c| {
            let name = c.name.as_str().into();
            match &c.values {
                Values::Text(v) => PlColumn::new(name, v),
                Values::Names(names, ids) => PlColumn::new(
                    name,
                    ids.iter()
                        .map(|&i| names.get(i as usize).map_or("", |s| s))
                        .collect::<Vec<&str>>(),
                ),
                Values::Int(v) => PlColumn::new(name, v),
                Values::Float(v) => PlColumn::new(name, v),
                Values::Bool(v) => PlColumn::new(name, v),
            }
        })
        .collect();
    Ok(DataFrame::new(table.rows(), columns)?)
}

/// Write one table to a file in one go.
pub fn write_table(
    path: &Path,
    format: TableFormat,
    table: &Table,
    escape_formulas: bool,
) -> Result<(), TableError> {
    write_table_counting(path, format, table, escape_formulas).map(|_| ())
}

/// [`write_table`], returning how many CSV cells were neutralised.
pub fn write_table_counting(
    path: &Path,
    format: TableFormat,
    table: &Table,
    escape_formulas: bool,
) -> Result<u64, TableError> {
    let mut w = TableWriter::create(path, format, escape_formulas)?;
    w.write(table)?;
    let escaped = w.escaped_cells();
    w.finish()?;
    Ok(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatting rule written with `std::fmt` only: the specification `write_float` keeps.
    fn reference_float(x: f64) -> String {
        let a = x.abs();
        if x == x.trunc() && a < 1e15 {
            format!("{x:.1}")
        } else if !(1e-4..1e15).contains(&a) {
            format!("{x:e}")
        } else {
            format!("{x}")
        }
    }

    #[test]
    fn floats_format_as_specified() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            0.5,
            1e-4,
            9.99e-5,
            1e15,
            999_999_999_999_999.0,
            123.456,
            1e300,
        ] {
            assert_eq!(format_float(x), reference_float(x), "{x}");
        }
        assert_eq!(format_float(f64::NAN), "NaN");
        assert_eq!(format_float(f64::INFINITY), "inf");
        assert_eq!(format_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_float(2.5e-7), "2.5e-7");
    }

    proptest::proptest! {
        #[test]
        fn floats_format_like_std(bits in proptest::prelude::any::<u64>(), scale in -30i32..30) {
            // Random bit patterns cover every exponent; scaled values cover the plain range.
            let x = f64::from_bits(bits);
            proptest::prop_assert_eq!(format_float(x), reference_float(x));
            let y = (bits % 1_000_000) as f64 * 10f64.powi(scale) / 7.0;
            let z = RYU_BELOW * (1.0 - (bits % 1_000_000_007) as f64 * 1e-15);
            proptest::prop_assert_eq!(format_float(z), reference_float(z));
            proptest::prop_assert_eq!(format_float(y), reference_float(y));
            proptest::prop_assert_eq!(format_float(-y), reference_float(-y));
        }
    }

    #[test]
    fn formulas_are_neutralised_and_ids_kept() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "=1",
            "+1-2",
            "-2+3",
            "@SUM(A1)",
            "@x!A1",
            "-cmd|' /C calc'!A0",
            "+ 1",
            "@",
            "-",
            "\tx",
            "\rx",
            "@anna b",
        ] {
            assert_eq!(neutralise_formula(formula), format!("'{formula}"), "{formula:?}");
        }
        for id in [
            "@anna_b",
            "@user.name",
            "-1001234567",
            "+4915112345678",
            "-3.5",
            "@имя",
            "plain",
            "",
        ] {
            assert_eq!(neutralise_formula(id), id, "{id:?}");
        }
    }

    #[test]
    fn floats_round_trip() {
        assert_eq!(format_float(2.0), "2.0");
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(1e-300), "1e-300");
        for x in [0.1, 1.0 / 3.0, 123456.789, 5e-324] {
            assert_eq!(format_float(x).parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn csv_and_parquet_hold_the_same_values() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::default();
        t.text("name", vec![Some("=evil".into()), None])
            .int("n", vec![Some(3), None])
            .float("x", vec![Some(0.5), Some(f64::NAN)])
            .bool("ok", vec![true, false]);
        let csv_path = dir.path().join("t.csv");
        write_table(&csv_path, TableFormat::Csv, &t, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&csv_path).unwrap(),
            "name,n,x,ok\n'=evil,3,0.5,true\n,,,false\n"
        );
        let raw_path = dir.path().join("raw.csv");
        write_table(&raw_path, TableFormat::Csv, &t, false).unwrap();
        assert!(std::fs::read_to_string(&raw_path).unwrap().contains("\n=evil,3"));
        let pq = dir.path().join("t.parquet");
        write_table(&pq, TableFormat::Parquet, &t, true).unwrap();
        use polars::prelude::{ParquetReader, SerReader};
        let df = ParquetReader::new(File::open(&pq).unwrap()).finish().unwrap();
        assert_eq!(df.height(), 2);
        let names: Vec<Option<&str>> = df.column("name").unwrap().str().unwrap().iter().collect();
        assert_eq!(names, vec![Some("=evil"), None]);
        let n: Vec<Option<i64>> = df.column("n").unwrap().i64().unwrap().iter().collect();
        assert_eq!(n, vec![Some(3), None]);
        let ok: Vec<Option<bool>> = df.column("ok").unwrap().bool().unwrap().iter().collect();
        assert_eq!(ok, vec![Some(true), Some(false)]);
    }
}
