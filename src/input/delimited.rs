//! CSV and TSV (any single-byte delimiter) through the `csv` crate, row by row.

use super::record::{RecordCap, is_too_long, too_long};
use super::{Collector, FileCtx, Format, InputError, LoadOptions, Place, RawRow, RawTime};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Pick the delimiter from the header line when none is forced: the extension's default
/// unless the header has none of it but has another common one (`;` from European
/// spreadsheets, `|`, tab).
fn sniff(head: &[u8], format: Format) -> u8 {
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    let default = if format == Format::Tsv { b'\t' } else { b',' };
    if count(default) > 0 {
        return default;
    }
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|&d| count(d))
        .filter(|&d| count(d) > 0)
        .unwrap_or(default)
}

/// `record_line`: the line where the record being read starts (for errors without a position).
fn csv_error(path: &Path, err: csv::Error, record_line: u64) -> InputError {
    let line = err.position().map(|p| p.line());
    let place = line.map(Place::Line).unwrap_or(Place::File);
    match err.into_kind() {
        csv::ErrorKind::Io(e) if is_too_long(&e) => {
            InputError::at(path, Place::Line(record_line), None, too_long("row"))
        }
        csv::ErrorKind::UnequalLengths {
            expected_len,
            len,
            pos,
        } => InputError::at(
            path,
            pos.map(|p| Place::Line(p.line())).unwrap_or(place),
            None,
            format!(
                "this row has {len} fields but the header has {expected_len} (a ragged row, or an unquoted delimiter inside a value)"
            ),
        ),
        csv::ErrorKind::Io(e) => InputError::at(path, place, None, format!("cannot read: {e}")),
        other => InputError::at(path, place, None, format!("malformed CSV: {other:?}")),
    }
}

pub(crate) fn read(
    path: &Path,
    index: usize,
    reader: Box<dyn Read + '_>,
    format: Format,
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<(), InputError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head = buffered
        .fill_buf()
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::file(path, "the file is empty"));
    }
    let delimiter = options.delimiter.unwrap_or_else(|| sniff(head, format));
    // The cap sits under the csv crate's own buffer, so a record is cut off a buffer past
    // the cap: one endless line of a gzip bomb costs 16 MiB, not the memory it unpacks to.
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(RecordCap::new(buffered));
    let header_record = rdr.byte_headers().map_err(|e| csv_error(path, e, 1))?.clone();
    let mut headers = Vec::with_capacity(header_record.len());
    for (i, raw) in header_record.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| {
            InputError::at(
                path,
                Place::Line(1),
                None,
                format!("header field {} is not valid UTF-8", i + 1),
            )
        })?;
        let name = if i == 0 {
            name.trim_start_matches('\u{FEFF}')
        } else {
            name
        };
        headers.push(name.to_string());
    }
    let mut ctx = FileCtx::new(path, index, headers, &options.columns, &options.time_format)?;
    collector.start_file(&mut ctx)?;
    let choice = ctx.choice.clone();
    let mut record = csv::ByteRecord::new();
    loop {
        let next = rdr.position().clone();
        rdr.get_mut().mark(next.byte());
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, e, next.line())),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| -> Result<&str, InputError> {
            let raw = record.get(i).unwrap_or(b"");
            std::str::from_utf8(raw).map_err(|e| {
                InputError::at(
                    path,
                    Place::Line(line),
                    Some(&ctx.headers[i]),
                    format!(
                        "invalid UTF-8 at byte {} of the value (re-encode the file as UTF-8)",
                        e.valid_up_to()
                    ),
                )
            })
        };
        let account = field(choice.account)?;
        let post = field(choice.post)?;
        let time = match choice.time {
            Some(i) => RawTime::Text(field(i)?),
            None => RawTime::Absent,
        };
        let author = match choice.author {
            Some(i) => Some(field(i)?),
            None => None,
        };
        let text = match choice.text {
            Some(i) => Some(field(i)?),
            None => None,
        };
        if let Some((i, accepted)) = choice.keep
            && !accepted.contains(&field(i)?.trim())
        {
            ctx.skipped_format += 1;
            continue;
        }
        collector.push(
            &mut ctx,
            Place::Line(line),
            RawRow {
                account,
                post,
                time,
                author,
                text,
            },
        )?;
    }
    collector.finish_file(ctx, format);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolons_and_tabs_but_prefers_the_extension() {
        assert_eq!(sniff(b"a;b;c\n1;2;3", Format::Csv), b';');
        assert_eq!(sniff(b"a\tb\n", Format::Csv), b'\t');
        assert_eq!(sniff(b"a,b\n", Format::Csv), b',');
        assert_eq!(sniff(b"a,b\tc\n", Format::Tsv), b'\t');
        assert_eq!(sniff(b"single\n", Format::Csv), b',');
    }
}
