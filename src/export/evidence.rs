//! Evidence a newsroom can publish: for each flagged cluster, the exact like rows that make it
//! (with the input file and line each came from) and its *n × m × 2Δt block statement*.
//!
//! Files, under `DIR/evidence/` (documented in `docs/outputs.md`):
//!
//! - `cluster-<id>.csv`: one row per like by a member on a block post;
//! - `cluster-<id>.txt`: the block statement, the type and its reasons, the per-post bursts,
//!   the members, and the inputs with their SHA-256, in plain words;
//! - `blocks.csv`: one row per flagged cluster with its block statement.
//!
//! ## The block statement
//!
//! CopyCatch (Beutel et al., WWW 2013) describes lockstep behaviour as a block of *n* accounts
//! and *m* posts where, on each post, the accounts acted within 2Δt of each other. Here Δt is
//! half the primary co-like window W, so 2Δt = W: likes that fall in one 2Δt window are
//! pairwise co-likes in the sense of `docs/method.md`. For each block post the **burst** is the
//! window [c_p − Δt, c_p + Δt] holding the most members' likes (found by a two-pointer sweep
//! over the post's sorted like times; on ties the earliest). The statement gives
//!
//! - the fewest members inside a post's burst, over all block posts (and its share of n), and
//! - the coverage ρ = (members' likes inside their post's burst) / (n × m).
//!
//! [`block_statement`] is self-contained so that a dedicated temporal-block detector can
//! replace it later without touching the writers.

use super::table::{Table, write_table};
use super::{ExportError, Results, TableFormat, format_time};
use crate::colike::Window;
use crate::detect::Cluster;
use crate::graph::LikeGraph;
use crate::input::Clock;
use std::fmt::Write as _;
use std::path::Path;

/// Folder (relative to the output directory) that holds the evidence files.
pub const EVIDENCE_DIR: &str = "evidence";

/// The wording every evidence file and the report carry.
pub const CAUTION: &str = "A flagged cluster shows coordinated behaviour: these accounts acted on the same posts within a short time of each other far more often than chance predicts. It is not proof of who paid for it, who runs the accounts, or that the authors of the posts knew. Read the rows, the timing and the expected-versus-observed co-likes before publishing.";

/// The burst of one block post: the 2Δt window holding the most members' likes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBurst {
    /// Post id.
    pub post: u32,
    /// Members who liked the post (at any time).
    pub likers: usize,
    /// Members whose like falls inside the burst.
    pub in_burst: usize,
    /// Time of the first like inside the burst.
    pub start: i64,
    /// Time of the last like inside the burst.
    pub end: i64,
}

impl PostBurst {
    /// True if a member's like at time `t` lies inside this burst.
    pub fn contains(&self, t: i64) -> bool {
        self.in_burst > 0 && self.start <= t && t <= self.end
    }
}

/// A cluster described as an n accounts × m posts × 2Δt block.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockStatement {
    /// n: member accounts.
    pub accounts: usize,
    /// m: block posts.
    pub posts: usize,
    /// 2Δt: the width of a burst (the primary co-like window).
    pub window: Window,
    /// One burst per block post, in the order of the posts given.
    pub bursts: Vec<PostBurst>,
    /// Members' likes inside their post's burst, summed over the block posts.
    pub in_burst: usize,
    /// The fewest members inside one post's burst.
    pub min_in_burst: usize,
    /// min_in_burst / n.
    pub min_share: f64,
    /// Coverage ρ = in_burst / (n × m).
    pub coverage: f64,
    /// The longest burst (last − first like inside it), in clock units.
    pub widest: i64,
}

