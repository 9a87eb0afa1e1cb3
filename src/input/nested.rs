//! JSON exports with nested records: NDJSON (one record per line, as Zeeschuimer and twarc2
//! write) and JSON documents (API responses saved as they came, pretty-printed or not, one or
//! several per file), read through a recognised export format ([`super::formats`]) or through
//! dotted paths given as column flags (`--account-col data.user.unique_id`). Flat JSON Lines
//! that need neither go to [`super::jsonl`].
//!
//! A path is a dotted list of keys; on an array, a number picks an element and a word picks
//! the element whose `type` is that word (twarc's `referenced_tweets.retweeted.id`).
//!
//! Memory: one line (at most [`MAX_LINE_BYTES`]) at a time in NDJSON; a document file is read
//! whole, at most [`MAX_DOCUMENT_BYTES`] (API pages are ~100 kB each; split bigger files into
//! pages or NDJSON).

use super::columns::{ColumnSpec, Role};
use super::formats::{self, SourceFormat};
use super::jsonl::value_text as scalar_text;
use super::{Collector, FileCtx, Format, InputError, LoadOptions, Place, RawRow, RawTime};
use serde_json::Value;
use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// The longest NDJSON line read: the one record cap of every reader
/// ([`super::record::MAX_RECORD_BYTES`], 16 MiB; a Zeeschuimer item is a few kB, an API page
/// ~100 kB).
pub const MAX_LINE_BYTES: usize = super::record::MAX_RECORD_BYTES as usize;
/// The largest JSON document file read whole.
pub const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// Where a value of one role comes from.
#[derive(Debug, Clone)]
enum Source {
    /// Paths in the record, the first one present wins.
    Record(Vec<String>),
    /// A path in the enclosing document (an API page: Bluesky's `uri`).
    Document(&'static str),
    /// The DID inside the `at://` URI at a path of the document (a Bluesky post's author).
    DidOfUri(&'static str),
    /// The tweet id (or user id) in the page's `__twarc.url`, after this path segment.
    TwarcUrl(&'static str),
    /// The queried user of the file.
    Fixed(String),
    /// Not in this format.
    Absent,
}

impl Source {
    fn record(paths: &[&str]) -> Source {
        Source::Record(paths.iter().map(|p| p.to_string()).collect())
    }

    /// The name shown for this source (the header of the "column").
    fn display(&self) -> Option<String> {
        match self {
            Source::Record(paths) => paths.first().cloned(),
            Source::Document(p) => Some(format!("(page) {p}")),
            Source::DidOfUri(p) => Some(format!("(page) DID of {p}")),
            Source::TwarcUrl(seg) => Some(format!("(page) __twarc.url …/{seg}/ID")),
            Source::Fixed(v) => Some(format!("(queried user) {v}")),
            Source::Absent => None,
        }
    }
}

/// How one record becomes a row.
#[derive(Debug, Clone)]
enum Rows {
    /// Every record is a row, its roles read from their sources.
    Plain,
    /// A tweet: a retweet (post = the retweeted tweet, no text: its text is the original's)
    /// or a reply (post = the tweet replied to, text = the reply); other tweets are skipped.
    RetweetOrReply {
        retweet_post: Vec<String>,
        retweet_author: Vec<String>,
        reply_post: Vec<String>,
        reply_author: Vec<String>,
    },
}

/// Where the records of a document are.
#[derive(Debug, Clone)]
enum Records {
    /// The document (line) is the record.
    Whole,
    /// The array at the first of these paths present; a document with none is itself the
    /// record when `or_whole`.
    Array(Vec<&'static str>, bool),
}

/// Everything needed to read the records of one file.
#[derive(Debug, Clone)]
struct Plan {
    source: Option<SourceFormat>,
    records: Records,
    rows: Rows,
    /// Account, post, time, author, text.
    roles: [Source; 5],
    /// Keep only records whose value at this path is one of these (Zeeschuimer's platform).
    keep: Option<(&'static str, Vec<&'static str>)>,
    time_format: super::TimeFormat,
    why: Vec<(Role, String)>,
}

const ROLES: [Role; 5] = [Role::Account, Role::Post, Role::Time, Role::Author, Role::Text];

/// The value at a dotted path.
pub(crate) fn lookup<'v>(mut v: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(v);
    }
    for seg in path.split('.') {
        v = match v {
            Value::Object(m) => m.get(seg)?,
            Value::Array(items) => match seg.parse::<usize>() {
                Ok(i) => items.get(i)?,
                Err(_) => items
                    .iter()
                    .find(|x| x.get("type").and_then(Value::as_str) == Some(seg))?,
            },
            _ => return None,
        };
    }
    Some(v)
}

fn first_of<'v>(v: &'v Value, paths: &[String]) -> Option<(&'v Value, usize)> {
    paths
        .iter()
        .enumerate()
        .find_map(|(i, p)| lookup(v, p).filter(|x| !x.is_null()).map(|x| (x, i)))
}

/// Leaf paths of an object (scalars and arrays), depth first, in key order.
fn leaf_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(m) = v {
        for (k, x) in m {
            let p = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match x {
                Value::Object(_) => leaf_paths(x, &p, out),
                _ => out.push(p),
            }
        }
    }
}

