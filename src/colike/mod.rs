//! Stage 3 — the co-like projection: from the liker–post graph to the account–account graph.
//!
//! For accounts a ≠ b and a window W, `colikes_W(a, b)` is the number of distinct posts both
//! liked with |t(a,p) − t(b,p)| ≤ W (t is the earliest like; W = ∞ means no window; in logical
//! time W counts positions). Several windows are counted in one pass. Every reported pair also
//! gets popularity-weighted (IDF) similarity, Jaccard, cosine, overlap, who-liked-first counts,
//! the median |Δt|, the expected count under a null model and a p-value, and BH q-values over
//! all tested pairs (see [`null`]).
//!
//! The sweep is exact (no time bins): for each account a, for each of its likes, the likers of
//! the same post within the widest window are one contiguous slice (found by galloping from
//! the like itself); partners b > a are counted in a per-thread dense accumulator, so memory
//! grows with accounts × threads, never with pairs. Finished pairs are spilled to a temporary file in account order, so the result is
//! byte-identical for any thread count.

pub mod index;
pub mod null;
pub mod partial;
mod spill;
mod sweep;
pub mod window;

pub use index::PairIndex;
pub use null::NullModel;
pub use spill::PairReader;
pub use sweep::{PartialPair, pack_dt, unpack_dt};
pub use window::{Window, WindowSpec};

use crate::graph::LikeGraph;
use crate::ui::Ui;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// The most windows one run can count.
pub const MAX_WINDOWS: usize = 8;

/// Parameters of the projection (in the tree: `colike`; the false discovery rate is the
/// run's, [`crate::params::Params::fdr`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColikeParams {
    /// Windows as given; every pair is tested at each, its p-value the best window's times the
    /// number of windows (Bonferroni).
    pub windows: Vec<WindowSpec>,
    /// Report pairs with at least this many co-likes in the widest window: a single shared
    /// post is what any two accounts of a large audience have.
    pub min_colikes: u32,
    /// A like's co-likes at a window are counted only when at most this many likes of its post
    /// fall within that window of it (narrower windows still count; 0 = no limit): two accounts
    /// meeting among 2 000 others in the same hour is what strangers do (idf ≤ ln(N/2000)), and
    /// the work grows with the square of the slice.
    pub max_post_likers: usize,
    /// Pairs are reported (and kept for detection) when their p-value, adjusted for the number
    /// of windows, is at most this: larger p-values can never be significant at the FDRs people
    /// use, and the Benjamini–Hochberg q-values below it are exact (the unreported pairs enter
    /// as p = 1). 1 reports every pair with `min_colikes`.
    pub report_pvalue: f64,
    /// The timescale used where the run needs one before a cluster has its own (burst search
    /// of groups pairwise co-likes miss): an hour holds an order delivered at once.
    pub reference_window: WindowSpec,
    /// The windows used instead of the default ones when the data has no time column
    /// (positions in each post's like order): neighbours, a batch, the whole post — bought
    /// followers arrive as a run of consecutive positions.
    pub logical_windows: Vec<WindowSpec>,
}

impl Default for ColikeParams {
    fn default() -> Self {
        use crate::clock::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};
        ColikeParams {
            windows: vec![
                WindowSpec::Duration(MS_PER_MINUTE),
                WindowSpec::Duration(10 * MS_PER_MINUTE),
                WindowSpec::Duration(MS_PER_HOUR),
                WindowSpec::Duration(6 * MS_PER_HOUR),
                WindowSpec::Duration(MS_PER_DAY),
            ],
            min_colikes: 3,
            max_post_likers: 2_000,
            report_pvalue: 0.05,
            reference_window: WindowSpec::Duration(MS_PER_HOUR),
            logical_windows: vec![WindowSpec::Bare(10), WindowSpec::Bare(100), WindowSpec::Infinite],
        }
    }
}

/// A tested pair with its Benjamini–Hochberg q-value (the significant ones have q ≤ fdr).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestedPair {
    /// The pair.
    pub record: PairRecord,
    /// Its Benjamini–Hochberg q-value.
    pub q: f64,
}

/// One reported account pair (a < b by id). Counts are per window, in the order given; the
/// other measures are read at the pair's *best window*, where its p-value is smallest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRecord {
    /// Smaller account id.
    pub a: u32,
    /// Larger account id.
    pub b: u32,
    /// Co-likes per window (only the first `n_windows` entries are meaningful).
    pub counts: [u32; MAX_WINDOWS],
    /// Σ idf(p) over the posts co-liked within the best window, idf(p) = ln(N / d_p).
    pub idf: f64,
    /// Best-window co-likes where a liked strictly first.
    pub a_first: u32,
    /// Best-window co-likes where b liked strictly first.
    pub b_first: u32,
    /// Median |Δt| over the best-window co-likes, in clock units (NaN if none).
    pub median_dt: f64,
    /// Expected best-window co-likes under the null model.
    pub expected: f64,
    /// ln of the conditional p-value of the best window's count, times the number of windows
    /// (Bonferroni over windows), at most 1.
    pub ln_p: f64,
    /// Index (in the order given) of the best window.
    pub best: u8,
}

