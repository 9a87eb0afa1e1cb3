//! Stage 1 — load and validate interaction files.
//!
//! Reads CSV, TSV, JSON Lines, JSON documents and Parquet (text formats also gzip-compressed),
//! several files in one run, recognises the exports of collection tools ([`formats`]: Zeeschuimer,
//! 4CAT, TikTok Research API, twarc2, Bluesky), maps columns (or dotted paths in nested JSON) to
//! the roles (account, post, time, author, text), parses timestamps, and interns names to dense
//! ids. Texts (comments, replies, captions) are kept per row in [`Comments`], repeats included. Each like's time resolution (second, minute, hour or day) is
//! decided per file ([`resolution`]). Duplicate (account, post) rows keep the earliest like.
//! Every problem becomes an [`InputError`] naming the file, and the line/row and column.
//!
//! Nothing here assumes the interaction is a like: a "post" may be a followed account, a URL, a
//! video; "likes" is just the word the rest of the code uses for interactions.

mod columns;
mod delimited;
mod error;
pub mod formats;
mod jsonl;
mod nested;
pub mod pairs;
mod parquet;
mod record;
pub mod resolution;
pub mod sanity;
pub mod time;

pub use columns::{ChosenNames, ColumnChoice, ColumnSpec, Role};
pub use error::{InputError, Place};
pub use formats::SourceFormat;
pub use record::MAX_RECORD_BYTES;
pub use resolution::{Resolution, ResolutionCounts};
pub use time::{TimeFormat, TimeParser};

use crate::ui::Ui;
use rayon::slice::ParallelSliceMut;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// Marks "no author" in [`Interactions::post_author`].
pub const NO_AUTHOR: u32 = u32::MAX;

/// The most files one run can read (the file index is packed in 16 bits of a like's origin).
pub const MAX_FILES: usize = 65_535;

/// File formats lockstep reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated (or another delimiter, sniffed from the header).
    Csv,
    /// Tab-separated.
    Tsv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "tsv" | "tab" => Ok(Format::Tsv),
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "parquet" | "pq" => Ok(Format::Parquet),
            other => Err(format!(
                "unknown input format {other:?}: use csv, tsv, jsonl or parquet"
            )),
        }
    }
}

pub use crate::clock::Clock;

/// Options for [`load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Which columns play which role.
    pub columns: ColumnSpec,
    /// How to read the time column.
    pub time_format: TimeFormat,
    /// Force a format instead of going by the file extension.
    pub format: Option<Format>,
    /// Force a delimiter for CSV/TSV instead of sniffing the header.
    pub delimiter: Option<u8>,
}

/// Where a like came from — file index (into [`LoadReport::files`]) and 1-based line or row —
/// and how precisely its time is known ([`Resolution`]), packed in 64 bits: file 16, resolution
/// 2, line 46 (70 × 10^12 lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin(u64);

const LINE_BITS: u32 = 46;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;

impl Origin {
    /// Pack a file index and a line/row number; the resolution is [`Resolution::Second`].
    pub fn new(file: usize, line: u64) -> Self {
        Origin(((file as u64) << 48) | (line & LINE_MASK))
    }
    /// The same origin with time resolution `r`.
    pub fn with_resolution(self, r: Resolution) -> Self {
        Origin((self.0 & !(3 << LINE_BITS)) | ((r as u64) << LINE_BITS))
    }
    /// Index of the input file.
    pub fn file(self) -> usize {
        (self.0 >> 48) as usize
    }
    /// 1-based line (text formats, header is line 1) or row (Parquet).
    pub fn line(self) -> u64 {
        self.0 & LINE_MASK
    }
    /// How precisely the like's time is known.
    pub fn resolution(self) -> Resolution {
        Resolution::from_bits(self.0 >> LINE_BITS)
    }
}

/// One interaction after interning: who, what, when, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Like {
    /// Account id (index into [`Interactions::accounts`]).
    pub account: u32,
    /// Post id (index into [`Interactions::posts`]).
    pub post: u32,
    /// Milliseconds since the epoch, or the position in the post's like order (logical clock).
    pub time: i64,
    /// Source file and line.
    pub origin: Origin,
}