fn is_flat_object(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.values().all(|x| !x.is_object()))
}

/// The export format of a first record, if it is one lockstep knows.
fn recognise(v: &Value, path: &Path) -> Option<SourceFormat> {
    let obj = v.as_object()?;
    let meta = obj
        .get("__import_meta")
        .and_then(|m| m.get("source_platform"))
        .or_else(|| obj.get("source_platform"));
    if let Some(platform) = meta.and_then(Value::as_str) {
        return match platform {
            "tiktok-comments" => Some(SourceFormat::ZeeschuimerTiktokComments),
            "tiktok.com" => Some(SourceFormat::ZeeschuimerTiktok),
            "instagram.com" => Some(SourceFormat::ZeeschuimerInstagram),
            "twitter.com" | "x.com" => Some(SourceFormat::ZeeschuimerX),
            _ => None,
        };
    }
    if let Some(data) = obj.get("data") {
        if data.is_object() {
            if data.get("user_liked_videos").is_some() {
                return Some(SourceFormat::TiktokApiLikedVideos);
            }
            if data.get("comments").is_some() {
                return Some(SourceFormat::TiktokApiComments);
            }
            if data.get("videos").is_some() {
                return Some(SourceFormat::TiktokApiVideos);
            }
        }
        if data.is_array()
            && (obj.contains_key("__twarc") || obj.contains_key("includes") || obj.contains_key("meta"))
        {
            let url = lookup(v, "__twarc.url").and_then(Value::as_str).unwrap_or("");
            if url.contains("/liking_users") || url.contains("/retweeted_by") {
                return Some(SourceFormat::TwarcUsers);
            }
            return Some(SourceFormat::TwarcTweets);
        }
    }
    if obj.get("likes").is_some_and(Value::is_array) && obj.contains_key("uri") {
        return Some(SourceFormat::BlueskyLikes);
    }
    // One tweet per line (twarc2 flatten).
    if obj.contains_key("author_id") && obj.contains_key("id") && obj.contains_key("__twarc") {
        return Some(SourceFormat::TwarcTweets);
    }
    // A bare list of TikTok videos, as the Research API's Python wrapper returns them.
    if obj.contains_key("username") && obj.contains_key("id") && obj.contains_key("create_time") {
        let named_liked = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("liked"));
        return Some(if named_liked {
            SourceFormat::TiktokApiLikedVideos
        } else {
            SourceFormat::TiktokApiVideos
        });
    }
    None
}