impl PairRecord {
    /// Co-likes in the best window.
    pub fn colikes(&self) -> u32 {
        self.counts[self.best as usize]
    }
}

/// Derived similarity measures of a pair, from its primary count and the two degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// c / (d_a + d_b − c).
    pub jaccard: f64,
    /// c / √(d_a d_b).
    pub cosine: f64,
    /// c / min(d_a, d_b).
    pub overlap: f64,
    /// min(a_first, b_first) / max(a_first, b_first): 1 when neither leads, near 0 when one
    /// account always likes first.
    pub symmetry: f64,
}

impl Similarity {
    /// Compute from a record and the two accounts' like counts.
    pub fn of(r: &PairRecord, da: usize, db: usize) -> Self {
        let c = r.colikes() as f64;
        let (da, db) = (da as f64, db as f64);
        let ratio = |x: f64, y: f64| if y > 0.0 { x / y } else { 0.0 };
        let (lo, hi) = (r.a_first.min(r.b_first) as f64, r.a_first.max(r.b_first) as f64);
        Similarity {
            jaccard: ratio(c, da + db - c),
            cosine: ratio(c, (da * db).sqrt()),
            overlap: ratio(c, da.min(db)),
            symmetry: if hi == 0.0 { 1.0 } else { lo / hi },
        }
    }
}

/// What the giant-post guard skipped.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skipped {
    /// Posts with at least one skipped like.
    pub posts: u64,
    /// Likes whose pair enumeration was skipped.
    pub likes: u64,
}

/// Counts of a projection run, for messages and the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectionSummary {
    /// Windows as given.
    pub windows: Vec<WindowSpec>,
    /// Pairs with at least one co-like counted at some window (the hypotheses tested, m).
    pub tested_pairs: u64,
    /// Pairs reported (≥ min_colikes in the widest window, window-adjusted p ≤ report_pvalue).
    pub reported_pairs: u64,
    /// Reported pairs with q ≤ fdr.
    pub significant_pairs: u64,
    /// Giant-post guard: likes whose slice was too large even at the narrowest window.
    pub skipped: Skipped,
    /// Per window (in the order given): likes whose co-likes were not counted at that window
    /// because their slice held more than `max_post_likers` likes (they count at narrower ones).
    pub capped_likes: Vec<u64>,
    /// Like pairs within the first window over all posts that the sweep counts (P_W).
    pub null_pairs_within: f64,
    /// The same for every window, in the order given.
    pub null_pairs_by_window: Vec<f64>,
    /// Total likes L.
    pub null_likes: f64,
    /// Largest number of likes of one post within a slice that was enumerated.
    pub max_slice: u64,
}

/// The projection: reported pairs (spilled to disk) with their q-values, and its summary.
pub struct Projection {
    /// Counts for messages and the manifest.
    pub summary: ProjectionSummary,
    /// Resolved windows (same order as `summary.windows`).
    pub windows: Vec<Window>,
    /// The FDR used for `significant`.
    pub fdr: f64,
    /// ln q-value of each reported pair, in record order.
    pub ln_q: Vec<f64>,
    spill: spill::Spill,
}

impl Projection {
    /// Read back all reported pairs in order (a ascending, then b).
    pub fn pairs(&self) -> std::io::Result<PairReader<'_>> {
        self.spill.reader()
    }

    /// Number of windows counted.
    pub fn n_windows(&self) -> usize {
        self.windows.len()
    }

    /// The significant pairs (q ≤ fdr), in memory, with their q-values.
    pub fn significant(&self) -> std::io::Result<Vec<TestedPair>> {
        let ln_fdr = self.fdr.ln();
        let mut out = Vec::with_capacity(self.ln_q.iter().filter(|&&q| q <= ln_fdr).count());
        for (i, rec) in self.pairs()?.enumerate() {
            let record = rec?;
            if self.ln_q[i] <= ln_fdr {
                out.push(TestedPair {
                    record,
                    q: self.ln_q[i].exp(),
                });
            }
        }
        Ok(out)
    }
}