/// What was read from one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as given.
    pub path: PathBuf,
    /// The format it was read as.
    pub format: Format,
    /// Gzip-compressed.
    pub gzip: bool,
    /// SHA-256 of the file's bytes on disk.
    pub sha256: String,
    /// Size on disk in bytes.
    pub bytes: u64,
    /// Data rows read (not counting the header).
    pub rows: u64,
    /// Rows skipped because the account or post was empty.
    pub rows_skipped_empty: u64,
    /// The columns chosen for each role.
    pub columns: ChosenNames,
    /// The time format in force ("epoch", "iso"…), if the file has a time column.
    pub time_format: Option<String>,
    /// Rows kept (not skipped) by time resolution; `None` without a time column.
    pub time_resolution: Option<ResolutionCounts>,
    /// The collection tool's export the file was recognised as (or forced to by `--from`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_format: Option<SourceFormat>,
    /// Why each role was read from its column or field, where a format or flag decided it
    /// (`account: author — 4CAT's author is the commenter`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub column_reasons: Vec<String>,
    /// Rows the format does not count as interactions (original tweets, non-replies, items of
    /// another platform).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_skipped_format: u64,
    /// Rows with a non-empty text.
    #[serde(skip_serializing_if = "is_zero")]
    pub texts: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Counts and choices of a load, for diagnostics and the manifest.
#[derive(Debug, Clone, Serialize, Default)]
pub struct LoadReport {
    /// Per-file details, in the order read.
    pub files: Vec<FileReport>,
    /// Data rows read in all files.
    pub rows: u64,
    /// Rows skipped for an empty account or post.
    pub rows_skipped_empty: u64,
    /// Rows dropped as repeats of an (account, post) pair (the earliest was kept).
    pub duplicates_merged: u64,
    /// Rows whose author differed from the first author seen for that post (first kept).
    pub author_conflicts: u64,
    /// Posts with rows of more than one author.
    #[serde(skip_serializing_if = "is_zero")]
    pub posts_with_author_conflicts: u64,
    /// Rows with a non-empty text, in all files.
    #[serde(skip_serializing_if = "is_zero")]
    pub texts: u64,
    /// True if some timestamp had no time zone and was read as UTC.
    pub naive_timestamps: bool,
    /// Rows of all files by time resolution (before merging duplicates). Written to JSON only
    /// when some row is coarser than a second; each file's counts are always written.
    #[serde(skip_serializing_if = "ResolutionCounts::all_fine")]
    pub time_resolution: ResolutionCounts,
    /// Warnings about the chosen columns ([`sanity`]): a post or account column unique per
    /// row, an author column varying within a post.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub column_warnings: Vec<String>,
}

/// The loaded, validated and interned interactions.
#[derive(Debug, Clone)]
pub struct Interactions {
    /// Account names by id.
    pub accounts: Vec<Box<str>>,
    /// Post names by id.
    pub posts: Vec<Box<str>>,
    /// Author names by id.
    pub authors: Vec<Box<str>>,
    /// Author id of each post, or [`NO_AUTHOR`].
    pub post_author: Vec<u32>,
    /// One like per (account, post), sorted by (post, time, account).
    pub likes: Vec<Like>,
    /// Real timestamps or logical time.
    pub clock: Clock,
    /// The texts of the rows that had one (comments, replies, captions); `None` without a text
    /// column.
    pub comments: Option<Comments>,
    /// What was read.
    pub report: LoadReport,
}

/// The texts written with the interactions, one entry per row that had a non-empty text
/// (repeated comments of an account on a post included, unlike the likes). Memory: 28 bytes
/// per text plus each distinct text once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comments {
    /// Who wrote it (account id, as in the likes).
    pub account: Vec<u32>,
    /// On what (post id).
    pub post: Vec<u32>,
    /// When (ms since the epoch; in logical time the row's position in its post's order).
    pub time: Vec<i64>,
    /// The file and line it was read from.
    pub origin: Vec<Origin>,
    /// Which text (index into `texts`).
    pub text: Vec<u32>,
    /// The distinct texts, as written.
    pub texts: Vec<Box<str>>,
}

impl Comments {
    /// Number of comments.
    pub fn len(&self) -> usize {
        self.account.len()
    }

    /// True without comments.
    pub fn is_empty(&self) -> bool {
        self.account.is_empty()
    }
}

