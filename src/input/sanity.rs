//! Column sanity: warnings when the chosen columns cannot give the analysis anything, with the
//! columns that look likelier.
//!
//! - a post column on which almost every post has a single account (a row, message or comment
//!   id; CooRTweet's `post_id`, one account's post with one row per object): no two accounts
//!   share a post, so the projection has no pair;
//! - an account column whose accounts almost all act once: no account acts twice;
//! - an author column that varies within a post: it is probably the acting account (twarc-csv's
//!   `author_id` is the retweeter).
//!
//! The checks count accounts per post and posts per account after loading; the suggestions come from the first
//! [`SAMPLE_ROWS`] rows of a CSV file's other columns (columns whose values repeat, with id- or
//! URL-like names). A file read as a post export (each row its own post) is exempt from the
//! first check: only near-duplicate texts link its accounts.

use super::{Format, Interactions, LoadOptions, detect_format};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Rows of a CSV file sampled for suggestions.
pub const SAMPLE_ROWS: usize = 10_000;

/// A column cannot work when at least this share of its posts have a single account (of its
/// accounts act once): a few shared posts do not give an analysis. In a sample, a column whose
/// distinct values reach this share of its rows is no candidate for a suggestion.
pub const UNIQUE_SHARE: f64 = 0.95;

/// A suggested column has a value on at least one row in this many.
pub const SPARSE_SHARE: usize = 10;

/// Checks need at least this many rows to say anything.
pub const MIN_ROWS: usize = 20;

/// Words in a column name that suggest an id, a URL or a post.
const ID_WORDS: [&str; 12] = [
    "id", "url", "post", "object", "item", "video", "tweet", "link", "thread", "hash", "uri", "target",
];

/// Per column of a sample: rows with a value, distinct values.
struct ColumnSample {
    name: String,
    filled: usize,
    distinct: usize,
}

fn sample_csv(path: &Path, options: &LoadOptions) -> Option<Vec<ColumnSample>> {
    let (format, gzip) = detect_format(path, options.format);
    if !matches!(format, Format::Csv | Format::Tsv) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let reader: Box<dyn Read> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut head = std::io::BufReader::new(reader);
    let delimiter = options.delimiter.unwrap_or_else(|| {
        use std::io::BufRead;
        let line = head.fill_buf().ok().map(|b| b.to_vec()).unwrap_or_default();
        let first = line.split(|&b| b == b'\n').next().unwrap_or(&[]).to_vec();
        let count = |d: u8| first.iter().filter(|&&b| b == d).count();
        let default = if format == Format::Tsv { b'\t' } else { b',' };
        if count(default) > 0 {
            default
        } else {
            [b';', b'\t', b'|']
                .into_iter()
                .max_by_key(|&d| count(d))
                .unwrap_or(default)
        }
    });
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(head);
    let headers: Vec<String> = rdr
        .headers()
        .ok()?
        .iter()
        .map(|h| h.trim_start_matches('\u{FEFF}').to_string())
        .collect();
    let mut seen: Vec<HashSet<Vec<u8>>> = vec![HashSet::new(); headers.len()];
    let mut filled = vec![0usize; headers.len()];
    let mut record = csv::ByteRecord::new();
    for _ in 0..SAMPLE_ROWS {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            _ => break,
        }
        for (i, v) in record.iter().enumerate().take(headers.len()) {
            if !v.is_empty() {
                filled[i] += 1;
                seen[i].insert(v.to_vec());
            }
        }
    }
    Some(
        headers
            .into_iter()
            .zip(filled)
            .zip(seen)
            .map(|((name, filled), seen)| ColumnSample {
                name,
                filled,
                distinct: seen.len(),
            })
            .collect(),
    )
}