/// The plan of a named format; `prefix` is where a Zeeschuimer item sits in the record
/// (`data.`, or nothing in 4CAT's re-exported NDJSON with `__import_meta`).
fn named_plan(f: SourceFormat, prefix: &str, path: &Path, spec: &ColumnSpec) -> Result<Plan, InputError> {
    let p = |s: &str| format!("{prefix}{s}");
    let rec = |paths: &[&str]| Source::Record(paths.iter().map(|s| p(s)).collect());
    let mut why: Vec<(Role, String)> = Vec::new();
    let mut plan = Plan {
        source: Some(f),
        records: Records::Whole,
        rows: Rows::Plain,
        roles: [
            Source::Absent,
            Source::Absent,
            Source::Absent,
            Source::Absent,
            Source::Absent,
        ],
        keep: None,
        time_format: super::TimeFormat::Auto,
        why: Vec::new(),
    };
    let platform_key = if prefix.is_empty() {
        "__import_meta.source_platform"
    } else {
        "source_platform"
    };
    match f {
        SourceFormat::ZeeschuimerTiktokComments => {
            plan.roles = [
                rec(&["user.unique_id", "user.uid"]),
                rec(&["aweme_id"]),
                rec(&["create_time"]),
                Source::Absent,
                rec(&["text"]),
            ];
            plan.keep = Some((platform_key, vec!["tiktok-comments"]));
            why.push((
                Role::Account,
                "the commenter's handle (its numeric uid when the handle is missing)".into(),
            ));
            why.push((Role::Post, "the video commented on".into()));
            why.push((Role::Time, "epoch seconds".into()));
            why.push((Role::Text, "the comment".into()));
        }
        SourceFormat::ZeeschuimerTiktok => {
            plan.roles = [
                rec(&["author.uniqueId", "author.id"]),
                rec(&["id"]),
                rec(&["createTime"]),
                Source::Absent,
                rec(&["desc"]),
            ];
            plan.keep = Some((platform_key, vec!["tiktok.com"]));
            why.push((Role::Account, "who posted the video".into()));
            why.push((
                Role::Post,
                "the video itself: accounts are linked by their captions only".into(),
            ));
            why.push((Role::Text, "the caption".into()));
        }
        SourceFormat::ZeeschuimerInstagram => {
            plan.roles = [
                rec(&["user.username", "owner.username"]),
                rec(&["code", "shortcode"]),
                rec(&["taken_at", "taken_at_timestamp"]),
                Source::Absent,
                rec(&["caption.text", "edge_media_to_caption.edges.0.node.text"]),
            ];
            plan.keep = Some((platform_key, vec!["instagram.com"]));
            why.push((Role::Account, "who posted".into()));
            why.push((
                Role::Post,
                "the post itself: accounts are linked by their captions only".into(),
            ));
            why.push((Role::Text, "the caption".into()));
        }
        SourceFormat::ZeeschuimerX => {
            plan.roles = [
                rec(&[
                    "core.user_results.result.core.screen_name",
                    "core.user_results.result.legacy.screen_name",
                    "legacy.user_id_str",
                ]),
                Source::Absent,
                rec(&["legacy.created_at"]),
                Source::Absent,
                rec(&["legacy.full_text"]),
            ];
            plan.rows = Rows::RetweetOrReply {
                retweet_post: vec![p("legacy.retweeted_status_result.result.rest_id")],
                retweet_author: vec![
                    p("legacy.retweeted_status_result.result.core.user_results.result.core.screen_name"),
                    p("legacy.retweeted_status_result.result.core.user_results.result.legacy.screen_name"),
                ],
                reply_post: vec![p("legacy.in_reply_to_status_id_str")],
                reply_author: vec![p("legacy.in_reply_to_screen_name")],
            };
            plan.keep = Some((platform_key, vec!["twitter.com", "x.com"]));
            plan.time_format = super::TimeFormat::Pattern("%a %b %d %H:%M:%S %z %Y".into());
            why.push((Role::Account, "who retweeted or replied".into()));
            why.push((
                Role::Post,
                "the retweeted tweet (legacy.retweeted_status_result.result.rest_id), or the tweet replied to (legacy.in_reply_to_status_id_str)".into(),
            ));
            why.push((
                Role::Time,
                "X's created_at (\"Wed Oct 10 20:19:24 +0000 2018\")".into(),
            ));
            why.push((
                Role::Text,
                "a reply's text (a retweet's text is the original's and is not read)".into(),
            ));
        }
        SourceFormat::TiktokApiVideos | SourceFormat::TiktokApiLikedVideos => {
            let array = if f == SourceFormat::TiktokApiVideos {
                "data.videos"
            } else {
                "data.user_liked_videos"
            };
            plan.records = Records::Array(vec![array], true);
            if f == SourceFormat::TiktokApiVideos {
                plan.roles = [
                    Source::record(&["username"]),
                    Source::record(&["id"]),
                    Source::record(&["create_time"]),
                    Source::Absent,
                    Source::record(&["video_description"]),
                ];
                why.push((Role::Account, "who posted the video".into()));
                why.push((
                    Role::Post,
                    "the video itself: accounts are linked by their captions only".into(),
                ));
                why.push((Role::Text, "the caption".into()));
            } else {
                let user = spec
                    .queried_user
                    .clone()
                    .or_else(|| formats::queried_user_from_name(path))
                    .ok_or_else(|| {
                        InputError::file(
                            path,
                            "a TikTok Research API liked-videos file does not say whose likes it holds (the user is in the request, not the response): give --queried-user NAME, or name the file after the user (liked_videos_NAME.json)",
                        )
                    })?;
                let from_name = spec.queried_user.is_none();
                plan.roles = [
                    Source::Fixed(user.clone()),
                    Source::record(&["id"]),
                    Source::Absent,
                    Source::record(&["username"]),
                    Source::Absent,
                ];
                why.push((
                    Role::Account,
                    format!(
                        "the queried user {} ({})",
                        crate::text::quote_for_terminal(&user),
                        if from_name {
                            "from the file name; --queried-user sets it"
                        } else {
                            "given by --queried-user"
                        }
                    ),
                ));
                why.push((Role::Post, "the liked video".into()));
                why.push((
                    Role::Time,
                    "none: the API gives no like time (create_time is the video's)".into(),
                ));
                why.push((Role::Author, "the video's creator".into()));
            }
        }
        SourceFormat::TiktokApiComments => {
            return Err(InputError::file(
                path,
                "TikTok Research API comments carry no commenter (fields id, video_id, text, create_time, like_count, reply_count, parent_comment_id): lockstep needs who acted. Collect the comments with Zeeschuimer (the NDJSON has data.user.unique_id) instead",
            ));
        }
        SourceFormat::TwarcTweets => {
            plan.records = Records::Array(vec!["data"], true);
            plan.roles = [
                Source::record(&["author_id"]),
                Source::Absent,
                Source::record(&["created_at"]),
                Source::Absent,
                Source::record(&["text"]),
            ];
            plan.rows = Rows::RetweetOrReply {
                retweet_post: vec!["referenced_tweets.retweeted.id".into()],
                retweet_author: vec!["referenced_tweets.retweeted.author_id".into()],
                reply_post: vec!["referenced_tweets.replied_to.id".into()],
                reply_author: vec!["in_reply_to_user_id".into()],
            };
            why.push((Role::Account, "author_id: who retweeted or replied".into()));
            why.push((
                Role::Post,
                "the referenced tweet of type retweeted, else of type replied_to; other tweets are skipped"
                    .into(),
            ));
            why.push((
                Role::Text,
                "a reply's text (a retweet's text is the original's and is not read)".into(),
            ));
        }
        SourceFormat::TwarcUsers => {
            plan.records = Records::Array(vec!["data"], false);
            plan.roles = [
                Source::record(&["username", "id"]),
                Source::TwarcUrl("tweets"),
                Source::Absent,
                Source::Absent,
                Source::Absent,
            ];
            why.push((
                Role::Account,
                "the user who liked or retweeted (data[].username)".into(),
            ));
            why.push((
                Role::Post,
                "the tweet id in the page's __twarc.url (…/tweets/ID/liking_users)".into(),
            ));
            why.push((Role::Time, "none: the API gives no like time".into()));
        }
        SourceFormat::BlueskyLikes => {
            plan.records = Records::Array(vec!["likes"], false);
            plan.roles = [
                Source::record(&["actor.did"]),
                Source::Document("uri"),
                Source::record(&["createdAt", "indexedAt"]),
                Source::DidOfUri("uri"),
                Source::Absent,
            ];
            why.push((
                Role::Account,
                "actor.did (a handle can change hands, a DID cannot)".into(),
            ));
            why.push((Role::Post, "the page's uri: the post liked".into()));
            why.push((Role::Time, "when the like record was created".into()));
            why.push((Role::Author, "the DID inside the post's at:// uri".into()));
        }
        SourceFormat::FourcatTiktokComments
        | SourceFormat::FourcatX
        | SourceFormat::FourcatInstagram
        | SourceFormat::TwarcCsv => {
            return Err(InputError::file(
                path,
                format!(
                    "--from {f} is a CSV format, but the file was read as JSON; give the .csv file or --input-format csv"
                ),
            ));
        }
    }
    // The user's flags win, as paths in the record.
    let flags = [&spec.account, &spec.post, &spec.time, &spec.author, &spec.text];
    for (k, flag) in flags.into_iter().enumerate() {
        if let Some(name) = flag {
            plan.roles[k] = Source::record(&[name.as_str()]);
            why.retain(|(r, _)| *r != ROLES[k]);
            why.push((ROLES[k], format!("given by --{}-col", ROLES[k].name())));
            if k == 1 {
                plan.rows = Rows::Plain;
            }
        }
    }
    if spec.no_time {
        plan.roles[2] = Source::Absent;
    }
    if spec.no_text {
        plan.roles[4] = Source::Absent;
    }
    plan.why = why;
    Ok(plan)
}