/// Interns strings to dense ids in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// Keys up to 24 bytes are stored inline in the table (compact_str), so a lookup costs one
    /// cache miss, not two. foldhash: several times faster than SipHash on short ids, still
    /// seeded per run so crafted names cannot force collisions; ids never depend on hash order.
    ids: HashMap<compact_str::CompactString, u32, foldhash::fast::RandomState>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The id of `name`, adding it if new; `None` past 2^32 − 1 names.
    pub(crate) fn intern(&mut self, name: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        let id = u32::try_from(self.names.len()).ok().filter(|&i| i != u32::MAX)?;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        Some(id)
    }

    pub(crate) fn into_names(self) -> Vec<Box<str>> {
        self.names
    }
}

/// A value of the time column as read.
pub(crate) enum RawTime<'a> {
    /// No time column.
    Absent,
    /// Text to parse.
    Text(&'a str),
    /// An already-typed number (JSON, Parquet).
    Number(f64),
    /// Already milliseconds (Parquet datetimes).
    Millis(i64),
    /// A typed date, as milliseconds at its midnight UTC (Parquet dates): day resolution.
    Date(i64),
}

/// One row as read, before interning.
pub(crate) struct RawRow<'a> {
    pub account: &'a str,
    pub post: &'a str,
    pub time: RawTime<'a>,
    pub author: Option<&'a str>,
    /// The row's text, when the file has a text column.
    pub text: Option<&'a str>,
}

/// Receives rows from the format readers, interns them and keeps the likes.
pub(crate) struct Collector {
    accounts: Interner,
    posts: Interner,
    authors: Interner,
    post_author: Vec<u32>,
    post_seq: Vec<i64>,
    likes: Vec<Like>,
    clock: Option<Clock>,
    report: LoadReport,
    texts: Interner,
    comments: Comments,
    /// Some file had a text column.
    text_column: bool,
    /// Posts already counted in `posts_with_author_conflicts`.
    conflicted_posts: std::collections::HashSet<u32>,
}

/// Per-file state a reader passes to the collector.
pub(crate) struct FileCtx<'a> {
    pub path: &'a Path,
    pub index: usize,
    pub headers: Vec<String>,
    pub choice: ColumnChoice,
    pub time: TimeParser,
    pub rows: u64,
    pub skipped_empty: u64,
    /// Rows the format does not count (see [`FileReport::rows_skipped_format`]).
    pub skipped_format: u64,
    /// Rows with a non-empty text.
    pub texts: u64,
    /// The export format, if recognised.
    pub source: Option<SourceFormat>,
    /// Why each role was read from its column.
    pub why: Vec<(Role, String)>,
    /// Rows of this file seen so far, for the resolution decision at the end of the file.
    resolution: resolution::FileResolution,
    /// Index in the collector's likes of this file's first like.
    first_like: usize,
}

impl<'a> FileCtx<'a> {
    /// The context of a file with this header: a recognised export format (or `--from`) fills
    /// in the columns the flags leave open ([`formats::resolve_header`]).
    pub(crate) fn new(
        path: &'a Path,
        index: usize,
        headers: Vec<String>,
        spec: &ColumnSpec,
        time_format: &TimeFormat,
    ) -> Result<Self, InputError> {
        let resolved = formats::resolve_header(path, &headers, spec, time_format)
            .map_err(|m| InputError::file(path, m))?;
        let mut ctx = Self::new_resolved(path, index, headers, &resolved.spec, &resolved.time_format)?;
        ctx.source = resolved.source;
        ctx.why = resolved.why;
        let c = &ctx.choice;
        let chosen = [
            (Role::Account, Some(c.account), &spec.account),
            (Role::Post, Some(c.post), &spec.post),
            (Role::Time, c.time, &spec.time),
            (Role::Author, c.author, &spec.author),
            (Role::Text, c.text, &spec.text),
        ];
        for (role, column, flag) in chosen {
            let Some(i) = column else { continue };
            if ctx.why.iter().any(|(r, _)| *r == role) {
                continue;
            }
            let how = if flag.is_some() {
                format!("given by --{}-col", role.name())
            } else {
                "detected by its name".to_string()
            };
            ctx.why.push((role, format!("{}: {how}", ctx.headers[i])));
        }
        ctx.why.sort_by_key(|(r, _)| *r as u8);
        if let Some((column, values)) = resolved.keep {
            ctx.choice.keep = ctx.headers.iter().position(|h| *h == column).map(|i| (i, values));
        }
        Ok(ctx)
    }

