//! Significance of co-like counts: a degree-preserving Poisson null and Benjamini–Hochberg.
//!
//! Null model (see `docs/method.md`): each post keeps its number of likers d_p and each account
//! its number of likes d_a; likers are drawn independently with probability proportional to
//! activity (the Chung–Lu approximation of the bipartite configuration model), so accounts a and
//! b both like post p with probability d_p(d_p − 1)·d_a·d_b / L², and, given that, fall within
//! the window W with the post's own share of like pairs within W, q_W(p). Summing over posts,
//!
//! λ_W(a, b) = d_a · d_b · 2·P_W / L²,  P_W = number of like pairs within W over all posts,
//!
//! and the co-like count is approximately Poisson(λ_W). A pair is only tested once it has at
//! least one co-like, so its p-value is conditional on that: P(X ≥ k | X ≥ 1).
//!
//! Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate", JRSS B 57(1).

use super::Window;
use crate::graph::LikeGraph;
use rayon::prelude::*;
use statrs::function::gamma::{gamma_lr, ln_gamma};

/// The constants of the null model for one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NullModel {
    /// Total likes L.
    pub likes: f64,
    /// Like pairs within the window over all posts, P_W.
    pub pairs_within: f64,
}

impl NullModel {
    /// Count P_W exactly with a two-pointer sweep over each post's sorted times.
    pub fn fit(graph: &LikeGraph, window: Window) -> Self {
        Self::from_pairs_per_post(graph, &pairs_per_post(graph, window))
    }

    /// The model from already counted like pairs within the window of each post.
    pub fn from_pairs_per_post(graph: &LikeGraph, pairs: &[u64]) -> Self {
        Self::from_pairs(graph, pairs.iter().sum::<u64>() as f64)
    }

    /// The model from P_W, the like pairs within the window over all posts.
    pub fn from_pairs(graph: &LikeGraph, pairs_within: f64) -> Self {
        NullModel {
            likes: graph.n_likes() as f64,
            pairs_within,
        }
    }

    /// Expected co-likes λ of two accounts with `da` and `db` likes.
    #[inline]
    pub fn expected(&self, da: usize, db: usize) -> f64 {
        if self.likes == 0.0 {
            return 0.0;
        }
        (da as f64) * (db as f64) * 2.0 * self.pairs_within / (self.likes * self.likes)
    }
}

/// What the sweep counts, window by window: like pairs within each (sorted) window whose first
/// like's slice at that window holds at most `cap` likes (0 = any), summed over posts (P_W of
/// each window's null model), and the number of likes each post's slices hold at the widest
/// window counted (the work of the sweep).
///
/// A like whose slice is too large at a window is counted at the narrower windows only, so a
/// pair of likes |Δt| apart counts when its first like is allowed at the narrowest window
/// holding |Δt|. The sweep counts a pair from the account with the smaller id; here each like
/// counts half of its partners, which is the same in expectation.
pub fn counted_pairs(graph: &LikeGraph, sorted: &[Window], cap: usize) -> (Vec<f64>, Vec<u64>) {
    let per_post: Vec<PostCounts> = (0..graph.n_posts() as u32)
        .into_par_iter()
        .map(|p| counted_pairs_of_post(graph.times(p), sorted, cap))
        .collect();
    let mut twice = vec![0u64; sorted.len()];
    let mut work = Vec::with_capacity(per_post.len());
    for c in per_post {
        for (acc, x) in twice.iter_mut().zip(c.twice) {
            *acc += x;
        }
        work.push(c.work);
    }
    (twice.into_iter().map(|x| x as f64 / 2.0).collect(), work)
}

/// What one post's likes give the null model and the giant-post report, for each (sorted)
/// window: what [`counted_pairs`] sums, and what the sweep's guard skips and caps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostCounts {
    /// Twice the like pairs counted within each window.
    pub twice: Vec<u64>,
    /// Likes in the slices at each like's widest counted window (the work of the sweep).
    pub work: u64,
    /// Likes whose slice holds more than the cap even at the narrowest window.
    pub skipped_likes: u64,
    /// Likes not counted at each window because their slice there held more than the cap.
    pub capped: Vec<u64>,
    /// Largest slice enumerated.
    pub max_slice: u64,
}

impl PostCounts {
    /// Add another post's (or batch's) counts.
    pub fn add(&mut self, other: &PostCounts) {
        let grow = |v: &mut Vec<u64>, n: usize| v.resize(v.len().max(n), 0);
        grow(&mut self.twice, other.twice.len());
        grow(&mut self.capped, other.capped.len());
        for (a, b) in self.twice.iter_mut().zip(&other.twice) {
            *a += b;
        }
        for (a, b) in self.capped.iter_mut().zip(&other.capped) {
            *a += b;
        }
        self.work += other.work;
        self.skipped_likes += other.skipped_likes;
        self.max_slice = self.max_slice.max(other.max_slice);
    }
}

