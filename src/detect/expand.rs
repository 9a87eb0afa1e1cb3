//! Expansion of a coordinated cluster by its bursts: accounts too quiet to form significant
//! pairs (a bot with five likes) but whose likes on the cluster's posts keep landing inside the
//! cluster's bursts.
//!
//! For each block post the burst is the span of the members' likes on it (10th to 90th
//! percentile, padded). A candidate is any other account that liked at least two block posts.
//! The test conditions on which posts the candidate liked and asks only about *when*: under the
//! null a like on post p comes at a delay after the post's first like drawn from the delays of
//! all likes in the data (pooled, so a handful of quiet bots cannot make each other look
//! normal), so it falls inside the burst with probability q_p = F(end − t₀) − F(start − t₀).
//! Hits are then a sum of independent Bernoulli(q_p): a Poisson-binomial variable, whose upper
//! tail is computed exactly. A burst right after publication (where fans react too) has a large
//! q_p; a burst eight hours later a tiny one. Candidates are accepted by
//! Benjamini–Hochberg at the run's FDR, and only if almost all (≥ 80 %) of their block likes are
//! hits — fans who sometimes react early do not qualify.

use crate::clock::Clock;
use crate::graph::LikeGraph;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, DiscreteCDF};
use statrs::statistics::{Data, OrderStatistics};
use std::collections::{BTreeMap, HashSet};

/// Parameters of the expansion (in the tree: `detect.expand`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExpandParams {
    /// Recruit quiet accounts into coordinated clusters at all.
    pub enabled: bool,
    /// Share of a candidate's block likes that must fall inside bursts: a bot of the pool is
    /// inside (nearly) every time; a fan who sometimes reacts early is not.
    pub min_hit_share: f64,
    /// Fewest hits: one hit is a coincidence.
    pub min_hits: usize,
    /// Padding of each burst, as a share of its width: delivery stragglers.
    pub pad_share: f64,
    /// Smallest padding, seconds (positions in logical time).
    pub min_pad_seconds: f64,
    /// The burst of a post spans these percentiles of the members' like times (the outer 10 %
    /// on each side are stragglers).
    pub burst_percentiles: (usize, usize),
    /// Rounds of the accounts ↔ posts alternation (it stops earlier when nothing changes).
    pub rounds: usize,
    /// Fewest members on a post outside the block for it to be tested as one more burst.
    pub min_burst_members: usize,
    /// At most this many like delays are kept for the pooled delay distribution (every k-th
    /// like): a million gives quantiles to 0.1 %.
    pub max_delays: usize,
}

impl Default for ExpandParams {
    fn default() -> Self {
        ExpandParams {
            enabled: true,
            min_hit_share: 0.8,
            min_hits: 2,
            pad_share: 0.25,
            min_pad_seconds: 30.0,
            burst_percentiles: (10, 90),
            rounds: 3,
            min_burst_members: 3,
            max_delays: 1_000_000,
        }
    }
}

impl ExpandParams {
    /// The expansion for a run: the padding in clock units, the run's FDR, timing alone.
    pub fn resolve(&self, clock: Clock, fdr: f64) -> Expansion {
        Expansion {
            params: self.clone(),
            fdr,
            min_pad: clock.units(self.min_pad_seconds).round().max(1.0) as i64,
            with_participation: false,
        }
    }
}

/// An expansion resolved for a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    /// The tuning numbers.
    pub params: ExpandParams,
    /// False discovery rate for accepting candidates and posts.
    pub fdr: f64,
    /// Smallest padding in clock units.
    pub min_pad: i64,
    /// Test recruits on timing and participation combined (Fisher) instead of timing alone:
    /// for bursts that open at publication (a subscription's deliveries), where most organic
    /// likes arrive too and timing alone cannot single out a quiet pool member.
    pub with_participation: bool,
}

/// An account added to a cluster, with its evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Recruit {
    /// Account id.
    pub account: u32,
    /// Block posts it liked inside the burst.
    pub hits: usize,
    /// Block posts it liked.
    pub tries: usize,
    /// P(at least `hits` hits) under the timing null.
    pub timing_pvalue: f64,
    /// P(at least `tries` of the account's likes on the block posts) under the participation
    /// null: each like lands on a post in proportion to the post's likes.
    pub participation_pvalue: f64,
    /// The recruit test's p-value: the timing p-value, or with
    /// [`Expansion::with_participation`] both combined by Fisher's method.
    pub pvalue: f64,
}