/// Find, for each block post, the 2Δt window holding the most members' likes, and summarise.
///
/// `members` must be sorted ascending (as in [`Cluster::members`]). `window` is 2Δt.
pub fn block_statement(g: &LikeGraph, members: &[u32], posts: &[u32], window: Window) -> BlockStatement {
    let mut bursts = Vec::with_capacity(posts.len());
    let mut times: Vec<i64> = Vec::new();
    for &p in posts {
        times.clear();
        for (&a, &t) in g.likers(p).iter().zip(g.times(p)) {
            if members.binary_search(&a).is_ok() {
                times.push(t);
            }
        }
        // times are ascending (a post's likes are stored in time order).
        let (mut best, mut best_i, mut best_j) = (0usize, 0usize, 0usize);
        let mut i = 0;
        for j in 0..times.len() {
            while !window.contains(times[j] - times[i]) {
                i += 1;
            }
            if j + 1 - i > best {
                (best, best_i, best_j) = (j + 1 - i, i, j);
            }
        }
        bursts.push(PostBurst {
            post: p,
            likers: times.len(),
            in_burst: best,
            start: times.get(best_i).copied().unwrap_or(0),
            end: times.get(best_j).copied().unwrap_or(0),
        });
    }
    let n = members.len();
    let in_burst: usize = bursts.iter().map(|b| b.in_burst).sum();
    let min_in_burst = bursts.iter().map(|b| b.in_burst).min().unwrap_or(0);
    let cells = n * posts.len();
    BlockStatement {
        accounts: n,
        posts: posts.len(),
        window,
        in_burst,
        min_in_burst,
        min_share: if n == 0 {
            0.0
        } else {
            min_in_burst as f64 / n as f64
        },
        coverage: if cells == 0 {
            0.0
        } else {
            in_burst as f64 / cells as f64
        },
        widest: bursts
            .iter()
            .filter(|b| b.in_burst > 0)
            .map(|b| b.end - b.start)
            .max()
            .unwrap_or(0),
        bursts,
    }
}

