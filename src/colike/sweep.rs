//! The exact co-like sweep of one account against all its partners, at several windows at once.
//!
//! For account a and each of its likes (p, t), the likers of p within a window are one
//! contiguous slice of p's time-sorted likers, found by galloping outwards from the like's own
//! position. A like's co-likes at window W are counted only when its ±W slice holds at most
//! `cap` likes ([`super::ColikeParams::max_post_likers`]): the widest such window is enumerated
//! once and each partner b > a is counted in the bucket of the narrowest window holding |Δt|.
//! Two passes: the first counts co-likes per window bucket (most partners share a single post
//! and are dropped); the second gathers IDF weights, who liked first and the Δt values for the
//! reported partners only, over their best window.
//!
//! The same passes serve a cluster job ([`sweep_account_partial`]): on a batch of whole posts,
//! pass 1 counts every partner and pass 2 gathers every partner's details per bucket, so that
//! sums over batches give each pair's counts, and [`test_partner`] then judges the sums exactly
//! as [`judge_partners`] judges one machine's counts.

use super::null::{self, NullModel};
use super::{MAX_WINDOWS, PairRecord, Window};
use crate::graph::LikeGraph;

/// What every account's sweep shares.
pub(super) struct Plan<'g> {
    pub graph: &'g LikeGraph,
    /// Window spans sorted ascending (the buckets).
    pub sorted: Vec<Window>,
    /// How partners are tested.
    pub tests: Tests,
    /// idf(p) = ln(N / d_p).
    pub idf: Vec<f64>,
    /// Most likes in a like's slice for its co-likes to be counted at that window (0 = any).
    pub cap: usize,
    /// For each time resolution (second, minute, hour, day), the first sorted window at least
    /// as wide: a like known only to the hour co-likes within an hour at the finest.
    pub first_bucket: [usize; 4],
    /// Some likes have coarse times: every partner's resolution is checked.
    pub coarse: bool,
}

/// How a partner's counts are tested: what [`test_partner`] needs, and no graph.
#[derive(Debug, Clone)]
pub(super) struct Tests {
    /// For each user window, its index in the sorted windows.
    pub user_to_sorted: Vec<usize>,
    /// Null model of each sorted window.
    pub nulls: Vec<NullModel>,
    /// Report pairs with at least this many co-likes (widest window).
    pub min_colikes: u32,
    /// Report pairs only when their window-adjusted ln p is at most this (0 = all).
    pub report_ln_p: f64,
}

/// For each time resolution, the first of the `sorted` windows at least as wide (the number of
/// windows when none is).
pub(super) fn first_buckets(sorted: &[Window]) -> [usize; 4] {
    let mut out = [0usize; 4];
    for (r, slot) in crate::input::Resolution::ALL.iter().zip(out.iter_mut()) {
        let width = r.millis();
        *slot = sorted
            .iter()
            .position(|w| width == 0 || *w == Window::Infinite || w.span() >= width)
            .unwrap_or(sorted.len());
    }
    out
}

/// Per-thread dense accumulators, reset after each account.
pub(super) struct Scratch {
    /// counts[b * n_buckets + k]: co-likes whose |Δt| falls in sorted window bucket k.
    counts: Vec<u32>,
    /// seen[b] == a + 1 once b has been touched while sweeping a.
    seen: Vec<u32>,
    /// Bit b set while sweeping a when the pair (a, b) is reported (a bitset stays in cache).
    want: Vec<u64>,
    /// The best window (sorted index) of each reported partner: its co-likes in buckets up to
    /// this one are its details.
    best: Vec<u8>,
    /// Index of each partner's partial record (partial sweeps only; empty otherwise).
    slot: Vec<u32>,
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
    pub skipped_posts: Vec<u32>,
    pub skipped_likes: u64,
    /// Likes whose co-likes were not counted at each sorted window (their slice was too large).
    pub capped: [u64; MAX_WINDOWS],
    pub max_slice: u64,
}

impl Scratch {
    /// One co-like of partner `b` in window bucket `bucket` (of `nb`) while sweeping the account
    /// whose stamp is `stamp`; `b` joins the touched partners on its first.
    #[inline]
    fn count(&mut self, b: u32, bucket: usize, nb: usize, stamp: u32) {
        let bi = b as usize;
        if self.seen[bi] != stamp {
            self.seen[bi] = stamp;
            self.touched.push(b);
        }
        self.counts[bi * nb + bucket] += 1;
    }