    /// The context of a file whose columns are already decided.
    pub(crate) fn new_resolved(
        path: &'a Path,
        index: usize,
        headers: Vec<String>,
        spec: &ColumnSpec,
        time_format: &TimeFormat,
    ) -> Result<Self, InputError> {
        let choice = columns::choose(&headers, spec).map_err(|m| InputError::file(path, m))?;
        Ok(FileCtx {
            path,
            index,
            headers,
            choice,
            time: TimeParser::new(time_format),
            rows: 0,
            skipped_empty: 0,
            skipped_format: 0,
            texts: 0,
            source: None,
            why: Vec::new(),
            resolution: resolution::FileResolution::default(),
            first_like: 0,
        })
    }

    fn column_name(&self, index: usize) -> &str {
        &self.headers[index]
    }
}

impl Collector {
    pub(crate) fn new() -> Self {
        Collector {
            accounts: Interner::default(),
            posts: Interner::default(),
            authors: Interner::default(),
            post_author: Vec::new(),
            post_seq: Vec::new(),
            likes: Vec::new(),
            clock: None,
            report: LoadReport::default(),
            texts: Interner::default(),
            comments: Comments::default(),
            text_column: false,
            conflicted_posts: Default::default(),
        }
    }

    /// Check the file's clock agrees with the files read before.
    pub(crate) fn start_file(&mut self, ctx: &mut FileCtx<'_>) -> Result<(), InputError> {
        ctx.first_like = self.likes.len();
        self.text_column |= ctx.choice.text.is_some();
        let clock = if ctx.choice.time.is_some() {
            Clock::Timestamps
        } else {
            Clock::Logical
        };
        match self.clock {
            None => self.clock = Some(clock),
            Some(c) if c == clock => {}
            Some(_) => {
                return Err(InputError::file(
                    ctx.path,
                    "this file has no time column but earlier files have one (or the other way round); \
                     give all files a time column, or use --no-time to ignore time in all of them",
                ));
            }
        }
        Ok(())
    }

    /// Add one row. `place` locates it for error messages and the like's origin.
    pub(crate) fn push(
        &mut self,
        ctx: &mut FileCtx<'_>,
        place: Place,
        row: RawRow<'_>,
    ) -> Result<(), InputError> {
        let RawRow {
            account,
            post,
            time,
            author,
            text,
        } = row;
        let line = match place {
            Place::Line(n) | Place::Row(n) => n,
            Place::File => 0,
        };
        ctx.rows += 1;
        if account.is_empty() || post.is_empty() {
            ctx.skipped_empty += 1;
            return Ok(());
        }
        let too_many = |what: &str| {
            InputError::at(
                ctx.path,
                place.clone(),
                None,
                format!("more than 4 294 967 294 distinct {what}"),
            )
        };
        let a = self
            .accounts
            .intern(account)
            .ok_or_else(|| too_many("accounts"))?;
        let p = self.posts.intern(post).ok_or_else(|| too_many("posts"))?;
        if p as usize == self.post_author.len() {
            self.post_author.push(NO_AUTHOR);
            self.post_seq.push(0);
        }
        if let Some(name) = author.filter(|s| !s.is_empty()) {
            let id = self.authors.intern(name).ok_or_else(|| too_many("authors"))?;
            let slot = &mut self.post_author[p as usize];
            if *slot == NO_AUTHOR {
                *slot = id;
            } else if *slot != id {
                self.report.author_conflicts += 1;
                if self.conflicted_posts.insert(p) {
                    self.report.posts_with_author_conflicts += 1;
                }
            }
        }
        let time_col = ctx.choice.time.map(|i| ctx.column_name(i).to_string());
        let located = |m: String| InputError::at(ctx.path, place.clone(), time_col.as_deref(), m);
        let t = match time {
            RawTime::Absent => {
                let seq = &mut self.post_seq[p as usize];
                *seq += 1;
                *seq - 1
            }
            RawTime::Text(s) if s.trim().is_empty() => {
                return Err(InputError::at(
                    ctx.path,
                    place,
                    time_col.as_deref(),
                    "empty timestamp (every row needs a time; use --no-time to ignore the time column)",
                ));
            }
            RawTime::Text(s) => {
                let p = ctx.time.parse_detailed(s).map_err(located)?;
                ctx.resolution
                    .push(resolution::shape_of(s), p.floor, p.local_ms());
                p.ms
            }
            RawTime::Number(v) => {
                let ms = ctx.time.from_number(v).map_err(located)?;
                ctx.resolution
                    .push(resolution::SHAPE_NUMBER, Resolution::Second, ms);
                ms
            }
            RawTime::Millis(ms) => {
                ctx.resolution
                    .push(resolution::SHAPE_DATETIME, Resolution::Second, ms);
                ms
            }
            RawTime::Date(ms) => {
                ctx.resolution.push(resolution::SHAPE_DATE, Resolution::Day, ms);
                ms
            }
        };
        let origin = Origin::new(ctx.index, line);
        if let Some(text) = text.filter(|s| !s.trim().is_empty()) {
            let id = self.texts.intern(text).ok_or_else(|| too_many("texts"))?;
            let c = &mut self.comments;
            c.account.push(a);
            c.post.push(p);
            c.time.push(t);
            c.origin.push(origin);
            c.text.push(id);
            ctx.texts += 1;
        }
        self.likes.push(Like {
            account: a,
            post: p,
            time: t,
            origin,
        });
        Ok(())
    }

