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

pub mod null;
mod spill;
pub mod window;

pub use null::NullModel;
pub use spill::PairReader;
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
    /// Windows as given; the first is the primary window (weights, p-values).
    pub windows: Vec<WindowSpec>,
    /// Report pairs with at least this many co-likes in the widest window: a single shared
    /// post is what any two accounts of a large audience have.
    pub min_colikes: u32,
    /// Skip a like's pair enumeration when more than this many likes of its post fall within
    /// the widest window (the window cannot cut the work down). 0 = never skip.
    pub max_post_likers: usize,
}

impl Default for ColikeParams {
    fn default() -> Self {
        ColikeParams {
            windows: vec![WindowSpec::Duration(crate::clock::MS_PER_HOUR)],
            min_colikes: 3,
            max_post_likers: 50_000,
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

/// One reported account pair (a < b by id). Counts are per window, in the order given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRecord {
    /// Smaller account id.
    pub a: u32,
    /// Larger account id.
    pub b: u32,
    /// Co-likes per window (only the first `n_windows` entries are meaningful).
    pub counts: [u32; MAX_WINDOWS],
    /// Σ idf(p) over the posts co-liked within the primary window, idf(p) = ln(N / d_p).
    pub idf: f64,
    /// Primary-window co-likes where a liked strictly first.
    pub a_first: u32,
    /// Primary-window co-likes where b liked strictly first.
    pub b_first: u32,
    /// Median |Δt| over the primary-window co-likes, in clock units (NaN if none).
    pub median_dt: f64,
    /// Expected primary-window co-likes under the null model.
    pub expected: f64,
    /// ln of the conditional p-value of the primary count.
    pub ln_p: f64,
}

impl PairRecord {
    /// Co-likes in the primary window.
    pub fn colikes(&self) -> u32 {
        self.counts[0]
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
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
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
    /// Pairs with at least one primary-window co-like (the hypotheses tested, m).
    pub tested_pairs: u64,
    /// Pairs reported (≥ min_colikes in the widest window).
    pub reported_pairs: u64,
    /// Reported pairs with q ≤ fdr.
    pub significant_pairs: u64,
    /// Giant-post guard.
    pub skipped: Skipped,
    /// Like pairs within the primary window over all posts (null model constant P_W).
    pub null_pairs_within: f64,
    /// Total likes L.
    pub null_likes: f64,
    /// Largest number of likes of one post within a widest-window slice that was enumerated.
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
        let mut out = Vec::new();
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

struct Scratch {
    /// counts[b * n_buckets + k]: co-likes whose |Δt| falls in sorted window bucket k.
    counts: Vec<u32>,
    /// seen[b] == a + 1 once b has been touched while sweeping a.
    seen: Vec<u32>,
    /// Bit b set while sweeping a when the pair (a, b) is reported (a bitset stays in cache).
    want: Vec<u64>,
    idf: Vec<f64>,
    a_first: Vec<u32>,
    b_first: Vec<u32>,
    touched: Vec<u32>,
    /// Branch-free partner list of the single-window sweep (n_accounts + 1 slots).
    touched_buf: Vec<u32>,
    n_touched: usize,
    /// The counts slot that absorbs partners b ≤ a (= n_accounts).
    sink: u32,
    dts: Vec<(u32, i64)>,
    skipped_posts: Vec<u32>,
    skipped_likes: u64,
    max_slice: u64,
}

impl Scratch {
    fn new(n_accounts: usize, n_buckets: usize) -> Self {
        Scratch {
            counts: vec![0; n_accounts * n_buckets + 1],
            seen: vec![0; n_accounts],
            want: vec![0; n_accounts.div_ceil(64)],
            idf: vec![0.0; n_accounts],
            a_first: vec![0; n_accounts],
            b_first: vec![0; n_accounts],
            touched: Vec::new(),
            touched_buf: vec![0; n_accounts + 1],
            n_touched: 0,
            sink: n_accounts as u32,
            dts: Vec::new(),
            skipped_posts: Vec::new(),
            skipped_likes: 0,
            max_slice: 0,
        }
    }
}

struct Plan<'g> {
    graph: &'g LikeGraph,
    /// Window spans sorted ascending (the buckets).
    sorted: Vec<Window>,
    /// For each user window, its index in `sorted`.
    user_to_sorted: Vec<usize>,
    primary: Window,
    widest: Window,
    idf: Vec<f64>,
    min_colikes: u32,
    max_post_likers: usize,
    null: NullModel,
}

/// Accounts per unit of parallel work; the order of results never depends on threads.
const BLOCK: usize = 256;
/// Blocks processed before their pairs are written out (bounds memory).
const BLOCKS_PER_BATCH: usize = 64;

/// Run the projection on `graph`.
pub fn project(
    graph: &LikeGraph,
    params: &ColikeParams,
    fdr: f64,
    ui: &Ui,
) -> Result<Projection, ColikeError> {
    let windows: Vec<Window> = params
        .windows
        .iter()
        .map(|w| w.resolve(graph.clock))
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
    let user_to_sorted: Vec<usize> = windows
        .iter()
        .map(|w| sorted.iter().position(|s| s == w).unwrap_or(0))
        .collect();
    let n_accounts = graph.n_accounts();
    let n = n_accounts.max(1) as f64;
    let idf: Vec<f64> = (0..graph.n_posts() as u32)
        .map(|p| (n / graph.post_degree(p).max(1) as f64).ln())
        .collect();
    let widest = *sorted.last().unwrap_or(&Window::Infinite);
    let widest_pairs = null::pairs_per_post(graph, widest);
    let null = if windows[0] == widest {
        NullModel::from_pairs_per_post(graph, &widest_pairs)
    } else {
        NullModel::fit(graph, windows[0])
    };
    warn_if_heavy(widest_pairs, params.max_post_likers, ui);
    let plan = Plan {
        graph,
        widest,
        primary: windows[0],
        sorted,
        user_to_sorted,
        idf,
        min_colikes: params.min_colikes.max(1),
        max_post_likers: params.max_post_likers,
        null,
    };
    let n_buckets = plan.sorted.len();
    let scratch_pool: Mutex<Vec<Scratch>> = Mutex::new(Vec::new());
    let mut writer = spill::Spill::create(windows.len())?;
    let mut ln_p: Vec<f64> = Vec::new();
    let mut skipped_posts: Vec<u32> = Vec::new();
    let mut skipped_likes: u64 = 0;
    let mut max_slice: u64 = 0;
    let bar = ui.bar(n_accounts as u64, "co-like pairs", "accounts");
    let blocks: Vec<(usize, usize)> = (0..n_accounts)
        .step_by(BLOCK)
        .map(|s| (s, (s + BLOCK).min(n_accounts)))
        .collect();
    // Workers sweep one batch of blocks while a writer thread spills the previous batch's
    // pairs in order; the file and the p-value order do not depend on the thread count.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<PairRecord>>>(1);
    let (spilled, tested_total) = std::thread::scope(|scope| {
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
                        .unwrap_or_else(|| Scratch::new(n_accounts, n_buckets));
                    let mut records = Vec::new();
                    let mut tested = 0u64;
                    for a in start..end {
                        tested += sweep_account(&plan, a as u32, &mut scratch, &mut records);
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
    let tested = tested_total;
    bar.finish_and_clear();
    if let Ok(pool) = scratch_pool.into_inner() {
        for s in pool {
            skipped_posts.extend(s.skipped_posts);
            skipped_likes += s.skipped_likes;
            max_slice = max_slice.max(s.max_slice);
        }
    }
    skipped_posts.sort_unstable();
    skipped_posts.dedup();
    let spill = writer.finish()?;
    let reported_pairs = ln_p.len() as u64;
    let ln_q = null::benjamini_hochberg_ln(ln_p, tested);
    let ln_fdr = fdr.ln();
    let significant_pairs = ln_q.iter().filter(|&&q| q <= ln_fdr).count() as u64;
    let summary = ProjectionSummary {
        windows: params.windows.clone(),
        tested_pairs: tested,
        reported_pairs,
        significant_pairs,
        skipped: Skipped {
            posts: skipped_posts.len() as u64,
            likes: skipped_likes,
        },
        null_pairs_within: plan.null.pairs_within,
        null_likes: plan.null.likes,
        max_slice,
    };
    if summary.skipped.likes > 0 {
        ui.warn(format!(
            "giant-post guard: skipped pair enumeration for {} likes on {} posts with more than {} likers inside the window (--max-post-likers); their co-likes are not counted",
            summary.skipped.likes, summary.skipped.posts, params.max_post_likers
        ));
    }
    Ok(Projection {
        summary,
        windows,
        fdr,
        ln_q,
        spill,
    })
}

/// Like pairs within the widest window above which a run warns that the sweep will be long.
const HEAVY_PAIRS: u64 = 2_000_000_000;

/// Tell the user before a long sweep: the work is the number of like pairs within the widest
/// window (`per_post`: per post), and a few viral posts usually hold most of it.
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
        "the window holds {:.1e} like pairs to enumerate (the work of the co-like sweep: expect minutes); {} posts hold half of them{}",
        total as f64,
        posts,
        if max_post_likers == 0 || max_post_likers > 1000 {
            ". If those viral posts do not matter to you, --max-post-likers 1000 skips likes whose window holds more than 1000 likes (counted and reported)"
        } else {
            ""
        }
    ));
}

/// Count all partners b > a of account a; append reported pairs; return pairs tested.
///
/// Two sweeps over a's likes: the first only counts co-likes per window (most partners share a
/// single post and are dropped); the second gathers IDF weights, who liked first and the Δt
/// values for the partners that are reported.
fn sweep_account(plan: &Plan<'_>, a: u32, s: &mut Scratch, out: &mut Vec<PairRecord>) -> u64 {
    let g = plan.graph;
    let nb = plan.sorted.len();
    let stamp = a + 1;
    // Pass 1: counts per window bucket.
    for &like in g.account_likes(a) {
        let p = g.like_post(like);
        let t = g.like_time(like);
        let Some((lo, hi)) = window_slice(plan, p, t, like) else {
            s.skipped_likes += 1;
            s.skipped_posts.push(p);
            continue;
        };
        s.max_slice = s.max_slice.max((hi - lo) as u64);
        let times = &g.times(p)[lo..hi];
        let likers = &g.likers(p)[lo..hi];
        if nb == 1 {
            // One window: the slice is the window, and a zero count marks a new partner.
            // Branch-free: partners b ≤ a are counted in the sink slot (`n_accounts`), and a
            // new partner is appended by writing past the end and moving the end on.
            let sink = s.sink;
            for &b in likers {
                let idx = if b > a { b } else { sink };
                let c = s.counts[idx as usize];
                s.counts[idx as usize] = c + 1;
                s.touched_buf[s.n_touched] = idx;
                s.n_touched += usize::from(c == 0);
            }
            continue;
        }
        for (&b, &tb) in likers.iter().zip(times) {
            if b <= a {
                continue;
            }
            let dt = (tb - t).abs();
            let Some(bucket) = plan.sorted.iter().position(|w| w.contains(dt)) else {
                continue;
            };
            let bi = b as usize;
            if s.seen[bi] != stamp {
                s.seen[bi] = stamp;
                s.touched.push(b);
            }
            s.counts[bi * nb + bucket] += 1;
        }
    }
    if nb == 1 {
        // Move the branch-free partner list into `touched`, dropping the sink.
        let sink = s.sink;
        s.counts[sink as usize] = 0;
        let n = s.n_touched;
        s.touched
            .extend(s.touched_buf[..n].iter().copied().filter(|&b| b != sink));
        s.n_touched = 0;
    }
    // Which partners are tested and reported.
    let mut tested = 0u64;
    let mut reported: Vec<(u32, [u32; MAX_WINDOWS])> = Vec::new();
    if nb == 1 {
        // Every touched partner has a primary-window co-like.
        tested = s.touched.len() as u64;
        for &b in &s.touched {
            let c = std::mem::take(&mut s.counts[b as usize]);
            if c >= plan.min_colikes {
                s.want[b as usize / 64] |= 1 << (b % 64);
                // Repeated user windows all map to the one bucket.
                let mut counts = [0u32; MAX_WINDOWS];
                counts[..plan.user_to_sorted.len()].fill(c);
                reported.push((b, counts));
            }
        }
        s.touched.clear();
    }
    for &b in &s.touched {
        let slot = b as usize * nb;
        let mut cumulative = [0u32; MAX_WINDOWS];
        let mut running = 0u32;
        for (c, n) in cumulative.iter_mut().zip(&mut s.counts[slot..slot + nb]) {
            running += *n;
            *c = running;
            *n = 0;
        }
        let mut counts = [0u32; MAX_WINDOWS];
        for (u, &k) in plan.user_to_sorted.iter().enumerate() {
            counts[u] = cumulative[k];
        }
        if counts[0] >= 1 {
            tested += 1;
        }
        if cumulative[nb - 1] >= plan.min_colikes {
            s.want[b as usize / 64] |= 1 << (b % 64);
            reported.push((b, counts));
        }
    }
    s.touched.clear();
    if reported.is_empty() {
        return tested;
    }
    // Pass 2: weights, leaders and Δt for the reported partners only.
    let primary_span = plan.primary.span();
    for &like in g.account_likes(a) {
        let p = g.like_post(like);
        let t = g.like_time(like);
        let Some((lo, hi)) = window_slice(plan, p, t, like) else {
            continue;
        };
        let idf = plan.idf[p as usize];
        let times = &g.times(p)[lo..hi];
        let likers = &g.likers(p)[lo..hi];
        for (&b, &tb) in likers.iter().zip(times) {
            let bi = b as usize;
            if b <= a || s.want[bi / 64] & (1 << (bi % 64)) == 0 {
                continue;
            }
            let dt = (tb - t).abs();
            if dt > primary_span {
                continue;
            }
            s.idf[bi] += idf;
            // Same time: neither leads. Otherwise the earlier like leads (positions are
            // distinct in logical time).
            match tb.cmp(&t) {
                std::cmp::Ordering::Greater => s.a_first[bi] += 1,
                std::cmp::Ordering::Less => s.b_first[bi] += 1,
                std::cmp::Ordering::Equal => {}
            }
            s.dts.push((b, dt));
        }
    }
    reported.sort_unstable_by_key(|r| r.0);
    s.dts.sort_unstable();
    let da = g.account_degree(a);
    let mut dt_cursor = 0usize;
    for (b, counts) in reported {
        let bi = b as usize;
        s.want[bi / 64] = 0;
        while dt_cursor < s.dts.len() && s.dts[dt_cursor].0 < b {
            dt_cursor += 1;
        }
        let start = dt_cursor;
        while dt_cursor < s.dts.len() && s.dts[dt_cursor].0 == b {
            dt_cursor += 1;
        }
        let expected = plan.null.expected(da, g.account_degree(b));
        out.push(PairRecord {
            a,
            b,
            counts,
            idf: s.idf[bi],
            a_first: s.a_first[bi],
            b_first: s.b_first[bi],
            median_dt: median_of_sorted(&s.dts[start..dt_cursor]),
            expected,
            ln_p: null::ln_pvalue(counts[0] as u64, expected),
        });
        s.idf[bi] = 0.0;
        s.a_first[bi] = 0;
        s.b_first[bi] = 0;
    }
    s.dts.clear();
    tested
}

/// The range of post `p`'s likes within the widest window of time `t` (the time of like
/// `like`, one of `p`'s), or `None` when the giant-post guard skips it.
///
/// The like's own position in the post is known (like ids are post-major), so both ends are
/// found by galloping outwards from it: O(log slice) probes near the like instead of a binary
/// search over the whole post.
#[inline]
fn window_slice(plan: &Plan<'_>, p: u32, t: i64, like: u32) -> Option<(usize, usize)> {
    let range = plan.graph.post_range(p);
    let times = plan.graph.times(p);
    let (lo, hi) = match plan.widest {
        Window::Infinite => (0, times.len()),
        Window::Span(w) => {
            let pos = (like as usize)
                .saturating_sub(range.start)
                .min(times.len().saturating_sub(1));
            let (from, to) = (t.saturating_sub(w), t.saturating_add(w));
            (gallop_down(times, pos, from), gallop_up(times, pos, to))
        }
    };
    if plan.max_post_likers > 0 && hi - lo > plan.max_post_likers {
        None
    } else {
        Some((lo, hi))
    }
}

/// First index `i ≤ pos + 1` with `times[i] ≥ from`, searching downwards from `pos`.
#[inline]
fn gallop_down(times: &[i64], pos: usize, from: i64) -> usize {
    let mut step = 1;
    // Invariant: every index in (pos - step/2, pos] (clamped) is ≥ from, once step > 1.
    while step <= pos && times[pos - step] >= from {
        step *= 2;
    }
    let start = pos.saturating_sub(step);
    let end = pos + 1 - step / 2;
    start + times[start..end].partition_point(|&x| x < from)
}

/// First index `i > pos` with `times[i] > to` (or `times.len()`), searching upwards.
#[inline]
fn gallop_up(times: &[i64], pos: usize, to: i64) -> usize {
    let n = times.len();
    let mut step = 1;
    while pos + step < n && times[pos + step] <= to {
        step *= 2;
    }
    let start = pos + step / 2;
    let end = (pos + step + 1).min(n);
    start + times[start..end].partition_point(|&x| x <= to)
}

fn median_of_sorted(dts: &[(u32, i64)]) -> f64 {
    match dts.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => dts[n / 2].1 as f64,
        n => (dts[n / 2 - 1].1 as f64 + dts[n / 2].1 as f64) / 2.0,
    }
}

#[cfg(test)]
mod tests;