    pub(super) fn new(n_accounts: usize, n_buckets: usize) -> Self {
        Scratch {
            counts: vec![0; n_accounts * n_buckets + 1],
            seen: vec![0; n_accounts],
            want: vec![0; n_accounts.div_ceil(64)],
            best: vec![0; n_accounts],
            slot: Vec::new(),
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
            capped: [0; MAX_WINDOWS],
            max_slice: 0,
        }
    }
}

/// A partner of the account being swept, after pass 1.
pub(super) struct Partner {
    pub b: u32,
    /// Co-likes per user window.
    pub counts: [u32; MAX_WINDOWS],
    /// Index of the best window among the sorted ones.
    pub best: usize,
    /// Window-adjusted ln p.
    pub ln_p: f64,
}

/// Count all partners b > a of account a; append reported pairs; return pairs tested.
pub(super) fn sweep_account(plan: &Plan<'_>, a: u32, s: &mut Scratch, out: &mut Vec<PairRecord>) -> u64 {
    count_partners(plan, a, s);
    let (tested, reported) = judge_partners(plan, a, s);
    if reported.is_empty() {
        return tested;
    }
    detail_partners(plan, a, s, reported, out);
    tested
}

/// Pass 2 and the records for `reported` partners of account a (sorted by partner, each with
/// its counts, best window and p-value already known).
pub(super) fn detail_partners(
    plan: &Plan<'_>,
    a: u32,
    s: &mut Scratch,
    reported: Vec<Partner>,
    out: &mut Vec<PairRecord>,
) {
    for r in &reported {
        s.want[r.b as usize / 64] |= 1 << (r.b % 64);
        s.best[r.b as usize] = r.best as u8;
    }
    gather_details(plan, a, s);
    emit(plan, a, s, reported, out);
}

/// One account's partners on a batch of whole posts, before any test: co-likes, IDF weights
/// and leads per window bucket (sorted windows, not cumulative), and every Δt with its bucket.
/// Sums over batches are what one machine counts.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialPair {
    /// Smaller account id.
    pub a: u32,
    /// Larger account id.
    pub b: u32,
    /// Co-likes whose bucket (narrowest sorted window holding them) is k.
    pub counts: [u32; MAX_WINDOWS],
    /// Σ idf of those co-likes.
    pub idf: [f64; MAX_WINDOWS],
    /// Of those, the ones where a liked strictly first.
    pub a_first: [u32; MAX_WINDOWS],
    /// …and where b liked strictly first.
    pub b_first: [u32; MAX_WINDOWS],
    /// |Δt| × 8 + bucket of every co-like, ascending (the median of a window is read from the
    /// co-likes of buckets up to it).
    pub dts: Vec<i64>,
}

/// |Δt| and bucket packed in one number of [`PartialPair::dts`].
pub fn pack_dt(dt: i64, bucket: usize) -> i64 {
    dt.saturating_mul(MAX_WINDOWS as i64) + bucket as i64
}

/// The |Δt| and bucket of a packed number.
pub fn unpack_dt(code: i64) -> (i64, usize) {
    (code / MAX_WINDOWS as i64, (code % MAX_WINDOWS as i64) as usize)
}

/// Every partner b > a of account a with its partial counts (appended to `out` in partner
/// order); returns the partners touched.
pub(super) fn sweep_account_partial(
    plan: &Plan<'_>,
    a: u32,
    s: &mut Scratch,
    out: &mut Vec<PartialPair>,
) -> u64 {
    count_partners(plan, a, s);
    let nb = plan.sorted.len();
    if s.slot.len() < s.seen.len() {
        s.slot = vec![0; s.seen.len()];
    }
    s.touched.sort_unstable();
    let first = out.len();
    for &b in &s.touched {
        let bi = b as usize;
        let mut counts = [0u32; MAX_WINDOWS];
        counts[..nb].copy_from_slice(&s.counts[bi * nb..bi * nb + nb]);
        s.counts[bi * nb..bi * nb + nb].fill(0);
        s.want[bi / 64] |= 1 << (bi % 64);
        s.slot[bi] = (out.len() - first) as u32;
        out.push(PartialPair {
            a,
            b,
            counts,
            idf: [0.0; MAX_WINDOWS],
            a_first: [0; MAX_WINDOWS],
            b_first: [0; MAX_WINDOWS],
            dts: Vec::new(),
        });
    }
    let tested = s.touched.len() as u64;
    s.touched.clear();
    let mine = &mut out[first..];
    let slot = &s.slot;
    gather(plan, a, &s.want, |b, bucket, dt, idf, lead| {
        let p = &mut mine[slot[b as usize] as usize];
        p.idf[bucket] += idf;
        match lead {
            std::cmp::Ordering::Greater => p.a_first[bucket] += 1,
            std::cmp::Ordering::Less => p.b_first[bucket] += 1,
            std::cmp::Ordering::Equal => {}
        }
        p.dts.push(pack_dt(dt, bucket));
    });
    for p in mine.iter_mut() {
        s.want[p.b as usize / 64] = 0;
        p.dts.sort_unstable();
    }
    tested
}