/// A plan from dotted column flags and the usual names, over the first record's leaf paths.
fn generic_plan(first: &Value, path: &Path, spec: &ColumnSpec, records: Records) -> Result<Plan, InputError> {
    let mut headers = Vec::new();
    leaf_paths(first, "", &mut headers);
    // Paths into arrays (`what.ids.0`) are not leaves: a flag naming one that resolves is one.
    for flag in [&spec.account, &spec.post, &spec.time, &spec.author, &spec.text]
        .into_iter()
        .flatten()
    {
        if !headers.contains(flag) && lookup(first, flag).is_some() {
            headers.push(flag.clone());
        }
    }
    if headers.is_empty() {
        return Err(InputError::file(
            path,
            "the first JSON record is not an object with fields",
        ));
    }
    let choice = super::columns::choose(&headers, spec).map_err(|m| {
        InputError::file(
            path,
            format!("{m}. Nested fields are named by dotted paths, e.g. --account-col data.user.unique_id"),
        )
    })?;
    let at = |i: Option<usize>| i.map_or(Source::Absent, |i| Source::record(&[headers[i].as_str()]));
    Ok(Plan {
        source: None,
        records,
        rows: Rows::Plain,
        roles: [
            at(Some(choice.account)),
            at(Some(choice.post)),
            at(choice.time),
            at(choice.author),
            at(choice.text),
        ],
        keep: None,
        time_format: super::TimeFormat::Auto,
        why: Vec::new(),
    })
}

/// A line read with a cap on its length.
enum Line {
    Eof,
    Read,
    TooLong,
}

fn read_line_capped(r: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<Line> {
    let start = buf.len();
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if buf.len() == start { Line::Eof } else { Line::Read });
        }
        let (used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if buf.len() - start + used > cap {
            return Ok(Line::TooLong);
        }
        buf.extend_from_slice(&available[..used]);
        r.consume(used);
        if done {
            return Ok(Line::Read);
        }
    }
}

fn utf8<'b>(path: &Path, line: u64, bytes: &'b [u8]) -> Result<&'b str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        InputError::at(
            path,
            Place::Line(line),
            None,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
        )
    })
}

/// Why a line is not JSON, in words, at its column (a line cut short says so).
fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let what = full.rsplit_once(" at line ").map_or(full.as_str(), |x| x.0);
    if e.is_eof() {
        format!(
            "the JSON record is cut short at column {} ({what}): a truncated line?",
            e.column()
        )
    } else {
        format!("not valid JSON at column {}: {what}", e.column())
    }
}

