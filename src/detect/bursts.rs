//! Burst co-participation: groups too diffuse for pairwise co-likes, such as a farm whose
//! orders each use a small part of its pool.
//!
//! A post is *burst-dominated* when at least half of its likes (and at least `min_burst`)
//! arrive inside one window of the primary width — a like order delivered at once, not the
//! gradual response of an audience. The accounts inside the burst are its participants. A
//! burst is *late* when it starts at least one window after the post's first like: not the
//! reaction to publication that fans and small audiences produce. Accounts taking part in at
//! least two late bursts are linked to the other repeat participants of each, and Leiden on
//! that co-participation graph gives the seeds (connected components would chain two farms
//! through one shared burst); each seed of at least `min_accounts` then grows by alternation: every
//! burst (late or not) in which at least two of its accounts and `join_share` of the
//! participants are its own — or far more of them than the group's share of all likes predicts
//! (binomial tail below `join_alpha`, Bonferroni over the bursts: an order served by a slice of
//! the pool that the group holds only in part) — then the accounts that took part in at least
//! two of those more often than their own activity explains (binomial tail, BH), until stable.
//! Seeds that grow onto the same bursts (Jaccard ≥ ½) are joined and grown again together. The result is a candidate block: its accounts × the bursts they share. The idea is CopyCatch's
//! (Beutel et al., WWW 2013: accounts acting on the same pages inside the same short windows),
//! seeded by the posts rather than by accounts. Candidates must still pass the group-level
//! test and the type rules before anything is flagged.

use super::leiden;
use crate::clock::Clock;
use crate::graph::LikeGraph;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, DiscreteCDF};
use std::collections::{BTreeMap, HashSet};

/// Parameters of burst co-participation (in the tree: `detect.bursts`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurstParams {
    /// The burst window is the primary co-like window; with an unlimited window (no bursts
    /// there) this many seconds: an hour holds an order delivered at once.
    pub unlimited_window_seconds: f64,
    /// Fewest likes in a burst: fewer is two or three friends, not an order.
    pub min_burst: usize,
    /// Share of the post's likes the burst must hold: an order dominates the post's likes; an
    /// audience arrives gradually.
    pub min_share: f64,
    /// Fewest bursts an account must take part in to link others (one shared burst is chance).
    pub min_bursts_per_account: usize,
    /// A burst joins a group when at least this share of its participants are the group's (a
    /// majority), or when far more of them are than the group's share of all likes predicts.
    pub join_share: f64,
    /// Rounds of the accounts ↔ bursts alternation (it stops earlier when stable).
    pub rounds: usize,
    /// Fewest bursts in a group.
    pub min_posts: usize,
    /// Groups whose bursts overlap at least this much (Jaccard) are one group: more than half
    /// shared.
    pub same_bursts: f64,
}

impl Default for BurstParams {
    fn default() -> Self {
        BurstParams {
            unlimited_window_seconds: 3600.0,
            min_burst: 5,
            min_share: 0.5,
            min_bursts_per_account: 2,
            join_share: 0.5,
            rounds: 5,
            min_posts: 2,
            same_bursts: 0.5,
        }
    }
}

impl BurstParams {
    /// The search for a run: the burst `window` in clock units (the reference window, or
    /// `unlimited_window_seconds`), the run's FDR, the smallest group and the seed.
    pub fn resolve(
        &self,
        window: crate::colike::Window,
        clock: Clock,
        fdr: f64,
        min_accounts: usize,
        seed: u64,
    ) -> BurstSearch {
        BurstSearch {
            params: *self,
            window: match window {
                crate::colike::Window::Span(w) => w,
                crate::colike::Window::Infinite => clock.units(self.unlimited_window_seconds) as i64,
            },
            join_alpha: fdr,
            member_fdr: fdr,
            min_accounts,
            seed,
            max_linked: 0,
        }
    }
}