/// Pass 1: counts per window bucket of every partner b > a, into `s.counts` and `s.touched`.
fn count_partners(plan: &Plan<'_>, a: u32, s: &mut Scratch) {
    let g = plan.graph;
    let nb = plan.sorted.len();
    let stamp = a + 1;
    for &like in g.account_likes(a) {
        let p = g.like_post(like);
        let t = g.like_time(like);
        let Some((lo, hi, widest)) = window_slice(plan, p, t, like) else {
            s.skipped_likes += 1;
            s.skipped_posts.push(p);
            continue;
        };
        for c in &mut s.capped[widest + 1..nb] {
            *c += 1;
        }
        s.max_slice = s.max_slice.max((hi - lo) as u64);
        let likers = &g.likers(p)[lo..hi];
        if plan.coarse {
            count_coarse(plan, a, like, lo, hi, widest, s);
            continue;
        }
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
        let times = &g.times(p)[lo..hi];
        for (&b, &tb) in likers.iter().zip(times) {
            if b <= a {
                continue;
            }
            let Some(bucket) = bucket_by_dt(plan, widest, (tb - t).abs()) else {
                continue;
            };
            s.count(b, bucket, nb, stamp);
        }
    }
    if nb == 1 && !plan.coarse {
        // Move the branch-free partner list into `touched`, dropping the sink.
        let sink = s.sink;
        s.counts[sink as usize] = 0;
        let n = s.n_touched;
        s.touched
            .extend(s.touched_buf[..n].iter().copied().filter(|&b| b != sink));
        s.n_touched = 0;
    }
}

/// The narrowest of the sorted windows up to `widest` that holds two likes `dt` apart.
#[inline]
fn bucket_by_dt(plan: &Plan<'_>, widest: usize, dt: i64) -> Option<usize> {
    plan.sorted[..=widest].iter().position(|w| w.contains(dt))
}

/// The bucket of a co-like when some times are coarse: the narrowest window that holds its
/// |Δt| and is at least as wide as both likes' time resolution (`own`, `theirs`: first
/// buckets of their resolutions), if that is within `widest`.
#[inline]
fn coarse_bucket(plan: &Plan<'_>, widest: usize, dt: i64, own: usize, theirs: usize) -> Option<usize> {
    let bucket = bucket_by_dt(plan, widest, dt)?.max(own).max(theirs);
    (bucket <= widest).then_some(bucket)
}

/// Pass 1 for one like when some times are coarse: a pair counts at the narrowest window that
/// holds its |Δt| and is at least as wide as both likes' time resolution.
fn count_coarse(plan: &Plan<'_>, a: u32, like: u32, lo: usize, hi: usize, widest: usize, s: &mut Scratch) {
    let g = plan.graph;
    let nb = plan.sorted.len();
    let p = g.like_post(like);
    let t = g.like_time(like);
    let own = plan.first_bucket[g.like_time_resolution(like) as usize];
    let start = g.post_range(p).start;
    let stamp = a + 1;
    for (i, (&b, &tb)) in g.likers(p)[lo..hi].iter().zip(&g.times(p)[lo..hi]).enumerate() {
        if b <= a {
            continue;
        }
        let theirs = plan.first_bucket[g.like_time_resolution((start + lo + i) as u32) as usize];
        let Some(bucket) = coarse_bucket(plan, widest, (tb - t).abs(), own, theirs) else {
            continue;
        };
        s.count(b, bucket, nb, stamp);
    }
}