/// The same for a document spanning lines: the line comes with the error.
fn document_error(e: &serde_json::Error) -> String {
    if e.is_eof() {
        format!("the JSON document is cut short ({e}): a truncated file?")
    } else {
        format!("not valid JSON: {e}")
    }
}

/// A line without its line break.
fn chomp(s: &str) -> &str {
    s.trim_end_matches(['\n', '\r'])
}

/// Read one JSON file (NDJSON or documents).
pub(crate) fn read(
    path: &Path,
    index: usize,
    reader: Box<dyn Read + '_>,
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<(), InputError> {
    let mut br = BufReader::with_capacity(1 << 16, reader);
    let mut head: Vec<u8> = Vec::new();
    let mut line_no = 0u64;
    let too_long = |line: u64| InputError::at(path, Place::Line(line), None, super::record::too_long("line"));
    // The first non-empty line.
    let first_start = loop {
        let start = head.len();
        match read_line_capped(&mut br, &mut head, MAX_LINE_BYTES)
            .map_err(|e| InputError::at(path, Place::Line(line_no + 1), None, format!("cannot read: {e}")))?
        {
            Line::Eof => return Err(InputError::file(path, "the file is empty (no JSON records)")),
            Line::TooLong => return Err(too_long(line_no + 1)),
            Line::Read => line_no += 1,
        }
        let text = utf8(path, line_no, &head[start..])?;
        if !text.trim_start_matches('\u{FEFF}').trim().is_empty() {
            break start;
        }
    };
    let first_text = chomp(utf8(path, line_no, &head[first_start..])?.trim_start_matches('\u{FEFF}'));
    match serde_json::from_str::<Value>(first_text) {
        Ok(first) => {
            let spec = &options.columns;
            let dotted = [&spec.account, &spec.post, &spec.time, &spec.author, &spec.text]
                .iter()
                .any(|f| {
                    f.as_deref()
                        .is_some_and(|n| n.contains('.') && first.get(n).is_none())
                });
            let source = spec.from.or_else(|| recognise(&first, path));
            if source.is_none() && !dotted && is_flat_object(&first) {
                // Plain JSON Lines: the flat reader, fed the bytes read so far first.
                let replay = io::Cursor::new(head).chain(br);
                return super::jsonl::read(path, index, Box::new(replay), options, collector);
            }
            let plan = plan_for(source, &first, path, spec, Records::Whole)?;
            let mut ctx = start(path, index, &plan, options, collector)?;
            let mut rows = RowReader::new(path, &plan);
            rows.document(&mut ctx, collector, &first, line_no)?;
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match read_line_capped(&mut br, &mut buf, MAX_LINE_BYTES).map_err(|e| {
                    InputError::at(path, Place::Line(line_no + 1), None, format!("cannot read: {e}"))
                })? {
                    Line::Eof => break,
                    Line::TooLong => return Err(too_long(line_no + 1)),
                    Line::Read => line_no += 1,
                }
                let text = utf8(path, line_no, &buf)?;
                if text.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(chomp(text))
                    .map_err(|e| InputError::at(path, Place::Line(line_no), None, json_error(&e)))?;
                rows.document(&mut ctx, collector, &value, line_no)?;
            }
            rows.finish(ctx, collector)
        }
        Err(e) if e.is_eof() => {
            // A document over several lines: read the file whole (bounded) and parse its
            // documents one after the other.
            let mut limited =
                (&mut br).take((MAX_DOCUMENT_BYTES - head.len().min(MAX_DOCUMENT_BYTES)) as u64 + 1);
            limited
                .read_to_end(&mut head)
                .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
            if head.len() > MAX_DOCUMENT_BYTES {
                return Err(InputError::file(
                    path,
                    format!(
                        "a JSON document file larger than {} MiB; split it into pages or convert it to NDJSON (one record per line)",
                        MAX_DOCUMENT_BYTES >> 20
                    ),
                ));
            }
            read_documents(path, index, &head, options, collector)
        }
        Err(e) => Err(InputError::at(path, Place::Line(line_no), None, json_error(&e))),
    }
}

fn plan_for(
    source: Option<SourceFormat>,
    first: &Value,
    path: &Path,
    spec: &ColumnSpec,
    records: Records,
) -> Result<Plan, InputError> {
    match source {
        Some(f) => {
            let prefix = if first.get("__import_meta").is_some() {
                ""
            } else if matches!(
                f,
                SourceFormat::ZeeschuimerTiktokComments
                    | SourceFormat::ZeeschuimerTiktok
                    | SourceFormat::ZeeschuimerInstagram
                    | SourceFormat::ZeeschuimerX
            ) {
                "data."
            } else {
                ""
            };
            named_plan(f, prefix, path, spec)
        }
        None => {
            let record = match first {
                Value::Array(items) => items.first().unwrap_or(first),
                other => other,
            };
            if let Some(platform) = record.get("source_platform").and_then(Value::as_str)
                && (spec.account.is_none() || spec.post.is_none())
            {
                return Err(InputError::file(
                    path,
                    format!(
                        "Zeeschuimer items from {} are not an export lockstep reads by itself (it reads tiktok-comments, tiktok.com, instagram.com and twitter.com); name the fields with --account-col and --post-col (dotted paths such as data.user.unique_id)",
                        crate::text::quote_for_terminal(platform)
                    ),
                ));
            }
            generic_plan(record, path, spec, records)
        }
    }
}