/// Degrees of freedom of Fisher's statistic for two p-values (2k, k = 2).
const FISHER_DEGREES: f64 = 4.0;

/// Fisher's combination of two independent p-values: P(χ²₄ ≥ −2 ln(p₁p₂)).
fn fisher(p1: f64, p2: f64) -> f64 {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let x = -2.0 * (p1.max(f64::MIN_POSITIVE).ln() + p2.max(f64::MIN_POSITIVE).ln());
    ChiSquared::new(FISHER_DEGREES).map(|c| c.sf(x)).unwrap_or(1.0)
}

/// The empirical distribution of like delays (time after the post's first like), pooled over
/// the whole data set; at most `max_delays` are kept (every k-th like, deterministic).
#[derive(Debug, Clone)]
pub struct DelayCdf {
    sorted: Vec<i64>,
    /// One delay kept in this many.
    stride: usize,
}

impl DelayCdf {
    /// Collect the delays of `graph`.
    pub fn build(graph: &LikeGraph, max_delays: usize) -> Self {
        Self::collect(graph, max_delays, false)
    }

    /// Collect the delays of `graph` after each post's origin (its first like, at delay 0 by
    /// definition): the curve a like that is not the first follows. A curve with the origins
    /// in would put one like per post at delay 0 whatever happens after, so that "within a
    /// minute of the first like" looks likely in any data set of small posts.
    pub fn after_origins(graph: &LikeGraph, max_delays: usize) -> Self {
        Self::collect(graph, max_delays, true)
    }

    fn collect(graph: &LikeGraph, max_delays: usize, skip_origins: bool) -> Self {
        let stride = (graph.n_likes() / max_delays.max(1)).max(1);
        let mut sorted = Vec::with_capacity(graph.n_likes() / stride + 1);
        let mut i = 0usize;
        for p in 0..graph.n_posts() as u32 {
            let Some(t0) = graph.post_start(p) else { continue };
            for (_, t) in graph.fine_likes(p).skip(usize::from(skip_origins)) {
                if i.is_multiple_of(stride) {
                    sorted.push(t - t0);
                }
                i += 1;
            }
        }
        sorted.sort_unstable();
        DelayCdf { sorted, stride }
    }

    /// Probability that a like's delay falls in [lo, hi], at least 1/(n + 1).
    pub fn prob(&self, lo: i64, hi: i64) -> f64 {
        self.prob_without(lo, hi, &[])
    }

    /// The same with the delays `left_out` (sorted; a group's own likes) taken out of the
    /// curve, so that a group is never its own reference (in a small data set one group's
    /// likes can be most of the curve). With a sampled curve the left-out counts are scaled
    /// by the sampling stride.
    pub fn prob_without(&self, lo: i64, hi: i64, left_out: &[i64]) -> f64 {
        let count = |v: &[i64]| {
            let inside = v
                .partition_point(|&d| d <= hi)
                .saturating_sub(v.partition_point(|&d| d < lo));
            (inside as f64, v.len() as f64)
        };
        let (k, n) = count(&self.sorted);
        let (k_out, n_out) = count(left_out);
        let stride = self.stride as f64;
        let n = (n - n_out / stride).max(0.0);
        let k = (k - k_out / stride).clamp(0.0, n);
        (k / n.max(1.0)).max(1.0 / (n + 1.0))
    }
}

/// The burst window of a post: the 10th–90th percentile span of the given like times, padded
/// by `pad_share` of its width (at least `min_pad`).
fn burst_window(times: Vec<f64>, params: &Expansion) -> (i64, i64) {
    let mut data = Data::new(times);
    let (low, high) = params.params.burst_percentiles;
    let (lo, hi) = (data.percentile(low), data.percentile(high));
    let pad = (((hi - lo) * params.params.pad_share).round() as i64).max(params.min_pad);
    (lo.floor() as i64 - pad, hi.ceil() as i64 + pad)
}

/// Indices of the p-values accepted by Benjamini–Hochberg at `fdr`, smallest p first (ties in
/// input order).
pub(crate) fn bh_accepted(pvalues: &[f64], fdr: f64) -> Vec<usize> {
    let m = pvalues.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| pvalues[x].total_cmp(&pvalues[y]).then(x.cmp(&y)));
    let mut cutoff = 0usize;
    for (rank, &i) in order.iter().enumerate() {
        if pvalues[i] * m as f64 / (rank + 1) as f64 <= fdr {
            cutoff = rank + 1;
        }
    }
    order.truncate(cutoff);
    order
}