/// Test a partner from its co-likes within each sorted window (`cumulative`) and the two
/// accounts' like counts: its best window (sorted index) and window-adjusted ln p, or `None`
/// when it is not reported (fewer than `min_colikes` in the widest window, or a p-value above
/// the report level).
pub(super) fn test_partner(
    tests: &Tests,
    cumulative: &[u32; MAX_WINDOWS],
    da: usize,
    db: usize,
) -> Option<(usize, f64)> {
    let nb = tests.nulls.len();
    if cumulative[nb - 1] < tests.min_colikes {
        return None;
    }
    let ln_windows = (nb as f64).ln();
    let (mut best, mut best_ln_p) = (0usize, f64::INFINITY);
    for (k, null) in tests.nulls.iter().enumerate() {
        let (c, lambda) = (cumulative[k] as u64, null.expected(da, db));
        // The p-value is at least P(X = c): when even that cannot be reported, skip the
        // incomplete gamma function (most partners of a wide window).
        let floor = null::ln_poisson_pmf(c, lambda);
        let unreportable = tests.report_ln_p < 0.0 && floor + ln_windows > tests.report_ln_p;
        if unreportable || floor >= best_ln_p {
            continue;
        }
        let ln_p = null::ln_pvalue(c, lambda);
        if ln_p < best_ln_p {
            (best, best_ln_p) = (k, ln_p);
        }
    }
    if !best_ln_p.is_finite() {
        return None;
    }
    let ln_p = (best_ln_p + ln_windows).min(0.0);
    (ln_p <= tests.report_ln_p).then_some((best, ln_p))
}

impl Tests {
    /// The user window (index in the order given) of a sorted window.
    pub fn best_user(&self, sorted: usize) -> u8 {
        self.user_to_sorted.iter().position(|&k| k == sorted).unwrap_or(0) as u8
    }
}

/// The user windows' counts from the sorted windows' cumulative counts.
pub(super) fn user_counts(tests: &Tests, cumulative: &[u32; MAX_WINDOWS]) -> [u32; MAX_WINDOWS] {
    let mut counts = [0u32; MAX_WINDOWS];
    for (u, &k) in tests.user_to_sorted.iter().enumerate() {
        counts[u] = cumulative[k];
    }
    counts
}

/// Test every touched partner at every window; returns the number of partners tested and the
/// reported ones (by account id).
fn judge_partners(plan: &Plan<'_>, a: u32, s: &mut Scratch) -> (u64, Vec<Partner>) {
    let nb = plan.sorted.len();
    let da = plan.graph.account_degree(a);
    let tested = s.touched.len() as u64;
    let mut reported = Vec::new();
    for &b in &s.touched {
        let slot = b as usize * nb;
        let mut cumulative = [0u32; MAX_WINDOWS];
        let mut running = 0u32;
        for (c, n) in cumulative.iter_mut().zip(&mut s.counts[slot..slot + nb]) {
            running += *n;
            *c = running;
            *n = 0;
        }
        let db = plan.graph.account_degree(b);
        let Some((best, ln_p)) = test_partner(&plan.tests, &cumulative, da, db) else {
            continue;
        };
        reported.push(Partner {
            b,
            counts: user_counts(&plan.tests, &cumulative),
            best,
            ln_p,
        });
    }
    s.touched.clear();
    reported.sort_unstable_by_key(|r| r.b);
    (tested, reported)
}

/// Pass 2 over account a's likes: every co-like with a wanted partner b > a (bit set in
/// `want`), with its bucket, |Δt|, the post's idf and who liked first (`Greater`: a did).
fn gather(
    plan: &Plan<'_>,
    a: u32,
    want: &[u64],
    mut f: impl FnMut(u32, usize, i64, f64, std::cmp::Ordering),
) {
    let g = plan.graph;
    for &like in g.account_likes(a) {
        let p = g.like_post(like);
        let t = g.like_time(like);
        let Some((lo, hi, widest)) = window_slice(plan, p, t, like) else {
            continue;
        };
        let idf = plan.idf[p as usize];
        let times = &g.times(p)[lo..hi];
        let likers = &g.likers(p)[lo..hi];
        let (own, start) = (
            plan.first_bucket[g.like_time_resolution(like) as usize],
            g.post_range(p).start,
        );
        for (i, (&b, &tb)) in likers.iter().zip(times).enumerate() {
            let bi = b as usize;
            if b <= a || want[bi / 64] & (1 << (bi % 64)) == 0 {
                continue;
            }
            let dt = (tb - t).abs();
            let bucket = if plan.coarse {
                let theirs = plan.first_bucket[g.like_time_resolution((start + lo + i) as u32) as usize];
                coarse_bucket(plan, widest, dt, own, theirs)
            } else {
                bucket_by_dt(plan, widest, dt)
            };
            let Some(bucket) = bucket else { continue };
            // Same time: neither leads. Otherwise the earlier like leads (positions are
            // distinct in logical time).
            f(b, bucket, dt, idf, tb.cmp(&t));
        }
    }
}