    pub(crate) fn finish_file(&mut self, mut ctx: FileCtx<'_>, format: Format) {
        let time_resolution = ctx.choice.time.map(|_| {
            let decided = std::mem::take(&mut ctx.resolution).finish();
            let likes = &mut self.likes[ctx.first_like..];
            debug_assert_eq!(likes.len(), decided.per_row.len());
            for (like, &r) in likes.iter_mut().zip(&decided.per_row) {
                like.origin = like.origin.with_resolution(r);
            }
            self.report.time_resolution.merge(&decided.counts);
            decided.counts
        });
        self.report.rows += ctx.rows;
        self.report.rows_skipped_empty += ctx.skipped_empty;
        self.report.naive_timestamps |= ctx.time.saw_naive();
        let time_format = ctx
            .choice
            .time
            .and_then(|_| ctx.time.resolved().map(|f| f.to_string()));
        self.report.files.push(FileReport {
            path: ctx.path.to_path_buf(),
            format,
            gzip: false,
            sha256: String::new(),
            bytes: 0,
            rows: ctx.rows,
            rows_skipped_empty: ctx.skipped_empty,
            columns: ctx.choice.names(&ctx.headers),
            time_format,
            time_resolution,
            source_format: ctx.source,
            column_reasons: ctx
                .why
                .iter()
                .map(|(role, why)| format!("{}: {why}", role.name()))
                .collect(),
            rows_skipped_format: ctx.skipped_format,
            texts: ctx.texts,
        });
        self.report.texts += ctx.texts;
    }

    /// Deduplicate (account, post), sort by (post, time, account), renumber logical time.
    ///
    /// Of repeated (account, post) rows the one kept is the earliest, reading each time as the
    /// interval it stands for: the row whose interval ends first (`time` + its resolution's
    /// width), then the earliest time, then the first origin. With exact times this is simply
    /// the earliest row; a date-only row loses to a timed row of the same day (which is the
    /// same like, known more precisely) but wins over a row of a later day.
    pub(crate) fn finish(mut self) -> Interactions {
        let clock = self.clock.unwrap_or(Clock::Logical);
        let mut likes = std::mem::take(&mut self.likes);
        likes.par_sort_unstable_by_key(|l| {
            let end = l.time.saturating_add(l.origin.resolution().millis());
            (l.post, l.account, end, l.time, l.origin)
        });
        let before = likes.len();
        likes.dedup_by_key(|l| (l.post, l.account));
        self.report.duplicates_merged = (before - likes.len()) as u64;
        likes.par_sort_unstable_by_key(|l| (l.post, l.time, l.account));
        if clock == Clock::Logical {
            let mut start = 0;
            while start < likes.len() {
                let post = likes[start].post;
                let mut end = start;
                while end < likes.len() && likes[end].post == post {
                    likes[end].time = (end - start) as i64;
                    end += 1;
                }
                start = end;
            }
        }
        let comments = self.text_column.then(|| Comments {
            texts: self.texts.into_names(),
            ..self.comments
        });
        Interactions {
            accounts: self.accounts.into_names(),
            posts: self.posts.into_names(),
            authors: self.authors.into_names(),
            post_author: self.post_author,
            likes,
            clock,
            comments,
            report: self.report,
        }
    }
}