fn start<'a>(
    path: &'a Path,
    index: usize,
    plan: &Plan,
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<FileCtx<'a>, InputError> {
    // The "header": the source of each role, by name; a role without one is left out.
    let mut names: Vec<Option<String>> = plan.roles.iter().map(Source::display).collect();
    if matches!(plan.rows, Rows::RetweetOrReply { .. }) && names[1].is_none() {
        names[1] = Some("(the retweeted or replied-to tweet)".into());
    }
    let headers: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(k, n)| n.clone().unwrap_or_else(|| format!("(no {})", ROLES[k].name())))
        .collect();
    let spec = ColumnSpec {
        account: names[0].clone(),
        post: names[1].clone(),
        time: names[2].clone(),
        no_time: names[2].is_none(),
        author: names[3].clone(),
        no_author: names[3].is_none(),
        text: names[4].clone(),
        no_text: names[4].is_none(),
        from: None,
        queried_user: None,
    };
    let time_format = if matches!(options.time_format, super::TimeFormat::Auto) {
        plan.time_format.clone()
    } else {
        options.time_format.clone()
    };
    let mut ctx = FileCtx::new_resolved(path, index, headers, &spec, &time_format)?;
    ctx.source = plan.source;
    ctx.why = plan.why.clone();
    collector.start_file(&mut ctx)?;
    Ok(ctx)
}

fn read_documents(
    path: &Path,
    index: usize,
    bytes: &[u8],
    options: &LoadOptions,
    collector: &mut Collector,
) -> Result<(), InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        InputError::at(path, Place::Line(line), None, "invalid UTF-8")
    })?;
    let mut stream =
        serde_json::Deserializer::from_str(text.trim_start_matches('\u{FEFF}')).into_iter::<Value>();
    let bom = text.len() - text.trim_start_matches('\u{FEFF}').len();
    let mut state: Option<(FileCtx<'_>, RowReader<'_>)> = None;
    let mut counted = 0usize;
    let mut line = 1u64;
    loop {
        let offset = stream.byte_offset();
        let next = stream.next();
        let Some(next) = next else { break };
        // The line where this document starts (after leading whitespace).
        let rest = &text[bom + offset..];
        let lead = rest.len() - rest.trim_start().len();
        line += text.as_bytes()[counted..bom + offset + lead]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted = bom + offset + lead;
        let doc =
            next.map_err(|e| InputError::at(path, Place::Line(e.line() as u64), None, document_error(&e)))?;
        if state.is_none() {
            let spec = &options.columns;
            let source = spec.from.or_else(|| {
                let record = match &doc {
                    Value::Array(items) => items.first().unwrap_or(&doc),
                    other => other,
                };
                recognise(record, path).or_else(|| recognise(&doc, path))
            });
            let records = match &doc {
                Value::Array(_) => Records::Array(vec![""], true),
                _ => Records::Whole,
            };
            let mut plan = plan_for(source, &doc, path, spec, records)?;
            if matches!(doc, Value::Array(_)) {
                // A bare array of records (the API wrappers' aggregated lists).
                plan.records = Records::Array(vec![""], true);
            }
            let ctx = start(path, index, &plan, options, collector)?;
            let rows = RowReader::new(path, &plan);
            state = Some((ctx, rows));
        }
        if let Some((ctx, rows)) = state.as_mut() {
            rows.document(ctx, collector, &doc, line)?;
        }
    }
    match state {
        Some((ctx, rows)) => rows.finish(ctx, collector),
        None => Err(InputError::file(path, "the file is empty (no JSON records)")),
    }
}

/// Turns the records of each document into rows.
struct RowReader<'p> {
    path: &'p Path,
    plan: Plan,
    /// Records skipped because the format does not count them (original tweets, other
    /// platforms).
    skipped: u64,
}

impl<'p> RowReader<'p> {
    fn new(path: &'p Path, plan: &Plan) -> Self {
        RowReader {
            path,
            plan: plan.clone(),
            skipped: 0,
        }
    }