/// Upper tail P(X ≥ k) of a Poisson-binomial variable with success probabilities `p`.
pub fn poisson_binomial_sf(p: &[f64], k: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > p.len() {
        return 0.0;
    }
    // dist[j] = P(j successes so far), by dynamic programming over the trials.
    let mut dist = vec![0.0f64; p.len() + 1];
    dist[0] = 1.0;
    for (i, &q) in p.iter().enumerate() {
        let q = q.clamp(0.0, 1.0);
        for j in (0..=i + 1).rev() {
            let stay = dist[j] * (1.0 - q);
            let come = if j > 0 { dist[j - 1] * q } else { 0.0 };
            dist[j] = stay + come;
        }
    }
    dist[k..].iter().sum::<f64>().min(1.0)
}

/// Posts outside `posts` where the members' likes form their own burst: the other orders of
/// a farm whose core was found on some of them (CopyCatch's alternation between accounts and
/// posts, Beutel et al. 2013, with a test instead of a fixed threshold).
///
/// A post qualifies when at least three members liked it and their likes fall inside their
/// burst window (as in [`expand`]) far more often than the post's other likes do: hits are
/// binomial with the share of non-member likes on that post inside the window as the null
/// rate (so a post everyone likes at the same moment, viral or fan-driven, cannot qualify).
/// Posts are accepted by Benjamini–Hochberg at `params.fdr`. Sorted by id.
pub fn grow_posts(graph: &LikeGraph, members: &[u32], posts: &[u32], params: &Expansion) -> Vec<u32> {
    let member_set: HashSet<u32> = members.iter().copied().collect();
    let known: HashSet<u32> = posts.iter().copied().collect();
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for &a in members {
        for &like in graph.account_likes(a) {
            let p = graph.like_post(like);
            if !known.contains(&p) {
                *seen.entry(p).or_default() += 1;
            }
        }
    }
    let mut tested: Vec<(u32, f64)> = Vec::new();
    for (&p, &n_members) in &seen {
        if n_members < params.params.min_burst_members {
            continue;
        }
        let (mut inside, mut outside) = (Vec::new(), 0usize);
        let mut member_times: Vec<f64> = Vec::with_capacity(n_members);
        for (a, t) in graph.fine_likes(p) {
            if member_set.contains(&a) {
                member_times.push(t as f64);
            } else {
                inside.push(t);
                outside += 1;
            }
        }
        let (lo, hi) = burst_window(member_times.clone(), params);
        let hits = member_times
            .iter()
            .filter(|&&t| (lo as f64..=hi as f64).contains(&t))
            .count();
        let others_in = inside.iter().filter(|&&t| (lo..=hi).contains(&t)).count();
        // Laplace-smoothed null rate: a post with few other likes gives little evidence.
        let rate = (others_in as f64 + 1.0) / (outside as f64 + 2.0);
        let pvalue = Binomial::new(rate, member_times.len() as u64)
            .map(|b| b.sf(hits.saturating_sub(1) as u64))
            .unwrap_or(1.0);
        if hits as f64 >= params.params.min_hit_share * member_times.len() as f64 {
            tested.push((p, pvalue));
        } else {
            tested.push((p, 1.0));
        }
    }
    let pvalues: Vec<f64> = tested.iter().map(|t| t.1).collect();
    let mut grown: Vec<u32> = bh_accepted(&pvalues, params.fdr)
        .into_iter()
        .map(|i| tested[i].0)
        .collect();
    grown.sort_unstable();
    grown
}

/// [`expand`] alternated with [`grow_posts`]: recruits found on the block's posts and on the
/// members' other bursts, then again with the recruits as members, until nothing changes (at
/// most three rounds). Returns all recruits, sorted by account id, and the burst posts the
/// search ended on (ascending): its candidates are likers of those posts only, so an account
/// that liked none of them cannot change the result, whether it is `excluded` or not.
pub fn expand_alternating(
    graph: &LikeGraph,
    delays: &DelayCdf,
    members: &[u32],
    posts: &[u32],
    excluded: &HashSet<u32>,
    params: &Expansion,
) -> (Vec<Recruit>, Vec<u32>) {
    let mut current: Vec<u32> = members.to_vec();
    let mut burst_posts: Vec<u32> = posts.to_vec();
    let mut recruits: Vec<Recruit> = Vec::new();
    for _ in 0..params.params.rounds {
        burst_posts.extend(grow_posts(graph, &current, &burst_posts, params));
        burst_posts.sort_unstable();
        burst_posts.dedup();
        let found = expand(graph, delays, &current, &burst_posts, excluded, params);
        if found.is_empty() {
            break;
        }
        current.extend(found.iter().map(|r| r.account));
        current.sort_unstable();
        recruits.extend(found);
    }
    recruits.sort_by_key(|r| r.account);
    (recruits, burst_posts)
}