/// [`counted_pairs`] for one post's sorted times: twice the counted pairs per window, the
/// likes in the counted slices, and what the giant-post guard skips and caps.
pub fn counted_pairs_of_post(times: &[i64], sorted: &[Window], cap: usize) -> PostCounts {
    // slice[k][i]: likes within window k of like i (itself included).
    let slices: Vec<Vec<u64>> = sorted.iter().map(|&w| slice_sizes(times, w)).collect();
    let mut out = PostCounts {
        twice: vec![0; sorted.len()],
        capped: vec![0; sorted.len()],
        ..PostCounts::default()
    };
    for (i, _) in times.iter().enumerate() {
        let size = |k: usize| slices[k][i];
        let widest = (0..sorted.len())
            .rev()
            .find(|&k| cap == 0 || size(k) as usize <= cap);
        let Some(widest) = widest else {
            out.skipped_likes += 1;
            continue;
        };
        out.work += size(widest);
        out.max_slice = out.max_slice.max(size(widest));
        for c in &mut out.capped[widest + 1..] {
            *c += 1;
        }
        for (j, acc) in out.twice.iter_mut().enumerate() {
            *acc += size(j.min(widest)) - 1;
        }
    }
    out
}

/// For each like of a post (sorted times), the number of its likes within `window` of it,
/// itself included (two pointers).
fn slice_sizes(times: &[i64], window: Window) -> Vec<u64> {
    let n = times.len();
    match window {
        Window::Infinite => vec![n as u64; n],
        Window::Span(w) => {
            let (mut lo, mut hi) = (0usize, 0usize);
            (0..n)
                .map(|i| {
                    while times[i] - times[lo] > w {
                        lo += 1;
                    }
                    if hi < i {
                        hi = i;
                    }
                    while hi + 1 < n && times[hi + 1] - times[i] <= w {
                        hi += 1;
                    }
                    (hi + 1 - lo) as u64
                })
                .collect()
        }
    }
}

/// Like pairs within `window` of each post (the work of enumerating them, and P_W's terms).
pub fn pairs_per_post(graph: &LikeGraph, window: Window) -> Vec<u64> {
    (0..graph.n_posts() as u32)
        .into_par_iter()
        .map(|p| pairs_within_window(graph.times(p), window))
        .collect()
}

/// Number of pairs i < j with times[j] − times[i] ≤ window (times sorted ascending).
pub fn pairs_within_window(times: &[i64], window: Window) -> u64 {
    let n = times.len() as u64;
    match window {
        Window::Infinite => n * n.saturating_sub(1) / 2,
        Window::Span(w) => {
            let mut total = 0u64;
            let mut j = 0usize;
            for i in 0..times.len() {
                if j < i + 1 {
                    j = i + 1;
                }
                while j < times.len() && times[j] - times[i] <= w {
                    j += 1;
                }
                total += (j - i - 1) as u64;
            }
            total
        }
    }
}

/// ln P(X ≥ k) for X ~ Poisson(λ), accurate far into the tail (no underflow to −∞ before
/// about 10^−10^300).
pub fn ln_poisson_sf(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if lambda <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let kf = k as f64;
    // P(X ≥ k) = P(k, λ), the regularised lower incomplete gamma function.
    let direct = gamma_lr(kf, lambda);
    if direct > 1e-280 {
        return direct.ln();
    }
    // Deep tail (k ≫ λ): the first term times a fast-converging series.
    let ln_first = -lambda + kf * lambda.ln() - ln_gamma(kf + 1.0);
    let mut sum = 1.0f64;
    let mut term = 1.0f64;
    let mut j = 1.0f64;
    while j < 10_000.0 {
        term *= lambda / (kf + j);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
        j += 1.0;
    }
    ln_first + sum.ln()
}

/// ln P(X = k) for X ~ Poisson(λ): a lower bound of every tail P(X ≥ k), cheap to compute.
pub fn ln_poisson_pmf(k: u64, lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return if k == 0 { 0.0 } else { f64::NEG_INFINITY };
    }
    let kf = k as f64;
    -lambda + kf * lambda.ln() - ln_gamma(kf + 1.0)
}