    /// Read every record of one document (a line, or a document starting on `line`).
    fn document(
        &mut self,
        ctx: &mut FileCtx<'_>,
        collector: &mut Collector,
        doc: &Value,
        line: u64,
    ) -> Result<(), InputError> {
        let place = Place::Line(line);
        if let Some((key, values)) = &self.plan.keep
            && let Some(v) = lookup(doc, key).and_then(Value::as_str)
            && !values.contains(&v)
        {
            self.skipped += 1;
            return Ok(());
        }
        let records = self.plan.records.clone();
        match &records {
            Records::Whole => self.record(ctx, collector, doc, doc, place, None),
            Records::Array(paths, or_whole) => {
                let found = paths
                    .iter()
                    .find_map(|p| lookup(doc, p).filter(|v| v.is_array()).map(|v| (p, v)));
                match found {
                    Some((array_path, Value::Array(items))) => {
                        for (k, item) in items.iter().enumerate() {
                            let at = if array_path.is_empty() {
                                format!("element {} of the array", k + 1)
                            } else {
                                format!("element {} of {}", k + 1, array_path)
                            };
                            self.record(ctx, collector, item, doc, place.clone(), Some(at))?;
                        }
                        Ok(())
                    }
                    _ if *or_whole => self.record(ctx, collector, doc, doc, place, None),
                    _ => {
                        // An API page without its array (an error page, an empty result).
                        if let Some(msg) = lookup(doc, "error.message").and_then(Value::as_str)
                            && !msg.is_empty()
                        {
                            return Err(InputError::at(
                                self.path,
                                place,
                                None,
                                format!(
                                    "an API error page, not data: {}",
                                    crate::text::quote_for_terminal(msg)
                                ),
                            ));
                        }
                        let wanted = paths.join(" or ");
                        Err(InputError::at(
                            self.path,
                            place,
                            Some(&wanted),
                            format!(
                                "missing: this {} page has no {} array",
                                self.plan.source.map_or("JSON", |f| f.description()),
                                wanted
                            ),
                        ))
                    }
                }
            }
        }
    }