/// A duration in clock units as words: `30 s`, `10 min`, `1 h 30 min`, `2 d`; positions in
/// logical time.
pub fn format_duration(clock: Clock, units: i64) -> String {
    if clock == Clock::Logical {
        return if units == 1 {
            "1 position".into()
        } else {
            format!("{units} positions")
        };
    }
    let ms = units.unsigned_abs();
    if ms == 0 {
        return "0 s".into();
    }
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 && !ms.is_multiple_of(1000) {
        return format!("{:.1} s", ms as f64 / 1000.0);
    }
    let s = ms / 1000;
    let parts = [
        (s / 86_400, "d"),
        (s % 86_400 / 3600, "h"),
        (s % 3600 / 60, "min"),
        (s % 60, "s"),
    ];
    let first = parts.iter().position(|(v, _)| *v > 0).unwrap_or(3);
    parts[first..]
        .iter()
        .take(2)
        .filter(|(v, _)| *v > 0)
        .map(|(v, u)| format!("{v} {u}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The width 2Δt as words.
pub fn format_window(clock: Clock, window: Window) -> String {
    match window {
        Window::Infinite => "unlimited".into(),
        Window::Span(w) => format_duration(clock, w),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

impl BlockStatement {
    /// The statement in one paragraph, e.g. "4 accounts × 6 posts, 2Δt = 1 h: on every one of
    /// these posts at least 4 of the 4 accounts (100 %) liked within 1 h of each other …".
    pub fn text(&self, clock: Clock) -> String {
        let n = self.accounts;
        let m = self.posts;
        let plural = |k: usize, one: &str, many: &str| {
            if k == 1 {
                format!("{k} {one}")
            } else {
                format!("{k} {many}")
            }
        };
        let head = format!(
            "{} × {}, 2Δt = {}",
            plural(n, "account", "accounts"),
            plural(m, "post", "posts"),
            format_window(clock, self.window)
        );
        if m == 0 {
            return format!("{head}: the cluster has no block posts.");
        }
        let within = match self.window {
            Window::Infinite => "(at any time; the co-like window is unlimited)".to_string(),
            Window::Span(w) => format!("within {} of each other", format_duration(clock, w)),
        };
        let every = if m == 1 {
            "on this post".to_string()
        } else {
            format!("on every one of these {m} posts")
        };
        format!(
            "{head}: {every} at least {} of the {n} accounts ({}) liked {within}; {} of the {} account × post cells are such likes (coverage ρ = {:.2}). The longest of these bursts lasted {}.",
            self.min_in_burst,
            percent(self.min_share),
            self.in_burst,
            n * m,
            self.coverage,
            format_duration(clock, self.widest)
        )
    }
}

/// The primary window of a run, resolved against the data's clock (unlimited if it cannot be).
pub fn primary_window(r: &Results<'_>) -> Window {
    r.windows
        .first()
        .and_then(|w| w.resolve(r.graph.clock).ok())
        .unwrap_or(Window::Infinite)
}

/// The cluster's block statement, with its posts in burst order (earliest burst first).
pub fn cluster_block(r: &Results<'_>, c: &Cluster) -> BlockStatement {
    let mut s = block_statement(r.graph, &c.members, &c.posts, primary_window(r));
    s.bursts.sort_by_key(|b| (b.in_burst == 0, b.start, b.post));
    s
}

/// The like ids that make a cluster: every like by a member on a block post, ordered as the
/// statement's bursts (earliest burst first), then by time and account.
pub fn cluster_likes(g: &LikeGraph, c: &Cluster, block: &BlockStatement) -> Vec<u32> {
    let mut ids = Vec::new();
    for b in &block.bursts {
        for id in g.post_range(b.post) {
            let id = id as u32;
            if c.members.binary_search(&g.like_account(id)).is_ok() {
                ids.push(id);
            }
        }
    }
    ids
}

/// Input file paths as cited in the evidence, from the manifest JSON (`inputs.files[i].path`).
pub fn source_names(run: &serde_json::Value) -> Vec<String> {
    run["inputs"]["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .map(|f| f["path"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn source_name(sources: &[String], i: usize) -> String {
    match sources.get(i) {
        Some(s) if !s.is_empty() => s.clone(),
        _ => format!("input #{}", i + 1),
    }
}

/// File name (relative to the output directory) of a cluster's evidence rows.
pub fn rows_file(id: u32) -> String {
    format!("{EVIDENCE_DIR}/cluster-{id}.csv")
}

/// File name (relative to the output directory) of a cluster's statement in words.
pub fn text_file(id: u32) -> String {
    format!("{EVIDENCE_DIR}/cluster-{id}.txt")
}

/// The evidence rows of one cluster as a table.
pub fn evidence_table(r: &Results<'_>, c: &Cluster, block: &BlockStatement, sources: &[String]) -> Table {
    let g = r.graph;
    let ids = cluster_likes(g, c, block);
    let likes: Vec<_> = ids.iter().map(|&id| g.like(id)).collect();
    let burst_of = |p: u32| block.bursts.iter().find(|b| b.post == p);
    let mut t = Table::default();
    t.int("cluster_id", vec![Some(c.id as i64); likes.len()])
        .text(
            "account",
            likes
                .iter()
                .map(|l| Some(g.accounts[l.account as usize].to_string()))
                .collect(),
        )
        .text(
            "post",
            likes
                .iter()
                .map(|l| Some(g.posts[l.post as usize].to_string()))
                .collect(),
        )
        .text(
            "author",
            likes
                .iter()
                .map(|l| g.author_of(l.post).map(|a| g.authors[a as usize].to_string()))
                .collect(),
        )
        .text(
            "time",
            likes.iter().map(|l| Some(format_time(g, l.time))).collect(),
        )
        .float(
            "delay_after_first_like",
            likes
                .iter()
                .map(|l| {
                    g.post_first_time(l.post)
                        .map(|first| super::seconds(g, (l.time - first) as f64))
                })
                .collect(),
        )
        .bool(
            "in_burst",
            likes
                .iter()
                .map(|l| burst_of(l.post).is_some_and(|b| b.contains(l.time)))
                .collect(),
        )
        .text(
            "source_file",
            likes
                .iter()
                .map(|l| Some(source_name(sources, l.origin.file())))
                .collect(),
        )
        .int(
            "source_line",
            likes.iter().map(|l| Some(l.origin.line() as i64)).collect(),
        );
    t
}

/// Replace control characters so that a name cannot break the layout of a text file.
fn plain(s: &str) -> String {
    s.chars()
        .map(|ch| if ch.is_control() { '\u{FFFD}' } else { ch })
        .collect()
}

/// The statement file of one cluster, in plain words.
pub fn statement_text(
    r: &Results<'_>,
    c: &Cluster,
    block: &BlockStatement,
    run: &serde_json::Value,
) -> String {
    let g = r.graph;
    let unit = if g.clock == Clock::Timestamps {
        "seconds"
    } else {
        "positions"
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "lockstep evidence: cluster {} ({}, {}, confidence {:.2})",
        c.id,
        c.kind.as_str(),
        if c.flagged {
            "flagged as coordinated"
        } else {
            "not flagged"
        },
        c.confidence
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "BLOCK: {}", block.text(g.clock));
    let _ = writeln!(s);
    let _ = writeln!(s, "READ THIS FIRST: {CAUTION}");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Chance baseline: the {} significant pairs inside the cluster share {} posts within the co-like window; the null model (independent accounts keeping their activity, posts keeping their popularity and timing) expects {:.3}.",
        c.features.internal_edges, c.features.colikes, c.features.expected_colikes
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Why this type:");
    for reason in &c.reasons {
        let _ = writeln!(s, "- {}", plain(reason));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Posts (burst = the 2Δt window holding the most of these accounts' likes on the post):"
    );
    for b in &block.bursts {
        let author = g
            .author_of(b.post)
            .map(|a| format!(" by {}", plain(&g.authors[a as usize])))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "- {}{}: {} of {} accounts liked it, {} inside the burst from {} to {}",
            plain(&g.posts[b.post as usize]),
            author,
            b.likers,
            block.accounts,
            b.in_burst,
            format_time(g, b.start),
            format_time(g, b.end)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Accounts ({}):", c.members.len());
    for &a in &c.members {
        let _ = writeln!(s, "- {}", plain(&g.accounts[a as usize]));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Rows: cluster-{}.csv has one row per like by these accounts on these posts: cluster_id, account, post, author, time (RFC 3339 UTC, or the position in the post's like order without a time column), delay_after_first_like (in {unit}, after the post's first like by anyone: a proxy for publication), in_burst (inside the post's burst), source_file and source_line (the 1-based line of the input file the like was read from, the header being line 1; the row for Parquet). Repeated likes of a post by the same account were merged keeping the earliest, which is the line cited.",
        c.id
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Inputs:");
    if let Some(files) = run["inputs"]["files"].as_array() {
        for f in files {
            let _ = writeln!(
                s,
                "- {} (SHA-256 {}, {} rows)",
                plain(f["path"].as_str().unwrap_or("?")),
                f["sha256"].as_str().unwrap_or("?"),
                f["rows"]
            );
        }
    }
    let _ = writeln!(
        s,
        "Written by {} {}; method: docs/method.md of lockstep.",
        run["tool"].as_str().unwrap_or("lockstep"),
        run["version"].as_str().unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    s
}

fn blocks_table(r: &Results<'_>, rows: &[(&Cluster, BlockStatement)]) -> Table {
    let g = r.graph;
    let window = primary_window(r);
    let mut t = Table::default();
    t.int(
        "cluster_id",
        rows.iter().map(|(c, _)| Some(c.id as i64)).collect(),
    )
    .text(
        "type",
        rows.iter()
            .map(|(c, _)| Some(c.kind.as_str().to_string()))
            .collect(),
    )
    .int(
        "accounts",
        rows.iter().map(|(_, b)| Some(b.accounts as i64)).collect(),
    )
    .int("posts", rows.iter().map(|(_, b)| Some(b.posts as i64)).collect())
    .float(
        "window",
        rows.iter()
            .map(|_| match window {
                Window::Span(w) => Some(super::seconds(g, w as f64)),
                Window::Infinite => None,
            })
            .collect(),
    )
    .int(
        "min_in_burst",
        rows.iter().map(|(_, b)| Some(b.min_in_burst as i64)).collect(),
    )
    .float("min_share", rows.iter().map(|(_, b)| Some(b.min_share)).collect())
    .int(
        "in_burst",
        rows.iter().map(|(_, b)| Some(b.in_burst as i64)).collect(),
    )
    .float("coverage", rows.iter().map(|(_, b)| Some(b.coverage)).collect())
    .float(
        "longest_burst",
        rows.iter()
            .map(|(_, b)| Some(super::seconds(g, b.widest as f64)))
            .collect(),
    )
    .text(
        "statement",
        rows.iter().map(|(_, b)| Some(b.text(g.clock))).collect(),
    )
    .text(
        "rows_file",
        rows.iter().map(|(c, _)| Some(rows_file(c.id))).collect(),
    );
    t
}

/// Write `DIR/evidence/cluster-<id>.csv` and `cluster-<id>.txt` for each flagged cluster and
/// `DIR/evidence/blocks.csv`; returns the file names written (relative to `dir`).
///
/// `run` is the manifest JSON (at least `inputs.files[].path`, `sha256`, `rows`): the rows
/// cite the input files by the paths it holds. Nothing is written when no cluster is flagged.
pub fn write_evidence(
    dir: &Path,
    r: &Results<'_>,
    run: &serde_json::Value,
    escape_formulas: bool,
) -> Result<Vec<String>, ExportError> {
    let flagged: Vec<&Cluster> = r.detection.clusters.iter().filter(|c| c.flagged).collect();
    if flagged.is_empty() {
        return Ok(Vec::new());
    }
    let folder = dir.join(EVIDENCE_DIR);
    std::fs::create_dir_all(&folder).map_err(|source| ExportError::Io {
        file: EVIDENCE_DIR.into(),
        source,
    })?;
    let sources = source_names(run);
    let mut written = Vec::new();
    let mut blocks = Vec::with_capacity(flagged.len());
    for c in flagged {
        let block = cluster_block(r, c);
        let file = rows_file(c.id);
        let table = evidence_table(r, c, &block, &sources);
        write_table(&dir.join(&file), TableFormat::Csv, &table, escape_formulas).map_err(|source| {
            ExportError::Table {
                file: file.clone(),
                source,
            }
        })?;
        written.push(file);
        let file = text_file(c.id);
        std::fs::write(dir.join(&file), statement_text(r, c, &block, run)).map_err(|source| {
            ExportError::Io {
                file: file.clone(),
                source,
            }
        })?;
        written.push(file);
        blocks.push((c, block));
    }
    let file = format!("{EVIDENCE_DIR}/blocks.csv");
    write_table(
        &dir.join(&file),
        TableFormat::Csv,
        &blocks_table(r, &blocks),
        escape_formulas,
    )
    .map_err(|source| ExportError::Table {
        file: file.clone(),
        source,
    })?;
    written.push(file);
    Ok(written)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::colike::{PairRecord, WindowSpec};
    use crate::detect::Detection;
    use crate::score::Scores;

    /// The CLI tests' hand-made farm (tests/cli/common.rs): b1..b4 like p1..p6 10 s apart
    /// (input lines 2..25), o0..o7 like scattered posts hours apart. `bot` renames b1.
    pub(crate) fn farm_csv(bot: &str) -> String {
        let mut rows = vec!["account,post,time,author".to_string()];
        for (k, post) in ["p1", "p2", "p3", "p4", "p5", "p6"].iter().enumerate() {
            for (j, b) in [bot, "b2", "b3", "b4"].iter().enumerate() {
                let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
                rows.push(format!("\"{}\",{post},{t},author{k}", b.replace('"', "\"\"")));
            }
        }
        for a in 0..8 {
            for k in 0..6 {
                let post = (a * 7 + k * 5) % 30;
                let t = 1_700_000_000 + (a * 13 + k * 29) as i64 * 3_600 + a as i64 * 61;
                rows.push(format!("o{a},q{post},{t},author{}", 10 + post % 9));
            }
        }
        rows.join("\n") + "\n"
    }

    /// A whole detect run on an in-memory CSV, as src/run.rs does it.
    pub(crate) struct Fixture {
        pub dir: tempfile::TempDir,
        pub graph: LikeGraph,
        pub windows: Vec<WindowSpec>,
        pub significant: Vec<(PairRecord, f64)>,
        pub detection: Detection,
        pub scores: Scores,
        pub run: serde_json::Value,
    }

    impl Fixture {
        pub(crate) fn new(csv: &str) -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("likes.csv");
            std::fs::write(&input, csv).unwrap();
            let ui = crate::ui::Ui::silent();
            let loaded = crate::input::load(&[input], &crate::input::LoadOptions::default(), &ui).unwrap();
            let report = loaded.report.clone();
            let graph = LikeGraph::build(loaded).unwrap();
            let params = crate::colike::ColikeParams::default();
            let projection = crate::colike::project(&graph, &params, &ui).unwrap();
            let significant = projection.significant().unwrap();
            let detection = crate::detect::detect(
                &graph,
                &significant,
                projection.windows[0],
                &crate::detect::DetectParams::default(),
                &ui,
            );
            let scores = crate::score::score(&graph, &detection, &significant);
            let run = serde_json::json!({
                "tool": "lockstep",
                "version": env!("CARGO_PKG_VERSION"),
                "inputs": report,
                "parameters": {"colike": params},
                "counts": {"likes": graph.n_likes()},
            });
            let out = dir.path().join("out");
            std::fs::create_dir(&out).unwrap();
            Fixture {
                dir,
                graph,
                windows: params.windows.clone(),
                significant,
                detection,
                scores,
                run,
            }
        }

        pub(crate) fn results(&self) -> Results<'_> {
            Results {
                graph: &self.graph,
                windows: &self.windows,
                significant: &self.significant,
                detection: &self.detection,
                scores: &self.scores,
            }
        }

        pub(crate) fn out(&self) -> std::path::PathBuf {
            self.dir.path().join("out")
        }
    }

    #[test]
    fn farm_evidence_holds_the_exact_rows_and_the_block_statement() {
        let f = Fixture::new(&farm_csv("b1"));
        let out = f.out();
        let files = write_evidence(&out, &f.results(), &f.run, true).unwrap();
        assert_eq!(
            files,
            vec![
                "evidence/cluster-1.csv",
                "evidence/cluster-1.txt",
                "evidence/blocks.csv"
            ]
        );
        let input = f.dir.path().join("likes.csv");
        let source = input.display().to_string();
        let mut rdr = csv::Reader::from_path(out.join("evidence/cluster-1.csv")).unwrap();
        assert_eq!(
            rdr.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "cluster_id",
                "account",
                "post",
                "author",
                "time",
                "delay_after_first_like",
                "in_burst",
                "source_file",
                "source_line"
            ]
        );
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 24);
        // Each row is the input line it cites: same account, post, time and author.
        let lines: Vec<String> = std::fs::read_to_string(&input)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let (k, j) = (i / 4, i % 4);
            assert_eq!(&row[0], "1");
            assert_eq!(&row[1], format!("b{}", j + 1));
            assert_eq!(&row[2], format!("p{}", k + 1));
            assert_eq!(&row[3], format!("author{k}"));
            let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
            assert_eq!(&row[4], crate::input::time::format_ms(t * 1000));
            assert_eq!(&row[5], format!("{}.0", j * 10));
            assert_eq!(&row[6], "true");
            assert_eq!(&row[7], source);
            let line: usize = row[8].parse().unwrap();
            assert_eq!(line, i + 2);
            assert_eq!(
                lines[line - 1],
                format!("\"b{}\",p{},{t},author{k}", j + 1, k + 1)
            );
        }
        let text = std::fs::read_to_string(out.join("evidence/cluster-1.txt")).unwrap();
        assert!(text.contains(
            "BLOCK: 4 accounts × 6 posts, 2Δt = 1 h: on every one of these 6 posts at least 4 of the 4 accounts (100 %) liked within 1 h of each other; 24 of the 24 account × post cells are such likes (coverage ρ = 1.00). The longest of these bursts lasted 30 s."
        ), "{text}");
        assert!(text.contains("not proof of who paid"));
        assert!(text.contains("- p1 by author0: 4 of 4 accounts liked it, 4 inside the burst from 2023-11-14T22:13:20Z to 2023-11-14T22:13:50Z"), "{text}");
        assert!(text.contains(&format!(
            "SHA-256 {}",
            f.run["inputs"]["files"][0]["sha256"].as_str().unwrap()
        )));
        let blocks = std::fs::read_to_string(out.join("evidence/blocks.csv")).unwrap();
        assert!(blocks.starts_with("cluster_id,type,accounts,posts,window,min_in_burst,min_share,in_burst,coverage,longest_burst,statement,rows_file\n1,bot_farm,4,6,3600.0,4,1.0,24,1.0,30.0,"), "{blocks}");
    }

    #[test]
    fn no_flagged_cluster_writes_nothing() {
        let f = Fixture::new("account,post,time\na,p,1\nb,p,2\n");
        assert!(
            write_evidence(&f.out(), &f.results(), &f.run, true)
                .unwrap()
                .is_empty()
        );
        assert!(!f.out().join(EVIDENCE_DIR).exists());
    }

    fn graph(likes: &[(u32, u32, i64)], n_accounts: usize, n_posts: usize) -> LikeGraph {
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, likes)
    }

    #[test]
    fn bursts_take_the_densest_window() {
        // Post 0: members 0..3 at 0, 10, 20 s and member 3 an hour later; post 1: all four
        // within 5 s; account 4 (not a member) in the middle of post 0's burst.
        let g = graph(
            &[
                (0, 0, 0),
                (1, 0, 10_000),
                (4, 0, 12_000),
                (2, 0, 20_000),
                (3, 0, 3_600_000),
                (0, 1, 100_000),
                (1, 1, 101_000),
                (2, 1, 102_000),
                (3, 1, 105_000),
            ],
            5,
            2,
        );
        let s = block_statement(&g, &[0, 1, 2, 3], &[0, 1], Window::Span(60_000));
        assert_eq!(
            s.bursts[0],
            PostBurst {
                post: 0,
                likers: 4,
                in_burst: 3,
                start: 0,
                end: 20_000
            }
        );
        assert_eq!(s.bursts[1].in_burst, 4);
        assert_eq!((s.bursts[1].start, s.bursts[1].end), (100_000, 105_000));
        assert_eq!((s.in_burst, s.min_in_burst), (7, 3));
        assert_eq!(s.coverage, 7.0 / 8.0);
        assert_eq!(s.min_share, 0.75);
        assert_eq!(s.widest, 20_000);
        assert_eq!(
            s.text(Clock::Timestamps),
            "4 accounts × 2 posts, 2Δt = 1 min: on every one of these 2 posts at least 3 of the 4 accounts (75 %) liked within 1 min of each other; 7 of the 8 account × post cells are such likes (coverage ρ = 0.88). The longest of these bursts lasted 20 s."
        );
        // An unlimited window puts every member's like in the burst.
        let all = block_statement(&g, &[0, 1, 2, 3], &[0, 1], Window::Infinite);
        assert_eq!((all.in_burst, all.coverage), (8, 1.0));
        assert!(all.text(Clock::Timestamps).contains("(at any time"));
    }

    #[test]
    fn durations_read_naturally() {
        let d = |ms| format_duration(Clock::Timestamps, ms);
        assert_eq!(d(0), "0 s");
        assert_eq!(d(250), "250 ms");
        assert_eq!(d(1_500), "1.5 s");
        assert_eq!(d(30_000), "30 s");
        assert_eq!(d(600_000), "10 min");
        assert_eq!(d(3_600_000), "1 h");
        assert_eq!(d(5_400_000), "1 h 30 min");
        assert_eq!(d(86_400_000 + 1000), "1 d");
        assert_eq!(d(2 * 86_400_000 + 3_600_000), "2 d 1 h");
        assert_eq!(format_duration(Clock::Logical, 5), "5 positions");
        let w: WindowSpec = "10m".parse().unwrap();
        assert_eq!(
            format_window(Clock::Timestamps, w.resolve(Clock::Timestamps).unwrap()),
            "10 min"
        );
    }
}