/// A burst search resolved for one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurstSearch {
    /// The tuning numbers.
    pub params: BurstParams,
    /// The burst window (clock units).
    pub window: i64,
    /// A burst joins when the group's participants in it have a binomial tail below this
    /// (Bonferroni over all bursts): the run's FDR.
    pub join_alpha: f64,
    /// False discovery rate of the per-account participation test (1 accepts every repeat
    /// participant): the run's FDR.
    pub member_fdr: f64,
    /// Smallest group returned.
    pub min_accounts: usize,
    /// Seed of Leiden on the repeat participants.
    pub seed: u64,
    /// A burst with more participants than this links none of them (0 = no limit): two
    /// accounts meeting among thousands of others at once is what strangers do, the co-like
    /// sweep's viral-moment cap (`colike.max_post_likers`), and the links would grow with the
    /// square of the burst.
    pub max_linked: usize,
}

impl Default for BurstSearch {
    /// The default parameters with a one-hour window (timestamps), FDR 1 %, groups of 3.
    fn default() -> Self {
        BurstParams::default().resolve(crate::colike::Window::Infinite, Clock::Timestamps, 0.01, 3, 0)
    }
}

/// One candidate group.
#[derive(Debug, Clone, PartialEq)]
pub struct BurstGroup {
    /// Accounts, ascending.
    pub accounts: Vec<u32>,
    /// Burst-dominated posts where at least two of them took part, ascending.
    pub posts: Vec<u32>,
}

/// The densest window of `times` (sorted): (start index, end index exclusive).
fn densest(times: &[i64], window: i64) -> (usize, usize) {
    let (mut best, mut lo) = ((0, 0), 0usize);
    for hi in 0..times.len() {
        while times[hi] - times[lo] > window {
            lo += 1;
        }
        if hi + 1 - lo > best.1 - best.0 {
            best = (lo, hi + 1);
        }
    }
    best
}

/// A burst-dominated post.
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    /// The post.
    pub post: u32,
    /// Participants not excluded (not in any cluster yet).
    pub accounts: Vec<u32>,
    /// Likes inside the burst window, excluded accounts included.
    pub size: usize,
    /// Whether the burst starts at least one window after the post's first like.
    pub late: bool,
}

/// Every burst-dominated post with its participants outside `excluded`.
pub fn dominant_bursts(graph: &LikeGraph, excluded: &HashSet<u32>, params: &BurstSearch) -> Vec<Burst> {
    // Participants of every burst-dominated post, and whether the burst is late.
    let mut bursts: Vec<Burst> = Vec::new();
    for p in 0..graph.n_posts() as u32 {
        if graph.post_degree(p) < params.params.min_burst {
            continue;
        }
        // Only likes whose time is known to the second: rounded times pile up by themselves.
        let (likers, times): (Vec<u32>, Vec<i64>) = graph.fine_likes(p).unzip();
        if times.len() < params.params.min_burst {
            continue;
        }
        let (lo, hi) = densest(&times, params.window);
        let size = hi - lo;
        if size < params.params.min_burst || (size as f64) < params.params.min_share * times.len() as f64 {
            continue;
        }
        let late = times[lo] - times[0] >= params.window;
        let who: Vec<u32> = likers[lo..hi]
            .iter()
            .copied()
            .filter(|a| !excluded.contains(a))
            .collect();
        if who.len() >= 2 {
            bursts.push(Burst {
                post: p,
                accounts: who,
                size,
                late,
            });
        }
    }
    bursts
}

/// Seeds: communities of the repeat participants of late bursts, linked by the bursts they
/// share (each burst a clique of weight 1/(k−1), as in a co-participation projection).
/// Connected components would chain two farms through one shared burst; Leiden keeps them
/// apart.
fn seeds(bursts: &[Burst], params: &BurstSearch) -> BTreeMap<u32, Vec<u32>> {
    let mut count: BTreeMap<u32, usize> = BTreeMap::new();
    for b in bursts.iter().filter(|b| b.late) {
        for &a in &b.accounts {
            *count.entry(a).or_insert(0) += 1;
        }
    }
    let repeat = |a: &u32| {
        count
            .get(a)
            .is_some_and(|&c| c >= params.params.min_bursts_per_account)
    };
    let ids: Vec<u32> = count.keys().copied().filter(|a| repeat(a)).collect();
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    for b in bursts.iter().filter(|b| b.late) {
        let local: Vec<u32> = b
            .accounts
            .iter()
            .filter_map(|a| ids.binary_search(a).ok().map(|i| i as u32))
            .collect();
        if local.len() < 2 || (params.max_linked > 0 && local.len() > params.max_linked) {
            continue;
        }
        let w = 1.0 / (local.len() - 1) as f64;
        for (i, &x) in local.iter().enumerate() {
            for &y in &local[i + 1..] {
                edges.push((x, y, w));
            }
        }
    }
    let projection = leiden::UndirectedGraph::from_edges(ids.len(), &edges);
    let membership = leiden::leiden(
        &projection,
        &leiden::LeidenParams {
            seed: params.seed,
            ..Default::default()
        },
    );
    let mut seeds: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (i, &a) in ids.iter().enumerate() {
        seeds.entry(membership[i]).or_default().push(a);
    }
    seeds
}