/// Errors of the projection.
#[derive(Debug, thiserror::Error)]
pub enum ColikeError {
    /// A window does not fit the data's clock.
    #[error("{0}")]
    Window(String),
    /// The temporary pair file failed.
    #[error("temporary pair file: {0}")]
    Io(#[from] std::io::Error),
}

/// Accounts per unit of parallel work; the order of results never depends on threads.
const BLOCK: usize = 256;
/// Blocks processed before their pairs are written out (bounds memory).
const BLOCKS_PER_BATCH: usize = 64;

/// The windows resolved against the clock, in the order given, and sorted without repeats.
fn resolve_windows(
    clock: crate::clock::Clock,
    specs: &[WindowSpec],
) -> Result<(Vec<Window>, Vec<Window>), ColikeError> {
    let windows: Vec<Window> = specs
        .iter()
        .map(|w| w.resolve(clock))
        .collect::<Result<_, _>>()
        .map_err(ColikeError::Window)?;
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(ColikeError::Window(format!(
            "give between 1 and {MAX_WINDOWS} windows"
        )));
    }
    let mut sorted = windows.clone();
    sorted.sort();
    sorted.dedup();
    Ok((windows, sorted))
}

/// For each window in the order given, its index among the sorted ones.
fn user_to_sorted(windows: &[Window], sorted: &[Window]) -> Vec<usize> {
    windows
        .iter()
        .map(|w| sorted.iter().position(|s| s == w).unwrap_or(0))
        .collect()
}

/// ln of the report level (0 when every p-value is reported).
fn report_ln_p(report_pvalue: f64) -> f64 {
    if report_pvalue >= 1.0 {
        0.0
    } else {
        report_pvalue.ln()
    }
}

/// idf(p) = ln(N / d_p) of every post of `graph`, N the accounts of the whole data.
fn post_idf(graph: &LikeGraph, n_accounts: usize) -> Vec<f64> {
    let n = n_accounts.max(1) as f64;
    (0..graph.n_posts() as u32)
        .map(|p| (n / graph.post_degree(p).max(1) as f64).ln())
        .collect()
}

/// The sweep's plan for `graph`: windows, tests, idf weights and the giant-post cap.
fn plan<'g>(
    graph: &'g LikeGraph,
    sorted: Vec<Window>,
    tests: sweep::Tests,
    n_accounts: usize,
    cap: usize,
) -> sweep::Plan<'g> {
    sweep::Plan {
        first_bucket: sweep::first_buckets(&sorted),
        coarse: graph.has_coarse_times(),
        idf: post_idf(graph, n_accounts),
        graph,
        tests,
        sorted,
        cap,
    }
}

/// Run the projection on `graph`.
pub fn project(
    graph: &LikeGraph,
    params: &ColikeParams,
    fdr: f64,
    ui: &Ui,
) -> Result<Projection, ColikeError> {
    let (windows, sorted) = resolve_windows(graph.clock, &params.windows)?;
    let (pairs_within, work) = null::counted_pairs(graph, &sorted, params.max_post_likers);
    warn_if_heavy(work, params.max_post_likers, ui);
    let tests = sweep::Tests {
        nulls: pairs_within
            .iter()
            .map(|&p| NullModel::from_pairs(graph, p))
            .collect(),
        user_to_sorted: user_to_sorted(&windows, &sorted),
        min_colikes: params.min_colikes.max(1),
        report_ln_p: report_ln_p(params.report_pvalue),
    };
    let plan = plan(graph, sorted, tests, graph.n_accounts(), params.max_post_likers);
    let swept = sweep_all(&plan, windows.len(), ui)?;
    let ln_q = null::benjamini_hochberg_ln(swept.ln_p, swept.tested);
    let ln_fdr = fdr.ln();
    let significant_pairs = ln_q.iter().filter(|&&q| q <= ln_fdr).count() as u64;
    let by_window: Vec<f64> = plan
        .tests
        .user_to_sorted
        .iter()
        .map(|&k| pairs_within[k])
        .collect();
    let summary = ProjectionSummary {
        windows: params.windows.clone(),
        tested_pairs: swept.tested,
        reported_pairs: ln_q.len() as u64,
        significant_pairs,
        skipped: swept.skipped,
        capped_likes: plan
            .tests
            .user_to_sorted
            .iter()
            .map(|&k| swept.capped[k])
            .collect(),
        null_pairs_within: by_window[0],
        null_pairs_by_window: by_window,
        null_likes: graph.n_likes() as f64,
        max_slice: swept.max_slice,
    };
    if summary.skipped.likes > 0 {
        ui.warn(format!(
            "giant-post guard: skipped pair enumeration for {} likes on {} posts with more than {} likers inside even the narrowest window (--max-post-likers); their co-likes are not counted",
            summary.skipped.likes, summary.skipped.posts, params.max_post_likers
        ));
    }
    Ok(Projection {
        summary,
        windows,
        fdr,
        ln_q,
        spill: swept.spill,
    })
}