/// Columns of the sample whose values repeat and whose names look like ids or URLs, other
/// than `exclude`.
fn likely(sample: &[ColumnSample], exclude: &[&str]) -> Vec<String> {
    let rows = sample.iter().map(|c| c.filled).max().unwrap_or(0);
    sample
        .iter()
        .filter(|c| !exclude.contains(&c.name.as_str()))
        // A column of one kind of object may be filled on a few rows only (CooRTweet's
        // url_id, beside hashtag_id and domain_id): a tenth of the rows is enough.
        .filter(|c| c.filled * SPARSE_SHARE >= rows && c.distinct >= 2)
        .filter(|c| (c.distinct as f64) < UNIQUE_SHARE * c.filled as f64)
        .filter(|c| {
            let n = c.name.to_ascii_lowercase();
            ID_WORDS.iter().any(|w| {
                n.split(['_', '.', '-', ' '])
                    .any(|part| part == *w || part.ends_with(w))
            })
        })
        .map(|c| crate::text::quote_for_terminal(&c.name))
        .collect()
}

/// The warnings about the columns of a load, each with what to try instead.
pub fn check(interactions: &Interactions, paths: &[PathBuf], options: &LoadOptions) -> Vec<String> {
    let report = &interactions.report;
    let rows = (report.rows - report.rows_skipped_empty) as usize;
    if rows < MIN_ROWS || report.files.is_empty() {
        return Vec::new();
    }
    let first = &report.files[0];
    let c = &first.columns;
    let q = crate::text::quote_for_terminal;
    let post_export = report
        .files
        .iter()
        .all(|f| f.source_format.is_some_and(|s| s.rows_are_posts()));
    let sample = || paths.first().and_then(|p| sample_csv(p, options));
    let suggest = |list: Vec<String>, flag: &str| {
        if list.is_empty() {
            String::new()
        } else {
            format!(
                " Columns whose values repeat: {}; try --{flag} with one of them.",
                list.join(", ")
            )
        }
    };
    let mut out = Vec::new();
    // Accounts per post and posts per account, after merging repeated (account, post) rows.
    let mut per_post = vec![0u32; interactions.posts.len()];
    let mut per_account = vec![0u32; interactions.accounts.len()];
    for l in &interactions.likes {
        per_post[l.post as usize] += 1;
        per_account[l.account as usize] += 1;
    }
    let posts = per_post.iter().filter(|&&n| n > 0).count();
    let lonely_posts = per_post.iter().filter(|&&n| n == 1).count();
    if !post_export && posts >= MIN_ROWS && lonely_posts as f64 >= UNIQUE_SHARE * posts as f64 {
        let exclude = [c.account.as_str(), c.post.as_str()];
        let hint = sample().map(|s| likely(&s, &exclude)).unwrap_or_default();
        out.push(format!(
            "the post column {} has a single account on {} of its {} posts: almost no two accounts share a post, so the co-activity analysis can find (almost) no pairs. Is it a row, message or comment id rather than the post acted on?{}",
            q(&c.post),
            lonely_posts,
            posts,
            suggest(hint, "post-col")
        ));
    }
    let accounts = per_account.iter().filter(|&&n| n > 0).count();
    let lonely_accounts = per_account.iter().filter(|&&n| n == 1).count();
    if accounts >= MIN_ROWS && lonely_accounts as f64 >= UNIQUE_SHARE * accounts as f64 {
        let exclude = [c.account.as_str(), c.post.as_str()];
        let hint = sample().map(|s| likely(&s, &exclude)).unwrap_or_default();
        out.push(format!(
            "the account column {} acts only once for {} of its {} accounts: almost no account acts twice, so no two accounts can be seen acting together. Is it a row id rather than who acted?{}",
            q(&c.account),
            lonely_accounts,
            accounts,
            suggest(hint, "account-col")
        ));
    }
    if report.posts_with_author_conflicts > 0 {
        let author = c.author.as_deref().unwrap_or("");
        let share = report.posts_with_author_conflicts as f64 / posts.max(1) as f64;
        out.push(format!(
            "the author column {} varies within a post on {} posts ({}): a post has one author, so this column probably holds who acted (twarc-csv's author_id is the retweeter, 4CAT's author the commenter). The first author of each post was kept; name the post's author with --author-col, or read none with --no-author.",
            q(author),
            report.posts_with_author_conflicts,
            crate::text::percent(share, 1)
        ));
    }
    out
}