/// Find accounts to add to a cluster. `excluded` accounts (members of any cluster) are never
/// candidates. Returns recruits sorted by account id.
pub fn expand(
    graph: &LikeGraph,
    delays: &DelayCdf,
    members: &[u32],
    posts: &[u32],
    excluded: &HashSet<u32>,
    params: &Expansion,
) -> Vec<Recruit> {
    let member_set: HashSet<u32> = members.iter().copied().collect();
    // Burst window of each block post, from the members' like times.
    let mut windows: BTreeMap<u32, (i64, i64)> = BTreeMap::new();
    for &p in posts {
        let times: Vec<f64> = graph
            .fine_likes(p)
            .filter(|(a, _)| member_set.contains(a))
            .map(|(_, t)| t as f64)
            .collect();
        if times.len() < 2 {
            continue;
        }
        windows.insert(p, burst_window(times, params));
    }
    // Each candidate's tries and hits, and the null probability of a hit on each post.
    let mut q: BTreeMap<u32, f64> = BTreeMap::new();
    let mut per_candidate: BTreeMap<u32, Vec<(u32, bool)>> = BTreeMap::new();
    for (&p, &(lo, hi)) in &windows {
        let t0 = graph.post_start(p).unwrap_or(lo);
        q.insert(p, delays.prob(lo - t0, hi - t0));
        for (a, t) in graph.fine_likes(p) {
            if member_set.contains(&a) || excluded.contains(&a) {
                continue;
            }
            per_candidate
                .entry(a)
                .or_default()
                .push((p, (lo..=hi).contains(&t)));
        }
    }
    // Participation null: a like lands on the block with the block's share of all likes.
    let block_share = (windows.keys().map(|&p| graph.post_degree(p) as f64).sum::<f64>()
        / graph.n_likes().max(1) as f64)
        .min(1.0);
    let mut tested: Vec<Recruit> = Vec::new();
    for (a, likes) in per_candidate {
        if likes.len() < 2 {
            continue;
        }
        let hits = likes.iter().filter(|(_, h)| *h).count();
        let probs: Vec<f64> = likes.iter().map(|(p, _)| q[p]).collect();
        let timing_pvalue = poisson_binomial_sf(&probs, hits);
        let participation_pvalue = Binomial::new(block_share, graph.account_degree(a) as u64)
            .map(|b| b.sf(likes.len() as u64 - 1))
            .unwrap_or(1.0);
        tested.push(Recruit {
            account: a,
            hits,
            tries: likes.len(),
            timing_pvalue,
            participation_pvalue,
            pvalue: if params.with_participation {
                fisher(timing_pvalue, participation_pvalue)
            } else {
                timing_pvalue
            },
        });
    }
    // Benjamini–Hochberg over all tested candidates.
    let pvalues: Vec<f64> = tested.iter().map(|r| r.pvalue).collect();
    let mut accepted: Vec<Recruit> = bh_accepted(&pvalues, params.fdr)
        .into_iter()
        .map(|i| tested[i].clone())
        .filter(|r| {
            r.hits >= params.params.min_hits && r.hits as f64 >= params.params.min_hit_share * r.tries as f64
        })
        .collect();
    accepted.sort_by_key(|r| r.account);
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Clock;

    #[test]
    fn poisson_binomial_by_hand() {
        // Two trials with p = 0.5 and 0.2: P(X ≥ 1) = 1 − 0.5·0.8 = 0.6, P(X ≥ 2) = 0.1.
        assert!((poisson_binomial_sf(&[0.5, 0.2], 1) - 0.6).abs() < 1e-12);
        assert!((poisson_binomial_sf(&[0.5, 0.2], 2) - 0.1).abs() < 1e-12);
        assert_eq!(poisson_binomial_sf(&[0.5, 0.2], 3), 0.0);
        assert_eq!(poisson_binomial_sf(&[0.5], 0), 1.0);
        // Equal probabilities give the binomial: P(X ≥ 2 | n = 3, p = 0.1) = 3·0.01·0.9 + 0.001.
        assert!((poisson_binomial_sf(&[0.1; 3], 2) - 0.028).abs() < 1e-12);
    }

    fn graph(likes: &[(u32, u32, i64)], n_accounts: usize, n_posts: usize) -> LikeGraph {
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, likes)
    }

    #[test]
    fn delay_cdf_by_hand() {
        // Post 0: likes at 0, 10, 20 → delays 0, 10, 20. Post 1: 5, 105 → delays 0, 100.
        let g = graph(&[(0, 0, 0), (1, 0, 10), (2, 0, 20), (0, 1, 5), (1, 1, 105)], 3, 2);
        let cdf = DelayCdf::build(&g, ExpandParams::default().max_delays);
        assert_eq!(cdf.prob(0, 0), 0.4);
        assert_eq!(cdf.prob(5, 50), 0.4);
        assert_eq!(cdf.prob(1000, 2000), 1.0 / 6.0);
    }

    #[test]
    fn a_quiet_bot_inside_every_burst_joins_and_an_early_fan_does_not() {
        // Six posts published at k·10^9 ms (first like by an organic account). Members 0..5 like
        // each in an order burst (10 s apart) 4 + k hours after publication. Account 5 (quiet
        // bot) likes 4 of those posts inside the bursts. Account 6 likes all 6 posts, 3 inside
        // the bursts and 3 a day later. 200 organic accounts like each post at scattered hours.
        let mut likes = Vec::new();
        for p in 0..6u32 {
            let t0 = p as i64 * 1_000_000_000;
            let burst = t0 + (4 + p as i64) * 3_600_000;
            for m in 0..5u32 {
                likes.push((m, p, burst + m as i64 * 10_000));
            }
            if p < 4 {
                likes.push((5, p, burst + 25_000));
            }
            likes.push((
                6,
                p,
                if p % 2 == 0 {
                    burst + 5_000
                } else {
                    t0 + 86_400_000
                },
            ));
            for o in 7..207u32 {
                likes.push((o, p, t0 + 60_000 * ((o as i64 * 37 + p as i64 * 11) % 2_880)));
            }
        }
        let g = graph(&likes, 207, 6);
        let params = ExpandParams::default().resolve(Clock::Timestamps, 0.01);
        let delays = DelayCdf::build(&g, ExpandParams::default().max_delays);
        let members = [0, 1, 2, 3, 4];
        let posts = [0, 1, 2, 3, 4, 5];
        let recruits = expand(&g, &delays, &members, &posts, &HashSet::new(), &params);
        let accounts: Vec<u32> = recruits.iter().map(|r| r.account).collect();
        assert_eq!(accounts, vec![5]);
        assert_eq!((recruits[0].hits, recruits[0].tries), (4, 4));
        assert!(recruits[0].pvalue < 1e-5, "{}", recruits[0].pvalue);
        // Excluded accounts are never recruited.
        let excluded: HashSet<u32> = [5].into_iter().collect();
        assert!(expand(&g, &delays, &members, &posts, &excluded, &params).is_empty());
    }

    #[test]
    fn a_quiet_pool_member_of_prompt_deliveries_needs_the_participation_test() {
        // Eight client posts published 10^8 ms apart (first like at publication). Members 0..5
        // like each 2–42 min after publication, as a subscription delivers. Account 5, a quiet
        // pool member, likes posts 0–3 at 5 min and three background posts. 200 organic
        // accounts like one client post each, spread over the first two hours (so a like inside
        // the deliveries is common: timing alone is weak), and 20 of 100 background posts over
        // the 200 min after they appear.
        // Account 206 likes posts 0 and 1 inside the deliveries, and 40 background posts.
        let mut likes = Vec::new();
        for p in 0..8u32 {
            let t0 = p as i64 * 100_000_000;
            for m in 0..5u32 {
                likes.push((m, p, t0 + 120_000 + m as i64 * 600_000));
            }
            if p < 4 {
                likes.push((5, p, t0 + 300_000));
            }
            if p < 2 {
                likes.push((206, p, t0 + 400_000));
            }
        }
        for o in 6..206u32 {
            let p = o % 8;
            likes.push((o, p, p as i64 * 100_000_000 + 60_000 * ((o as i64 * 37) % 120)));
            for k in 0..20u32 {
                let b = 8 + (o * 7 + k * 13) % 100;
                likes.push((o, b, 1_000_000_000 + b as i64 * 100_000_000 + o as i64 * 60_000));
            }
        }
        for k in 0..3u32 {
            likes.push((
                5,
                8 + k * 31,
                1_000_000_000 + (8 + k as i64 * 31) * 100_000_000 + 7,
            ));
        }
        for k in 0..40u32 {
            likes.push((
                206,
                8 + k * 2,
                1_000_000_000 + (8 + k as i64 * 2) * 100_000_000 + 9,
            ));
        }
        let g = graph(&likes, 207, 108);
        let delays = DelayCdf::build(&g, ExpandParams::default().max_delays);
        let members = [0, 1, 2, 3, 4];
        let posts: Vec<u32> = (0..8).collect();
        let timing_only = ExpandParams::default().resolve(Clock::Timestamps, 0.01);
        assert!(expand(&g, &delays, &members, &posts, &HashSet::new(), &timing_only).is_empty());
        let both = Expansion {
            with_participation: true,
            ..timing_only
        };
        let recruits = expand(&g, &delays, &members, &posts, &HashSet::new(), &both);
        let accounts: Vec<u32> = recruits.iter().map(|r| r.account).collect();
        assert_eq!(accounts, vec![5], "{recruits:?}");
        let r = &recruits[0];
        assert_eq!((r.hits, r.tries), (4, 4));
        assert!(r.timing_pvalue > 0.005, "{r:?}");
        assert!(r.participation_pvalue < 1e-3, "{r:?}");
        // Two independent pieces of evidence together are stronger than either.
        assert!(r.pvalue < r.participation_pvalue.min(r.timing_pvalue), "{r:?}");
    }

    #[test]
    fn fisher_by_hand() {
        // −2 ln(p₁p₂) = 2 ln 100 for p₁ = p₂ = 0.1; χ²₄ sf(x) = e^(−x/2)(1 + x/2) = 0.01(1 + ln 100).
        let expected = 0.01 * (1.0 + 100f64.ln());
        assert!((fisher(0.1, 0.1) - expected).abs() < 1e-12);
        assert!((fisher(1.0, 1.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn other_bursts_of_the_members_are_found_and_a_shared_viral_moment_is_not() {
        // Posts 0..4: the known block, members 0..5 like each in a burst 5 h after publication.
        // Post 4: members 0..4 like it in a burst 6 h after publication (another order), with
        // account 5 (a quiet bot liking only posts 4 and 5 inside their bursts).
        // Post 5: members 1..5 in a burst 7 h after publication, with account 5.
        // Post 6: members 0..5 like it at publication, together with all 200 organic accounts
        // (a viral moment). Organic accounts like posts 0..5 at scattered minutes over two days.
        let mut likes = Vec::new();
        for p in 0..7u32 {
            let t0 = p as i64 * 1_000_000_000;
            let (burst, who): (i64, Vec<u32>) = match p {
                0..=3 => (t0 + 5 * 3_600_000, (0..5).collect()),
                4 => (t0 + 6 * 3_600_000, (0..4).collect()),
                5 => (t0 + 7 * 3_600_000, (1..5).collect()),
                _ => (t0 + 1_000, (0..5).collect()),
            };
            for (i, &m) in who.iter().enumerate() {
                likes.push((m, p, burst + i as i64 * 10_000));
            }
            if p == 4 || p == 5 {
                likes.push((5, p, burst + 45_000));
            }
            for o in 6..206u32 {
                let t = if p == 6 {
                    t0 + 500 + o as i64 * 10
                } else {
                    t0 + 60_000 * ((o as i64 * 37 + p as i64 * 11) % 2_880)
                };
                likes.push((o, p, t));
            }
        }
        let g = graph(&likes, 206, 7);
        let params = ExpandParams::default().resolve(Clock::Timestamps, 0.01);
        let members = [0, 1, 2, 3, 4];
        let block = [0, 1, 2, 3];
        assert_eq!(grow_posts(&g, &members, &block, &params), vec![4, 5]);
        // Known posts are never returned again; too few members is no burst.
        assert_eq!(
            grow_posts(&g, &members, &[0, 1, 2, 3, 4, 5], &params),
            Vec::<u32>::new()
        );
        assert_eq!(grow_posts(&g, &[0, 1], &block, &params), Vec::<u32>::new());
        // The quiet bot never liked a block post: plain expansion cannot see it, alternation can.
        let delays = DelayCdf::build(&g, ExpandParams::default().max_delays);
        assert!(expand(&g, &delays, &members, &block, &HashSet::new(), &params).is_empty());
        let (recruits, _) = expand_alternating(&g, &delays, &members, &block, &HashSet::new(), &params);
        let accounts: Vec<u32> = recruits.iter().map(|r| r.account).collect();
        assert_eq!(accounts, vec![5]);
        assert_eq!((recruits[0].hits, recruits[0].tries), (2, 2));
    }
}