/// What the sweep over all accounts produced.
struct Swept {
    spill: spill::Spill,
    ln_p: Vec<f64>,
    tested: u64,
    skipped: Skipped,
    /// Per sorted window.
    capped: [u64; MAX_WINDOWS],
    max_slice: u64,
}

/// Sweep every account in parallel blocks while a writer thread spills the previous batch's
/// pairs in order; the file and the p-value order do not depend on the thread count.
fn sweep_all(plan: &sweep::Plan<'_>, n_windows: usize, ui: &Ui) -> Result<Swept, ColikeError> {
    let n_accounts = plan.graph.n_accounts();
    let n_buckets = plan.sorted.len();
    let scratch_pool: Mutex<Vec<sweep::Scratch>> = Mutex::new(Vec::new());
    let mut writer = spill::Spill::create(n_windows)?;
    let mut ln_p: Vec<f64> = Vec::new();
    let bar = ui.bar(n_accounts as u64, "co-like pairs", "accounts");
    let blocks: Vec<(usize, usize)> = (0..n_accounts)
        .step_by(BLOCK)
        .map(|s| (s, (s + BLOCK).min(n_accounts)))
        .collect();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<PairRecord>>>(1);
    let (spilled, tested) = std::thread::scope(|scope| {
        let writer_thread = scope.spawn(move || -> std::io::Result<(spill::SpillWriter, Vec<f64>)> {
            for batch in rx {
                for records in batch {
                    for r in &records {
                        ln_p.push(r.ln_p);
                        writer.write(r)?;
                    }
                }
            }
            Ok((writer, ln_p))
        });
        let mut tested = 0u64;
        for batch in blocks.chunks(BLOCKS_PER_BATCH) {
            let results: Vec<(Vec<PairRecord>, u64)> = batch
                .par_iter()
                .map(|&(start, end)| {
                    let mut scratch = scratch_pool
                        .lock()
                        .ok()
                        .and_then(|mut pool| pool.pop())
                        .unwrap_or_else(|| sweep::Scratch::new(n_accounts, n_buckets));
                    let mut records = Vec::new();
                    let mut tested = 0u64;
                    for a in start..end {
                        tested += sweep::sweep_account(plan, a as u32, &mut scratch, &mut records);
                    }
                    bar.inc((end - start) as u64);
                    if let Ok(mut pool) = scratch_pool.lock() {
                        pool.push(scratch);
                    }
                    (records, tested)
                })
                .collect();
            tested += results.iter().map(|r| r.1).sum::<u64>();
            if tx.send(results.into_iter().map(|r| r.0).collect()).is_err() {
                break; // the writer failed; its error is returned below
            }
        }
        drop(tx);
        let spilled = writer_thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("pair writer thread panicked")));
        (spilled, tested)
    });
    let (writer, ln_p) = spilled?;
    bar.finish_and_clear();
    let mut out = Swept {
        spill: writer.finish()?,
        ln_p,
        tested,
        skipped: Skipped::default(),
        capped: [0; MAX_WINDOWS],
        max_slice: 0,
    };
    let mut skipped_posts: Vec<u32> = Vec::new();
    if let Ok(pool) = scratch_pool.into_inner() {
        for s in pool {
            skipped_posts.extend(s.skipped_posts);
            out.skipped.likes += s.skipped_likes;
            out.max_slice = out.max_slice.max(s.max_slice);
            for (c, x) in out.capped.iter_mut().zip(s.capped) {
                *c += x;
            }
        }
    }
    skipped_posts.sort_unstable();
    skipped_posts.dedup();
    out.skipped.posts = skipped_posts.len() as u64;
    Ok(out)
}

/// Like pairs within the widest window above which a run warns that the sweep will be long.
const HEAVY_PAIRS: u64 = 2_000_000_000;

/// Tell the user before a long sweep: the work is the number of likes in the counted slices
/// (`per_post`: per post), and a few viral posts usually hold most of it.
fn warn_if_heavy(mut per_post: Vec<u64>, max_post_likers: usize, ui: &Ui) {
    let total: u64 = per_post.iter().sum();
    if total < HEAVY_PAIRS {
        return;
    }
    per_post.sort_unstable_by(|x, y| y.cmp(x));
    let (mut running, mut posts) = (0u64, 0usize);
    for &n in &per_post {
        if running * 2 >= total {
            break;
        }
        running += n;
        posts += 1;
    }
    ui.warn(format!(
        "the windows hold {:.1e} like pairs to enumerate (the work of the co-like sweep: expect minutes); {} posts hold half of them{}",
        total as f64,
        posts,
        if max_post_likers == 0 || max_post_likers > 1000 {
            ". If those viral posts do not matter to you, --max-post-likers 1000 counts co-likes only where at most 1000 likes of a post fall within the window (the rest is reported)"
        } else {
            ""
        }
    ));
}

#[cfg(test)]
mod tests;