    fn value<'v>(
        &self,
        k: usize,
        record: &'v Value,
        doc: &'v Value,
        place: &Place,
        at: &Option<String>,
    ) -> Result<Option<Cow<'v, str>>, InputError> {
        let missing = |name: &str, also: &[String]| {
            let mut what = format!("field {name} is missing");
            if also.len() > 1 {
                what.push_str(&format!(" (nor {})", also[1..].join(", ")));
            }
            if let Some(at) = at {
                what = format!("{at}: {what}");
            }
            InputError::at(self.path, place.clone(), Some(name), what)
        };
        let required = k < 2;
        let source = &self.plan.roles[k];
        let found: Option<Cow<'v, str>> = match source {
            Source::Absent => return Ok(None),
            Source::Fixed(v) => return Ok(Some(Cow::Owned(v.clone()))),
            Source::Record(paths) => match first_of(record, paths) {
                Some((v, i)) => Some(scalar_text(v).ok_or_else(|| {
                    InputError::at(
                        self.path,
                        place.clone(),
                        Some(&paths[i]),
                        format!(
                            "{}expected a string or a number, found an array or object",
                            at.as_ref().map(|a| format!("{a}: ")).unwrap_or_default()
                        ),
                    )
                })?),
                None if required => return Err(missing(&paths[0], paths)),
                None if k == 2 => return Err(missing(&paths[0], paths)),
                None => None,
            },
            Source::Document(p) => match lookup(doc, p).and_then(scalar_text) {
                Some(v) => Some(v),
                None => return Err(missing(p, &[])),
            },
            Source::DidOfUri(p) => lookup(doc, p)
                .and_then(Value::as_str)
                .and_then(|u| u.strip_prefix("at://"))
                .and_then(|u| u.split('/').next())
                .map(|d| Cow::Owned(d.to_string())),
            Source::TwarcUrl(seg) => {
                let url = lookup(doc, "__twarc.url").and_then(Value::as_str).unwrap_or("");
                let id = url
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .split('/')
                    .skip_while(|s| s != seg)
                    .nth(1)
                    .filter(|s| !s.is_empty());
                match id {
                    Some(id) => Some(Cow::Owned(id.to_string())),
                    None => return Err(missing("__twarc.url", &[])),
                }
            }
        };
        Ok(found)
    }

    fn record(
        &mut self,
        ctx: &mut FileCtx<'_>,
        collector: &mut Collector,
        record: &Value,
        doc: &Value,
        place: Place,
        at: Option<String>,
    ) -> Result<(), InputError> {
        if !record.is_object() {
            return Err(InputError::at(
                self.path,
                place,
                None,
                format!(
                    "{}expected a JSON object, found {}",
                    at.as_ref().map(|a| format!("{a}: ")).unwrap_or_default(),
                    match record {
                        Value::Array(_) => "an array",
                        Value::String(_) => "a string",
                        Value::Number(_) => "a number",
                        _ => "a scalar",
                    }
                ),
            ));
        }
        let account = self.value(0, record, doc, &place, &at)?.unwrap_or_default();
        let (post, author, text) = match &self.plan.rows {
            Rows::Plain => (
                self.value(1, record, doc, &place, &at)?.unwrap_or_default(),
                self.value(3, record, doc, &place, &at)?,
                self.value(4, record, doc, &place, &at)?,
            ),
            Rows::RetweetOrReply {
                retweet_post,
                retweet_author,
                reply_post,
                reply_author,
            } => {
                let text_of = |v: &'_ Value| scalar_text(v).map(|c| c.into_owned());
                if let Some((v, _)) = first_of(record, retweet_post) {
                    let author = first_of(record, retweet_author).and_then(|(a, _)| text_of(a));
                    (
                        Cow::Owned(text_of(v).unwrap_or_default()),
                        author.map(Cow::Owned),
                        None,
                    )
                } else if let Some((v, _)) = first_of(record, reply_post) {
                    let author = first_of(record, reply_author).and_then(|(a, _)| text_of(a));
                    (
                        Cow::Owned(text_of(v).unwrap_or_default()),
                        author.map(Cow::Owned),
                        self.value(4, record, doc, &place, &at)?,
                    )
                } else {
                    self.skipped += 1;
                    return Ok(());
                }
            }
        };
        let time_text;
        let time = match &self.plan.roles[2] {
            Source::Record(paths) => match first_of(record, paths) {
                Some((Value::Number(n), _)) => RawTime::Number(n.as_f64().unwrap_or(f64::NAN)),
                _ => {
                    time_text = self.value(2, record, doc, &place, &at)?.unwrap_or_default();
                    RawTime::Text(&time_text)
                }
            },
            _ => RawTime::Absent,
        };
        collector.push(
            ctx,
            place,
            RawRow {
                account: &account,
                post: &post,
                time,
                author: author.as_deref(),
                text: text.as_deref(),
            },
        )
    }

    fn finish(self, mut ctx: FileCtx<'_>, collector: &mut Collector) -> Result<(), InputError> {
        ctx.skipped_format = self.skipped;
        if ctx.rows == 0 {
            let what = self
                .plan
                .source
                .map(|f| format!("no row of this {} is {}", f.description(), f.row_is()))
                .unwrap_or_else(|| "no JSON records".into());
            return Err(InputError::file(self.path, what));
        }
        collector.finish_file(ctx, Format::Jsonl);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_walk_objects_and_arrays() {
        let v = json!({"data": {"user": {"unique_id": "anna"}, "list": [{"url": "u0"}, {"url": "u1"}],
            "referenced_tweets": [{"type": "quoted", "id": "9"}, {"type": "retweeted", "id": "7"}]}});
        assert_eq!(lookup(&v, "data.user.unique_id"), Some(&json!("anna")));
        assert_eq!(lookup(&v, "data.list.1.url"), Some(&json!("u1")));
        assert_eq!(
            lookup(&v, "data.referenced_tweets.retweeted.id"),
            Some(&json!("7"))
        );
        assert_eq!(lookup(&v, "data.referenced_tweets.replied_to.id"), None);
        assert_eq!(lookup(&v, "data.user.unique_id.more"), None);
    }

    #[test]
    fn formats_are_recognised_by_their_fields() {
        let p = Path::new("x.ndjson");
        let zs = json!({"nav_index": "1:2:3", "item_id": "7", "source_platform": "tiktok-comments", "data": {"cid": "7"}});
        assert_eq!(recognise(&zs, p), Some(SourceFormat::ZeeschuimerTiktokComments));
        let four = json!({"id": "7", "__import_meta": {"source_platform": "twitter.com"}});
        assert_eq!(recognise(&four, p), Some(SourceFormat::ZeeschuimerX));
        let liked = json!({"data": {"user_liked_videos": [], "cursor": 0, "has_more": false}, "error": {"code": "ok"}});
        assert_eq!(recognise(&liked, p), Some(SourceFormat::TiktokApiLikedVideos));
        let page = json!({"data": [{"id": "1"}], "includes": {}, "__twarc": {"url": "https://api.twitter.com/2/tweets/5/liking_users"}});
        assert_eq!(recognise(&page, p), Some(SourceFormat::TwarcUsers));
        let bsky = json!({"uri": "at://did:plc:x/app.bsky.feed.post/1", "likes": []});
        assert_eq!(recognise(&bsky, p), Some(SourceFormat::BlueskyLikes));
        let video = json!({"id": 1, "username": "a", "create_time": 1});
        assert_eq!(recognise(&video, p), Some(SourceFormat::TiktokApiVideos));
        assert_eq!(
            recognise(&video, Path::new("liked_videos_anna.json")),
            Some(SourceFormat::TiktokApiLikedVideos)
        );
        assert_eq!(recognise(&json!({"account": "a", "post": "p"}), p), None);
    }

    #[test]
    fn long_lines_are_refused_without_reading_them_whole() {
        let data = vec![b'x'; 100];
        let mut r = io::Cursor::new(data);
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 10).unwrap(),
            Line::TooLong
        ));
        assert!(buf.len() <= 10);
        let mut r = io::Cursor::new(b"ab\ncd".to_vec());
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 10).unwrap(),
            Line::Read
        ));
        assert_eq!(buf, b"ab\n");
        buf.clear();
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 10).unwrap(),
            Line::Read
        ));
        assert_eq!(buf, b"cd");
        buf.clear();
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 10).unwrap(),
            Line::Eof
        ));
    }
}