/// Find candidate groups among accounts not in `excluded`.
pub fn burst_groups(graph: &LikeGraph, excluded: &HashSet<u32>, params: &BurstSearch) -> Vec<BurstGroup> {
    if params.window <= 0 {
        return Vec::new();
    }
    let bursts = dominant_bursts(graph, excluded, params);
    let seeds = seeds(&bursts, params);
    // Each seed grows by alternation; Leiden may cut one pool into seeds that grow onto the same
    // orders, so groups whose bursts overlap (Jaccard ≥ ½, as in [`super::split`]) are one
    // group and grow again from their union.
    let grown: Vec<BurstGroup> = seeds
        .into_values()
        .filter(|seed| seed.len() >= params.min_accounts)
        .map(|seed| grow(graph, &bursts, seed, params))
        .collect();
    let mut same = petgraph::unionfind::UnionFind::<usize>::new(grown.len());
    for x in 0..grown.len() {
        for y in x + 1..grown.len() {
            if super::split::jaccard(&grown[x].posts, &grown[y].posts) >= params.params.same_bursts {
                same.union(x, y);
            }
        }
    }
    let mut joined: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for x in 0..grown.len() {
        joined.entry(same.find(x)).or_default().push(x);
    }
    let mut out: Vec<BurstGroup> = Vec::new();
    for parts in joined.into_values() {
        let group = if parts.len() == 1 {
            grown[parts[0]].clone()
        } else {
            let mut seed: Vec<u32> = parts
                .iter()
                .flat_map(|&x| grown[x].accounts.iter().copied())
                .collect();
            seed.sort_unstable();
            seed.dedup();
            grow(graph, &bursts, seed, params)
        };
        if group.posts.len() >= params.params.min_posts && group.accounts.len() >= params.min_accounts {
            out.push(group);
        }
    }
    out
}

