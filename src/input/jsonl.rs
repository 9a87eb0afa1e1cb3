//! JSON Lines: one object per line, parsed with serde_json. Keys of the first object are the
//! "header"; string and number values are accepted for ids, numbers or strings for time.

use super::record::{MAX_RECORD_BYTES, too_long};
use super::{Collector, FileCtx, Format, InputError, LoadOptions, Place, RawRow, RawTime};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub(crate) fn value_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Null => Some(Cow::Borrowed("")),
        Value::Array(_) | Value::Object(_) => None,
    }
}

pub(crate) fn read(
    path: &Path,
    index: usize,
    reader: Box<dyn Read + '_>,
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<(), InputError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut ctx: Option<FileCtx<'_>> = None;
    loop {
        buf.clear();
        // At most one byte past the cap is read into memory, however long the line.
        let n = (&mut reader)
            .take(MAX_RECORD_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| InputError::at(path, Place::Line(line_no + 1), None, format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if n as u64 > MAX_RECORD_BYTES && buf.last() != Some(&b'\n') {
            return Err(InputError::at(path, Place::Line(line_no), None, too_long("line")));
        }
        let text = std::str::from_utf8(&buf).map_err(|e| {
            InputError::at(
                path,
                Place::Line(line_no),
                None,
                format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
            )
        })?;
        let text = if line_no == 1 {
            text.trim_start_matches('\u{FEFF}')
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        let object: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
            InputError::at(
                path,
                Place::Line(line_no),
                None,
                format!("not a JSON object: {e}"),
            )
        })?;
        if ctx.is_none() {
            let headers: Vec<String> = object.keys().cloned().collect();
            let mut c = FileCtx::new(path, index, headers, &options.columns, &options.time_format)?;
            collector.start_file(&mut c)?;
            ctx = Some(c);
        }
        let Some(c) = ctx.as_mut() else { continue };
        let choice = c.choice.clone();
        let get = |i: usize| -> Result<Option<&Value>, InputError> {
            let key = &c.headers[i];
            Ok(object.get(key))
        };
        let text_of = |i: usize| -> Result<Cow<'_, str>, InputError> {
            match get(i)? {
                None => Ok(Cow::Borrowed("")),
                Some(v) => value_text(v).ok_or_else(|| {
                    InputError::at(
                        path,
                        Place::Line(line_no),
                        Some(&c.headers[i]),
                        "expected a string or a number, found an array or object",
                    )
                }),
            }
        };
        let account = text_of(choice.account)?;
        let post = text_of(choice.post)?;
        let author = match choice.author {
            Some(i) => Some(text_of(i)?),
            None => None,
        };
        let text = match choice.text {
            Some(i) => Some(text_of(i)?),
            None => None,
        };
        let time_value = match choice.time {
            Some(i) => get(i)?.cloned(),
            None => None,
        };
        let time_text;
        let time = match (&choice.time, &time_value) {
            (None, _) => RawTime::Absent,
            (Some(_), Some(Value::Number(n))) => RawTime::Number(n.as_f64().unwrap_or(f64::NAN)),
            (Some(i), v) => {
                time_text = match v {
                    None => Cow::Borrowed(""),
                    Some(v) => value_text(v).ok_or_else(|| {
                        InputError::at(
                            path,
                            Place::Line(line_no),
                            Some(&c.headers[*i]),
                            "expected a timestamp, found an array or object",
                        )
                    })?,
                };
                RawTime::Text(&time_text)
            }
        };
        let (account, post, author, text) = (
            account.into_owned(),
            post.into_owned(),
            author.map(Cow::into_owned),
            text.map(Cow::into_owned),
        );
        let row = RawRow {
            account: &account,
            post: &post,
            time,
            author: author.as_deref(),
            text: text.as_deref(),
        };
        collector.push(c, Place::Line(line_no), row)?;
    }
    match ctx {
        Some(c) => {
            collector.finish_file(c, Format::Jsonl);
            Ok(())
        }
        None => Err(InputError::file(path, "the file is empty (no JSON objects)")),
    }
}
