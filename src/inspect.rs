//! `lockstep inspect`: what is in an interaction data set, before any detection.

use crate::export::format_time;
use crate::graph::LikeGraph;
use crate::input::{Clock, LoadReport, ResolutionCounts};
use serde::Serialize;
use std::fmt::Write;

/// Degree distribution summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Percentiles {
    /// Smallest.
    pub min: u64,
    /// 50th percentile.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// Largest.
    pub max: u64,
    /// Mean.
    pub mean: f64,
}

/// A name with a count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ranked {
    /// Account, post or author name.
    pub name: String,
    /// Its likes.
    pub likes: u64,
}

/// How precisely the times are known (`docs/method.md`, "Time resolution").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeResolution {
    /// Rows of all files by resolution, before merging duplicates.
    pub rows: ResolutionCounts,
    /// Likes by resolution, after merging duplicates: what the analysis sees.
    pub likes: ResolutionCounts,
    /// The sentence saying what coarse rows mean, if there are any.
    pub note: Option<String>,
}

/// The summary printed by `inspect`.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// Per-file report (paths, hashes, chosen columns).
    pub inputs: LoadReport,
    /// Data rows read.
    pub rows: u64,
    /// Likes after merging duplicates.
    pub likes: u64,
    /// Distinct accounts.
    pub accounts: u64,
    /// Distinct posts.
    pub posts: u64,
    /// Distinct authors (0 without an author column).
    pub authors: u64,
    /// Duplicate rows merged.
    pub duplicates_merged: u64,
    /// "timestamps" or "logical".
    pub clock: Clock,
    /// First like (RFC 3339, or position).
    pub first: Option<String>,
    /// Last like.
    pub last: Option<String>,
    /// Rows and likes by time resolution; `null` in logical time.
    pub time_resolution: Option<TimeResolution>,
    /// Likes per account.
    pub account_likes: Percentiles,
    /// Likes per post.
    pub post_likes: Percentiles,
    /// Most active accounts.
    pub top_accounts: Vec<Ranked>,
    /// Most liked posts.
    pub top_posts: Vec<Ranked>,
    /// Most liked authors.
    pub top_authors: Vec<Ranked>,
}

fn percentiles(mut v: Vec<u64>) -> Percentiles {
    if v.is_empty() {
        return Percentiles {
            min: 0,
            p50: 0,
            p90: 0,
            p99: 0,
            max: 0,
            mean: 0.0,
        };
    }
    v.sort_unstable();
    // Nearest-rank percentile: the smallest value with at least q of the data at or below it.
    let at = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Percentiles {
        min: v[0],
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: v[v.len() - 1],
        mean: v.iter().sum::<u64>() as f64 / v.len() as f64,
    }
}

fn top(names: &[Box<str>], counts: &[u64], k: usize) -> Vec<Ranked> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    order
        .into_iter()
        .take(k)
        .map(|i| Ranked {
            name: names[i].to_string(),
            likes: counts[i],
        })
        .collect()
}

/// Summarise a loaded graph; `k` is the length of the top lists.
pub fn inspect(graph: &LikeGraph, report: &LoadReport, k: usize) -> Inspection {
    let account_counts: Vec<u64> = (0..graph.n_accounts() as u32)
        .map(|a| graph.account_degree(a) as u64)
        .collect();
    let post_counts: Vec<u64> = (0..graph.n_posts() as u32)
        .map(|p| graph.post_degree(p) as u64)
        .collect();
    let mut author_counts = vec![0u64; graph.authors.len()];
    for p in 0..graph.n_posts() as u32 {
        if let Some(a) = graph.author_of(p) {
            author_counts[a as usize] += graph.post_degree(p) as u64;
        }
    }
    let range = graph.time_range();
    Inspection {
        inputs: report.clone(),
        rows: report.rows,
        likes: graph.n_likes() as u64,
        accounts: graph.n_accounts() as u64,
        posts: graph.n_posts() as u64,
        authors: graph.authors.len() as u64,
        duplicates_merged: report.duplicates_merged,
        clock: graph.clock,
        first: range.map(|(a, _)| format_time(graph, a)),
        last: range.map(|(_, b)| format_time(graph, b)),
        time_resolution: (graph.clock == Clock::Timestamps).then(|| TimeResolution {
            rows: report.time_resolution,
            likes: graph.resolution_counts(),
            note: report.time_resolution.sentence("row"),
        }),
        top_accounts: top(&graph.accounts, &account_counts, k),
        top_posts: top(&graph.posts, &post_counts, k),
        top_authors: top(&graph.authors, &author_counts, k),
        account_likes: percentiles(account_counts),
        post_likes: percentiles(post_counts),
    }
}