/// A reader that feeds every byte it passes through a SHA-256 hasher running on its own
/// thread (hashing a large file then costs no time on the parsing thread).
pub(crate) struct HashingReader<R> {
    inner: R,
    pending: Vec<u8>,
    chunks: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    hasher: Option<std::thread::JoinHandle<[u8; 32]>>,
}

/// Bytes handed to the hashing thread at a time.
const HASH_CHUNK: usize = 1 << 20;

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let hasher = std::thread::spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                h.update(&chunk);
            }
            h.finalize().into()
        });
        HashingReader {
            inner,
            pending: Vec::with_capacity(HASH_CHUNK),
            chunks: Some(tx),
            hasher: Some(hasher),
        }
    }

    fn flush_pending(&mut self) {
        if let Some(tx) = &self.chunks {
            let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(HASH_CHUNK));
            if tx.send(chunk).is_err() {
                self.chunks = None;
            }
        }
    }

    /// The SHA-256 of every byte read so far (ends the hashing).
    pub(crate) fn finish(mut self) -> io::Result<[u8; 32]> {
        self.flush_pending();
        self.chunks = None;
        self.hasher
            .take()
            .and_then(|h| h.join().ok())
            .ok_or_else(|| io::Error::other("the hashing thread failed"))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pending.extend_from_slice(&buf[..n]);
        if self.pending.len() >= HASH_CHUNK {
            self.flush_pending();
        }
        Ok(n)
    }
}

/// Hex SHA-256 of a whole file.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The format and compression a path is read as: `--format` wins, else the extension.
pub fn detect_format(path: &Path, forced: Option<Format>) -> (Format, bool) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let gzip = name.ends_with(".gz");
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    let by_ext = if stem.ends_with(".tsv") || stem.ends_with(".tab") {
        Format::Tsv
    } else if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") || stem.ends_with(".json") {
        Format::Jsonl
    } else if stem.ends_with(".parquet") || stem.ends_with(".pq") {
        Format::Parquet
    } else {
        Format::Csv
    };
    (forced.unwrap_or(by_ext), gzip)
}

fn open_checked(path: &Path) -> Result<(File, u64), InputError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => InputError::file(path, "no such file"),
        io::ErrorKind::PermissionDenied => InputError::file(path, "permission denied"),
        _ => InputError::file(path, format!("cannot read: {e}")),
    })?;
    if meta.is_dir() {
        return Err(InputError::file(
            path,
            "is a directory; give the interaction files inside it (for example DIR/*.csv)",
        ));
    }
    let file = File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    Ok((file, meta.len()))
}