/// Pass 2 for reported partners: weights, leaders and Δt over each one's best window.
fn gather_details(plan: &Plan<'_>, a: u32, s: &mut Scratch) {
    let Scratch {
        want,
        best,
        idf,
        a_first,
        b_first,
        dts,
        ..
    } = s;
    gather(plan, a, want, |b, bucket, dt, w, lead| {
        let bi = b as usize;
        if bucket > best[bi] as usize {
            return;
        }
        idf[bi] += w;
        match lead {
            std::cmp::Ordering::Greater => a_first[bi] += 1,
            std::cmp::Ordering::Less => b_first[bi] += 1,
            std::cmp::Ordering::Equal => {}
        }
        dts.push((b, dt));
    });
}

/// The reported pairs of account a, in partner order; the scratch is reset.
fn emit(plan: &Plan<'_>, a: u32, s: &mut Scratch, reported: Vec<Partner>, out: &mut Vec<PairRecord>) {
    let g = plan.graph;
    s.dts.sort_unstable();
    let da = g.account_degree(a);
    let mut dt_cursor = 0usize;
    for r in reported {
        let bi = r.b as usize;
        s.want[bi / 64] = 0;
        while dt_cursor < s.dts.len() && s.dts[dt_cursor].0 < r.b {
            dt_cursor += 1;
        }
        let start = dt_cursor;
        while dt_cursor < s.dts.len() && s.dts[dt_cursor].0 == r.b {
            dt_cursor += 1;
        }
        let best_user = plan.tests.best_user(r.best);
        out.push(PairRecord {
            a,
            b: r.b,
            counts: r.counts,
            idf: s.idf[bi],
            a_first: s.a_first[bi],
            b_first: s.b_first[bi],
            median_dt: median_of_sorted(dt_cursor - start, |i| s.dts[start + i].1),
            expected: plan.tests.nulls[r.best].expected(da, g.account_degree(r.b)),
            ln_p: r.ln_p,
            best: best_user,
        });
        s.idf[bi] = 0.0;
        s.a_first[bi] = 0;
        s.b_first[bi] = 0;
    }
    s.dts.clear();
}

/// The range of post `p`'s likes within the widest window (sorted index) whose slice around
/// time `t` (the time of like `like`, one of `p`'s) holds at most `cap` likes, and that window;
/// `None` when even the narrowest window holds more.
///
/// The like's own position in the post is known (like ids are post-major), so both ends are
/// found by galloping outwards from it: O(log slice) probes near the like instead of a binary
/// search over the whole post.
#[inline]
fn window_slice(plan: &Plan<'_>, p: u32, t: i64, like: u32) -> Option<(usize, usize, usize)> {
    let range = plan.graph.post_range(p);
    let times = plan.graph.times(p);
    let pos = (like as usize)
        .saturating_sub(range.start)
        .min(times.len().saturating_sub(1));
    for (k, w) in plan.sorted.iter().enumerate().rev() {
        let (lo, hi) = match *w {
            Window::Infinite => (0, times.len()),
            Window::Span(w) => {
                let (from, to) = (t.saturating_sub(w), t.saturating_add(w));
                (gallop_down(times, pos, from), gallop_up(times, pos, to))
            }
        };
        if plan.cap == 0 || hi - lo <= plan.cap {
            return Some((lo, hi, k));
        }
    }
    None
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

/// The median of `n` values in ascending order, `at(i)` the i-th (NaN when there are none).
pub(super) fn median_of_sorted(n: usize, at: impl Fn(usize) -> i64) -> f64 {
    match n {
        0 => f64::NAN,
        n if n % 2 == 1 => at(n / 2) as f64,
        n => (at(n / 2 - 1) as f64 + at(n / 2) as f64) / 2.0,
    }
}