/// Grow a seed by alternation, as CopyCatch does: the bursts the group takes a large part in,
/// then the accounts taking part in two of those bursts; until nothing changes (a few rounds).
fn grow(graph: &LikeGraph, bursts: &[Burst], seed: Vec<u32>, params: &BurstSearch) -> BurstGroup {
    let mut accounts = seed;
    let mut posts: Vec<u32> = Vec::new();
    for _ in 0..params.params.rounds {
        let set: HashSet<u32> = accounts.iter().copied().collect();
        // A burst is the group's when its members are a large part of it, or far more of
        // it than their share of all likes predicts (binomial tail, Bonferroni over the
        // bursts): an order served by a slice of the pool the group only partly holds.
        let share = (accounts
            .iter()
            .map(|&a| graph.account_degree(a) as f64)
            .sum::<f64>()
            / graph.n_likes().max(1) as f64)
            .min(1.0);
        let alpha = params.join_alpha / bursts.len().max(1) as f64;
        // Shares are of the whole burst, accounts already in clusters included: two of
        // three unclustered participants in a burst of thirty is no majority.
        let mine: Vec<&Burst> = bursts
            .iter()
            .filter(|b| {
                let own = b.accounts.iter().filter(|a| set.contains(a)).count();
                own >= 2
                    && (own as f64 >= params.params.join_share * b.size as f64
                        || Binomial::new(share, b.size as u64)
                            .map(|d| d.sf(own as u64 - 1) <= alpha)
                            .unwrap_or(false))
            })
            .collect();
        let mut taking_part: BTreeMap<u32, usize> = BTreeMap::new();
        for b in &mine {
            for &a in &b.accounts {
                *taking_part.entry(a).or_insert(0) += 1;
            }
        }
        // Taking part must be more than an account's activity explains: a heavy user with
        // 3 000 likes lands in a few of a hundred bursts by chance. Under the null each of
        // its likes falls inside the group's bursts with their share of all likes
        // (binomial tail; Benjamini–Hochberg at `member_fdr`).
        let inside = mine.iter().map(|b| b.size).sum::<usize>() as f64 / graph.n_likes().max(1) as f64;
        let tested: Vec<(u32, f64)> = taking_part
            .into_iter()
            .filter(|&(a, c)| c >= params.params.min_bursts_per_account || set.contains(&a))
            .map(|(a, c)| {
                let p = Binomial::new(inside.min(1.0), graph.account_degree(a) as u64)
                    .map(|b| b.sf(c as u64 - 1))
                    .unwrap_or(1.0);
                (a, p)
            })
            .collect();
        let pvalues: Vec<f64> = tested.iter().map(|t| t.1).collect();
        let mut next: Vec<u32> = super::expand::bh_accepted(&pvalues, params.member_fdr)
            .into_iter()
            .map(|i| tested[i].0)
            .collect();
        next.sort_unstable();
        let mut next_posts: Vec<u32> = mine.iter().map(|b| b.post).collect();
        next_posts.sort_unstable();
        let stable = next == accounts && next_posts == posts;
        accounts = next;
        posts = next_posts;
        if stable {
            break;
        }
    }
    BurstGroup { accounts, posts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Clock;

    fn graph(likes: &[(u32, u32, i64)], n_accounts: usize, n_posts: usize) -> LikeGraph {
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, likes)
    }

    /// The default parameters: one-hour bursts of at least five likes holding half of the
    /// post's likes, FDR 1 %, groups of at least three.
    fn test_params() -> BurstSearch {
        BurstSearch::default()
    }

    #[test]
    fn densest_window_by_hand() {
        assert_eq!(densest(&[0, 5, 6, 7, 100, 101], 10), (0, 4));
        assert_eq!(densest(&[0, 50, 100], 10), (0, 1));
        assert_eq!(densest(&[], 10), (0, 0));
    }

    #[test]
    fn orders_from_one_pool_form_one_group() {
        // Pool 0..10; four orders (posts 0..4), each by 5 pool accounts within a minute, each
        // post also liked by 2 organic accounts days apart. Organic accounts 20..40 like posts
        // 4..14 at scattered times (no bursts). The pool is found without the heavy user.
        let mut likes = Vec::new();
        let orders = [[0, 1, 2, 3, 4], [2, 3, 5, 6, 7], [4, 6, 8, 9, 1], [0, 5, 7, 8, 9]];
        for (p, pool) in orders.iter().enumerate() {
            let t0 = p as i64 * 10_000_000;
            for (k, &a) in pool.iter().enumerate() {
                likes.push((a, p as u32, t0 + k as i64 * 10_000));
            }
            likes.push((20, p as u32, t0 - 86_400_000));
            likes.push((21, p as u32, t0 + 86_400_000));
        }
        for o in 22..40u32 {
            for k in 0..3u32 {
                let p = 4 + (o + k) % 10;
                likes.push((o, p, (o as i64 * 7 + k as i64 * 13) * 3_600_000));
            }
        }
        // Account 40, a heavy user, is inside the bursts of posts 0 and 1 too, among 1 500 likes
        // on posts 14..1514: two bursts out of 1 502 likes is what its activity predicts.
        likes.push((40, 0, 30_000));
        likes.push((40, 1, 10_030_000));
        for p in 14..1514u32 {
            likes.push((40, p, p as i64 * 3_600_000));
        }
        let g = graph(&likes, 41, 1514);
        let mut params = test_params();
        params.params.min_burst = 4;
        params.params.join_share = 0.3;
        let groups = burst_groups(&g, &HashSet::new(), &params);
        assert_eq!(
            groups,
            vec![BurstGroup {
                accounts: (0..10).collect(),
                posts: vec![0, 1, 2, 3]
            }]
        );
        // Without the per-account test the heavy user would be a member.
        let lax = BurstSearch {
            member_fdr: 1.0,
            ..params
        };
        let mut with_heavy: Vec<u32> = (0..10).collect();
        with_heavy.push(40);
        assert_eq!(burst_groups(&g, &HashSet::new(), &lax)[0].accounts, with_heavy);
        // Excluding the pool leaves nothing.
        let excluded: HashSet<u32> = (0..10).collect();
        assert!(burst_groups(&g, &excluded, &params).is_empty());
    }

    #[test]
    fn a_slow_order_is_a_burst_at_its_own_timescale() {
        // Pool 0..10 serves four late orders (posts 0..4), five accounts each, spread over four
        // hours, a day after each post's first like; 2 000 organic accounts like other posts.
        let mut likes = Vec::new();
        let orders = [[0, 1, 2, 3, 4], [2, 3, 5, 6, 7], [4, 6, 8, 9, 1], [0, 5, 7, 8, 9]];
        for (p, pool) in orders.iter().enumerate() {
            let t0 = p as i64 * 10 * 86_400_000;
            likes.push((60, p as u32, t0));
            for (k, &a) in pool.iter().enumerate() {
                likes.push((a, p as u32, t0 + 86_400_000 + k as i64 * 3_600_000));
            }
        }
        for o in 0..2_000u32 {
            for k in 0..5u32 {
                let p = 4 + (o + k * 60) % 300;
                likes.push((100 + o, p, p as i64 * 86_400_000 + (o * 5 + k) as i64 * 60_000));
            }
        }
        let g = graph(&likes, 2_100, 304);
        let hour = BurstParams::default().resolve(
            crate::colike::Window::Span(3_600_000),
            Clock::Timestamps,
            0.01,
            3,
            0,
        );
        assert!(burst_groups(&g, &HashSet::new(), &hour).is_empty());
        let six_hours = BurstSearch {
            window: 6 * 3_600_000,
            ..hour
        };
        assert_eq!(
            burst_groups(&g, &HashSet::new(), &six_hours),
            vec![BurstGroup {
                accounts: (0..10).collect(),
                posts: vec![0, 1, 2, 3]
            }]
        );
        // A burst of more participants than the viral-moment cap links none of them.
        let capped = BurstSearch {
            max_linked: 4,
            ..six_hours
        };
        assert!(burst_groups(&g, &HashSet::new(), &capped).is_empty());
    }

    #[test]
    fn two_farms_sharing_one_burst_stay_two_groups() {
        // Farm A (0..10) serves late orders on posts 0..4, farm B (10..20) on posts 4..8, each
        // order by five pool accounts; post 8 gets a late burst from two accounts of each.
        // Connected components would chain the farms through post 8; Leiden keeps them apart
        // and their blocks (0..4 + 8, 4..8 + 8) overlap too little to be joined.
        let mut likes = Vec::new();
        let orders: [[u32; 5]; 8] = [
            [0, 1, 2, 3, 4],
            [5, 6, 7, 8, 9],
            [0, 2, 4, 6, 8],
            [1, 3, 5, 7, 9],
            [10, 11, 12, 13, 14],
            [15, 16, 17, 18, 19],
            [10, 12, 14, 16, 18],
            [11, 13, 15, 17, 19],
        ];
        for (p, who) in orders.iter().enumerate() {
            let t0 = p as i64 * 10_000_000;
            likes.push((30, p as u32, t0));
            for (i, &a) in who.iter().enumerate() {
                likes.push((a, p as u32, t0 + 7_200_000 + i as i64 * 10_000));
            }
        }
        likes.push((30, 8, 80_000_000));
        for (i, a) in [0u32, 1, 10, 11].into_iter().enumerate() {
            likes.push((a, 8, 87_200_000 + i as i64 * 10_000));
        }
        for o in 100..2_100u32 {
            for k in 0..5u32 {
                let p = 9 + (o + k * 50) % 200;
                likes.push((o, p, p as i64 * 86_400_000 + (o * 5 + k) as i64 * 60_000));
            }
        }
        let g = graph(&likes, 2_100, 209);
        let mut params = test_params();
        params.params.min_burst = 4;
        let mut groups = burst_groups(&g, &HashSet::new(), &params);
        groups.sort_by_key(|g| g.accounts[0]);
        let accounts: Vec<Vec<u32>> = groups.iter().map(|g| g.accounts.clone()).collect();
        assert_eq!(accounts, vec![(0..10).collect::<Vec<u32>>(), (10..20).collect()]);
    }

    #[test]
    fn shares_count_the_clustered_participants_too() {
        // Pool 0..5 serves late orders on posts 0..3. Post 4 has a late burst of 12 likes: ten
        // by accounts already in clusters (100..110), two by pool accounts and one by organic
        // account 50. Of the unclustered participants two of three are the pool's, but of the
        // burst only two of thirteen, and that is not improbable enough among 205 bursts: post
        // 4 is not the group's.
        let mut likes = Vec::new();
        for p in 0..5u32 {
            let t0 = p as i64 * 10_000_000;
            likes.push((60, p, t0));
            let who: Vec<u32> = if p < 4 { (0..5).collect() } else { vec![0, 1, 50] };
            for (i, &a) in who.iter().enumerate() {
                likes.push((a, p, t0 + 7_200_000 + i as i64 * 10_000));
            }
            if p == 4 {
                for a in 100..110u32 {
                    likes.push((a, p, t0 + 7_300_000 + a as i64 * 1_000));
                }
            }
        }
        for o in 200..1_200u32 {
            for k in 0..5u32 {
                let p = 5 + (o + k * 50) % 200;
                likes.push((o, p, p as i64 * 86_400_000 + (o * 5 + k) as i64 * 60_000));
            }
        }
        // 200 small organic bursts elsewhere (five strangers within minutes), so that the
        // binomial join is judged among many bursts (Bonferroni).
        for b in 0..200u32 {
            for k in 0..5u32 {
                likes.push((
                    1_200 + b * 5 + k,
                    205 + b,
                    b as i64 * 86_400_000 + k as i64 * 60_000,
                ));
            }
        }
        let g = graph(&likes, 2_200, 405);
        let params = test_params();
        let clustered: HashSet<u32> = (100..110).collect();
        let groups = burst_groups(&g, &clustered, &params);
        assert_eq!(
            groups,
            vec![BurstGroup {
                accounts: (0..5).collect(),
                posts: vec![0, 1, 2, 3]
            }]
        );
    }

    #[test]
    fn an_order_served_mostly_by_unseen_pool_accounts_still_joins() {
        // Core 0..5 serve the late orders on posts 0..3 (all five each time): the seed. Posts
        // 4..7 get orders as their first likes (not late, so no seed), each served by two core
        // accounts and six of the quiet pool 10..22 (each quiet account in two of them): only
        // 25 % of each burst is the seed's, below join_share, but two core accounts in an
        // 8-like burst are improbable for a group with 28 of 10 052 likes (binomial): 2 000
        // organic accounts like five of posts 8..307 each, at scattered times.
        let mut likes = Vec::new();
        let quiet: Vec<u32> = (10..22).collect();
        for p in 0..8u32 {
            let t0 = p as i64 * 10_000_000;
            let who: Vec<u32> = if p < 4 {
                (0..5).collect()
            } else {
                let k = (p - 4) as usize;
                let mut w = vec![k as u32, k as u32 + 1];
                w.extend(quiet.iter().cycle().skip(3 * k).take(6));
                w
            };
            if p < 4 {
                likes.push((400, p, t0)); // the post's first like, by an organic account
            }
            for (i, &a) in who.iter().enumerate() {
                likes.push((a, p, t0 + 7_200_000 + i as i64 * 10_000));
            }
        }
        for o in 0..2_000u32 {
            for k in 0..5u32 {
                let p = 8 + (o + k * 60) % 300;
                likes.push((500 + o, p, p as i64 * 86_400_000 + (o * 5 + k) as i64 * 60_000));
            }
        }
        let g = graph(&likes, 2_500, 308);
        let mut params = test_params();
        let groups = burst_groups(&g, &HashSet::new(), &params);
        let mut expected: Vec<u32> = (0..5).collect();
        expected.extend(&quiet);
        assert_eq!(
            groups,
            vec![BurstGroup {
                accounts: expected,
                posts: (0..8).collect()
            }]
        );
        // Without the binomial test the quiet pool stays out.
        params.join_alpha = 0.0;
        let groups = burst_groups(&g, &HashSet::new(), &params);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].accounts, (0..5).collect::<Vec<u32>>());
        assert_eq!(groups[0].posts, vec![0, 1, 2, 3]);
    }
}