/// ln of the conditional p-value P(X ≥ k | X ≥ 1) for X ~ Poisson(λ); 0 when k ≤ 1.
pub fn ln_pvalue(k: u64, lambda: f64) -> f64 {
    if k <= 1 {
        return 0.0;
    }
    if lambda <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let ln_at_least_one = (-(-lambda).exp_m1()).ln();
    (ln_poisson_sf(k, lambda) - ln_at_least_one).min(0.0)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in log space.
///
/// `ln_p` holds the reported pairs' ln p-values; `tested` is the number of hypotheses m (pairs
/// with at least one co-like), of which the unreported ones are treated as p = 1 (conservative).
/// Ties are ranked in input order, so the result is deterministic.
pub fn benjamini_hochberg_ln(ln_p: Vec<f64>, tested: u64) -> Vec<f64> {
    let mut values = ln_p;
    let m = tested.max(values.len() as u64);
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.par_sort_unstable_by(|&x, &y| values[x as usize].total_cmp(&values[y as usize]).then(x.cmp(&y)));
    // In place: each slot is read (its ln p) exactly once, then overwritten by its ln q.
    let mut scan = BhScan::new(m, 0.0);
    for (rank0, &idx) in order.iter().enumerate().rev() {
        let slot = &mut values[idx as usize];
        *slot = scan.step(rank0 as u64 + 1, *slot);
    }
    values
}

/// The Benjamini–Hochberg step-up scan, from the highest rank down: each ln p gets the
/// smallest ln(m·p/rank) at its rank or above (at most ln 1). A cluster job sorts the p-values,
/// scans each sorted chunk with the carry of the chunks after it, and gets the bits one machine
/// gets (ties get the same q-value in any order).
#[derive(Debug, Clone, Copy)]
pub struct BhScan {
    ln_m: f64,
    running: f64,
}

impl BhScan {
    /// A scan of `tested` hypotheses that starts with `carry`: the smallest candidate of the
    /// ranks above the first one scanned (0 = ln 1 when there are none).
    pub fn new(tested: u64, carry: f64) -> Self {
        BhScan {
            ln_m: (tested.max(1) as f64).ln(),
            running: carry.min(0.0),
        }
    }

    /// The ln q-value of `ln_p` at 1-based `rank`; call from the highest rank down.
    #[inline]
    pub fn step(&mut self, rank: u64, ln_p: f64) -> f64 {
        let candidate = self.ln_m + ln_p - (rank as f64).ln();
        self.running = self.running.min(candidate);
        self.running.min(0.0)
    }

    /// The carry for the ranks below the last one scanned.
    pub fn carry(&self) -> f64 {
        self.running
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{DiscreteCDF, Poisson};

    #[test]
    fn pairs_within_window_by_hand() {
        let t = [0, 5, 10, 100];
        assert_eq!(pairs_within_window(&t, Window::Span(5)), 2);
        assert_eq!(pairs_within_window(&t, Window::Span(10)), 3);
        assert_eq!(pairs_within_window(&t, Window::Span(0)), 0);
        assert_eq!(pairs_within_window(&t, Window::Infinite), 6);
        assert_eq!(pairs_within_window(&[3, 3, 3], Window::Span(0)), 3);
        assert_eq!(pairs_within_window(&[], Window::Infinite), 0);
    }

    #[test]
    fn counted_pairs_by_hand() {
        // One post, likes at 0, 5, 10, 100; windows 5 and ∞.
        let t = [0, 5, 10, 100];
        let sorted = [Window::Span(5), Window::Infinite];
        let p = counted_pairs_of_post(&t, &sorted, 0);
        // Within 5: (0,5), (5,10): 2 pairs; within ∞: 6 pairs. Twice each.
        assert_eq!(p.twice, vec![4, 12]);
        assert_eq!(p.work, 16);
        assert_eq!(
            (p.skipped_likes, p.max_slice, p.capped.clone()),
            (0, 4, vec![0, 0])
        );
        // Cap 3: every like's ∞-slice holds 4 likes, so ∞ falls back to 5 for each: the
        // slices at 5 hold 2, 3, 2, 1 likes.
        let capped = counted_pairs_of_post(&t, &sorted, 3);
        assert_eq!(capped.twice, vec![4, 4]);
        assert_eq!(capped.work, 8);
        assert_eq!((capped.capped.clone(), capped.max_slice), (vec![0, 4], 3));
        // Cap 1: only the lone like at 100 is counted (its slice at 5 holds 1); the other
        // three are skipped.
        let one = counted_pairs_of_post(&t, &sorted, 1);
        assert_eq!(
            (one.twice, one.skipped_likes, one.capped),
            (vec![0, 0], 3, vec![0, 1])
        );
        // Without a cap the counts agree with pairs_within_window.
        for w in [
            Window::Span(0),
            Window::Span(5),
            Window::Span(95),
            Window::Infinite,
        ] {
            let c = counted_pairs_of_post(&t, &[w], 0);
            assert_eq!(c.twice[0], 2 * pairs_within_window(&t, w));
        }
    }

    #[test]
    fn poisson_tail_matches_statrs_where_both_work() {
        for &(k, lambda) in &[(1u64, 0.5), (3, 0.5), (5, 2.0), (10, 3.0), (2, 10.0), (40, 1.0)] {
            let expected = Poisson::new(lambda).unwrap().sf(k - 1);
            let got = ln_poisson_sf(k, lambda).exp();
            assert!(
                (got - expected).abs() <= 1e-9 * expected.max(1e-300),
                "k={k} λ={lambda}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn deep_tail_stays_finite_and_monotone() {
        // λ = 1e-6, k = 60: P ≈ λ^60 / 60! ≈ 1e-360 / 8.3e81 — far below f64's range.
        let a = ln_poisson_sf(60, 1e-6);
        let b = ln_poisson_sf(61, 1e-6);
        assert!(a.is_finite() && b.is_finite());
        assert!(b < a);
        let by_hand = -1e-6 + 60.0 * (1e-6f64).ln() - ln_gamma(61.0);
        // The series adds ln(1 + λ/61 + …) ≈ 1.6e-8 to the first term.
        assert!((a - by_hand - 1e-6 / 61.0).abs() < 1e-12, "{a} vs {by_hand}");
    }

    #[test]
    fn conditional_pvalue() {
        assert_eq!(ln_pvalue(1, 0.3), 0.0);
        // P(X≥2 | X≥1) = (1 − e^−λ − λe^−λ) / (1 − e^−λ)
        let l: f64 = 0.3;
        let expected = (1.0 - (-l).exp() - l * (-l).exp()) / (1.0 - (-l).exp());
        assert!((ln_pvalue(2, l).exp() - expected).abs() < 1e-12);
    }

    #[test]
    fn bh_by_hand() {
        // p = 0.01, 0.04, 0.03, 0.5 with m = 4: sorted 0.01,0.03,0.04,0.5
        // raw m·p/rank: 0.04, 0.06, 0.0533, 0.5 → monotone: 0.04, 0.0533, 0.0533, 0.5
        let p = [0.01f64, 0.04, 0.03, 0.5];
        let ln_p: Vec<f64> = p.iter().map(|x| x.ln()).collect();
        let q: Vec<f64> = benjamini_hochberg_ln(ln_p.clone(), 4)
            .iter()
            .map(|x| x.exp())
            .collect();
        let expected = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.5];
        for (g, e) in q.iter().zip(expected) {
            assert!((g - e).abs() < 1e-12, "{q:?}");
        }
        // More tested hypotheses than reported: unreported count as p = 1.
        let q10: Vec<f64> = benjamini_hochberg_ln(ln_p.clone(), 10)
            .iter()
            .map(|x| x.exp())
            .collect();
        assert!((q10[0] - 0.1).abs() < 1e-12, "{q10:?}");
    }

    #[test]
    fn bh_in_chunks_equals_bh_at_once() {
        // A cluster job sorts, then scans its chunks from the last with the carry of the one
        // after: the same bits as one scan.
        let ln_p: Vec<f64> = [0.001f64, 0.2, 0.003, 0.003, 0.04, 0.9, 0.0004, 0.05, 0.05, 0.7]
            .iter()
            .map(|x| x.ln())
            .collect();
        let whole = benjamini_hochberg_ln(ln_p.clone(), 25);
        let mut sorted = ln_p.clone();
        sorted.sort_by(f64::total_cmp);
        let mut q = vec![0.0; sorted.len()];
        let mut carry = 0.0;
        for (start, end) in [(7usize, 10usize), (3, 7), (0, 3)] {
            let mut scan = BhScan::new(25, carry);
            for i in (start..end).rev() {
                q[i] = scan.step(i as u64 + 1, sorted[i]);
            }
            carry = scan.carry();
        }
        let mut expected: Vec<f64> = whole.clone();
        expected.sort_by(f64::total_cmp);
        assert_eq!(q, expected);
    }

    #[test]
    fn expected_sums_to_observed_pairs() {
        // Two accounts of degree 2 each, L = 4 likes, 2 posts each liked by both: P_inf = 2.
        let m = NullModel {
            likes: 4.0,
            pairs_within: 2.0,
        };
        assert!((m.expected(2, 2) - 2.0 * 2.0 * 2.0 * 2.0 / 16.0).abs() < 1e-12);
    }
}