/// Load, validate and intern interaction files. Notes (chosen columns, merges) go to `ui`.
pub fn load(paths: &[PathBuf], options: &LoadOptions, ui: &Ui) -> Result<Interactions, InputError> {
    if paths.len() > MAX_FILES {
        return Err(InputError::file(
            &paths[MAX_FILES],
            format!("too many input files (at most {MAX_FILES})"),
        ));
    }
    let mut collector = Collector::new();
    for (index, path) in paths.iter().enumerate() {
        let (format, gzip) = detect_format(path, options.format);
        let (file, bytes) = open_checked(path)?;
        if bytes == 0 {
            return Err(InputError::file(path, "the file is empty"));
        }
        let rows_before = collector.likes.len();
        let bar = ui.byte_bar(bytes, &short_name(path));
        let sha256 = match format {
            Format::Parquet => {
                if gzip {
                    return Err(InputError::file(
                        path,
                        "gzip-compressed Parquet is not supported; Parquet compresses itself",
                    ));
                }
                drop(file);
                parquet::read(path, index, options, &mut collector)?;
                bar.set_position(bytes);
                sha256_file(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?
            }
            _ => {
                let mut hashing = HashingReader::new(bar.wrap_read(BufReader::with_capacity(1 << 20, file)));
                {
                    let reader: Box<dyn Read + '_> = if gzip {
                        Box::new(flate2::read::MultiGzDecoder::new(&mut hashing))
                    } else {
                        Box::new(&mut hashing)
                    };
                    match format {
                        Format::Jsonl => nested::read(path, index, reader, options, &mut collector)?,
                        _ => delimited::read(path, index, reader, format, options, &mut collector)?,
                    }
                }
                // Hash any bytes the parser did not need to read (e.g. after a gzip trailer).
                io::copy(&mut hashing, &mut io::sink())
                    .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
                let digest = hashing
                    .finish()
                    .map_err(|e| InputError::file(path, format!("cannot hash: {e}")))?;
                hex(&digest)
            }
        };
        bar.finish_and_clear();
        if let Some(report) = collector.report.files.last_mut() {
            report.format = format;
            report.gzip = gzip;
            report.sha256 = sha256;
            report.bytes = bytes;
            let c = &report.columns;
            ui.note(format!(
                "{}: {} rows; account={}, post={}, time={}, author={}",
                path.display(),
                report.rows,
                crate::text::quote_for_terminal(&c.account),
                crate::text::quote_for_terminal(&c.post),
                c.time
                    .as_deref()
                    .map(crate::text::quote_for_terminal)
                    .unwrap_or_else(|| "(none: logical time)".into()),
                c.author
                    .as_deref()
                    .map(crate::text::quote_for_terminal)
                    .unwrap_or_else(|| "(none)".into()),
            ));
            if let Some(f) = report.source_format {
                ui.note(format!(
                    "{}: recognised as {} (--from {}): a row is {}",
                    path.display(),
                    f.description(),
                    f.name(),
                    f.row_is()
                ));
            }
            if report.source_format.is_some() {
                for why in &report.column_reasons {
                    ui.note(format!("{}:   {why}", path.display()));
                }
            }
            if let Some(t) = &report.columns.text {
                ui.note(format!(
                    "{}: texts from {} ({} rows with a text): compared for near-duplicate comments",
                    path.display(),
                    crate::text::quote_for_terminal(t),
                    report.texts
                ));
            }
            if report.rows_skipped_format > 0 {
                ui.note(format!(
                    "{}: skipped {} records that are not what the format counts ({})",
                    path.display(),
                    report.rows_skipped_format,
                    report.source_format.map_or("filtered", |f| f.row_is())
                ));
            }
            if let Some(tf) = &report.time_format {
                ui.note(format!("{}: timestamps read as {tf}", path.display()));
            }
            if let Some(counts) = report.time_resolution.filter(|c| !c.all_fine()) {
                ui.note(format!(
                    "{}: time resolution of its rows: {}",
                    path.display(),
                    counts.listing()
                ));
            }
            if report.rows_skipped_empty > 0 {
                ui.warn(format!(
                    "{}: skipped {} rows with an empty account or post",
                    path.display(),
                    report.rows_skipped_empty
                ));
            }
        }
        if collector.likes.len() == rows_before && collector.report.files.last().is_some_and(|r| r.rows == 0)
        {
            return Err(InputError::file(path, "the file has a header but no data rows"));
        }
    }
    let mut interactions = ui.stage("merging duplicates", || collector.finish());
    interactions.report.column_warnings = sanity::check(&interactions, paths, options);
    for w in &interactions.report.column_warnings {
        ui.warn(w);
    }
    let r = &interactions.report;
    if interactions.clock == Clock::Logical {
        ui.note("no time column: using each post's row order as logical time (windows count positions)");
    }
    if r.naive_timestamps {
        ui.note("some timestamps had no time zone and were read as UTC");
    }
    if let Some(sentence) = r.time_resolution.sentence("row") {
        ui.note(sentence);
    }
    if r.duplicates_merged > 0 {
        ui.note(format!(
            "merged {} duplicate (account, post) rows, keeping the earliest like",
            r.duplicates_merged
        ));
    }
    if r.author_conflicts > 0 {
        ui.warn(format!(
            "{} rows gave a post a different author than its first row; the first author was kept",
            r.author_conflicts
        ));
    }
    if interactions.likes.is_empty() {
        let path = paths.first().cloned().unwrap_or_default();
        return Err(InputError::file(&path, "no usable interaction rows"));
    }
    Ok(interactions)
}

fn short_name(path: &Path) -> String {
    path.file_name()
        .map(|n| crate::text::truncate_chars(&n.to_string_lossy(), 18))
        .unwrap_or_default()
}

impl Interactions {
    /// Number of distinct accounts.
    pub fn n_accounts(&self) -> usize {
        self.accounts.len()
    }
    /// Number of distinct posts.
    pub fn n_posts(&self) -> usize {
        self.posts.len()
    }
}