impl Inspection {
    /// Human-readable report.
    pub fn to_text(&self) -> String {
        let q = |s: &str| crate::text::quote_for_terminal(s);
        let mut out = String::new();
        for f in &self.inputs.files {
            let _ = writeln!(
                out,
                "file        {}  ({} rows, sha256 {})",
                f.path.display(),
                f.rows,
                &f.sha256
            );
            if let Some(src) = f.source_format {
                let _ = writeln!(
                    out,
                    "              format: {} ({}): a row is {}",
                    src.name(),
                    src.description(),
                    src.row_is()
                );
            }
            let c = &f.columns;
            let mut roles = vec![
                format!("account={}", q(&c.account)),
                format!("post={}", q(&c.post)),
            ];
            roles.extend(c.time.as_deref().map(|t| format!("time={}", q(t))));
            roles.extend(c.author.as_deref().map(|t| format!("author={}", q(t))));
            roles.extend(c.text.as_deref().map(|t| format!("text={}", q(t))));
            let _ = writeln!(out, "              columns: {}", roles.join(", "));
            for why in &f.column_reasons {
                let _ = writeln!(out, "                {why}");
            }
            if f.rows_skipped_format > 0 {
                let _ = writeln!(
                    out,
                    "              {} records skipped: not what the format counts",
                    f.rows_skipped_format
                );
            }
            if f.texts > 0 {
                let _ = writeln!(out, "              {} rows with a text", f.texts);
            }
            if let Some(r) = &f.time_resolution {
                let _ = writeln!(out, "              time resolution: {}", r.listing());
            }
        }
        for w in &self.inputs.column_warnings {
            let _ = writeln!(out, "warning     {w}");
        }
        let _ = writeln!(out, "rows        {}", self.rows);
        let _ = writeln!(
            out,
            "likes       {}  ({} duplicate rows merged)",
            self.likes, self.duplicates_merged
        );
        let _ = writeln!(out, "accounts    {}", self.accounts);
        let _ = writeln!(out, "posts       {}", self.posts);
        let _ = writeln!(out, "authors     {}", self.authors);
        match self.clock {
            Clock::Timestamps => {
                let _ = writeln!(
                    out,
                    "time        {} .. {}",
                    self.first.as_deref().unwrap_or("-"),
                    self.last.as_deref().unwrap_or("-")
                );
            }
            Clock::Logical => {
                let _ = writeln!(out, "time        none (logical time: each post's row order)");
            }
        }
        if let Some(r) = &self.time_resolution {
            let _ = writeln!(out, "resolution  rows: {}", r.rows.listing());
            if !r.likes.all_fine() {
                let _ = writeln!(out, "            likes: {}", r.likes.listing());
            }
            if let Some(note) = &r.note {
                let _ = writeln!(out, "            {note}");
            }
        }
        for (label, p) in [
            ("likes/account", &self.account_likes),
            ("likes/post", &self.post_likes),
        ] {
            let _ = writeln!(
                out,
                "{label:<14} min {}  p50 {}  p90 {}  p99 {}  max {}  mean {:.2}",
                p.min, p.p50, p.p90, p.p99, p.max, p.mean
            );
        }
        for (label, list) in [
            ("top accounts", &self.top_accounts),
            ("top posts", &self.top_posts),
            ("top authors", &self.top_authors),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{label}:");
            for r in list {
                let _ = writeln!(out, "  {:>8}  {}", r.likes, q(&r.name));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let p = percentiles((1..=100).collect());
        assert_eq!((p.min, p.p50, p.p90, p.p99, p.max), (1, 50, 90, 99, 100));
        assert_eq!(p.mean, 50.5);
        let one = percentiles(vec![7]);
        assert_eq!((one.p50, one.p99), (7, 7));
    }
}
