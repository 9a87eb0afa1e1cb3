//! Cluster features: each cluster described as a block of n accounts × m posts, with the
//! measures a journalist needs to tell a farm from a fandom.

use crate::clock::Clock;
use crate::colike::null::{ln_poisson_sf, pairs_within_window};
use crate::colike::{PairRecord, Window};
use crate::graph::LikeGraph;
use serde::{Deserialize, Serialize};
use statrs::statistics::{Data, Median, OrderStatistics};
use std::collections::{HashMap, HashSet};

/// Parameters of the block measures (in the tree: `detect.features`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeatureParams {
    /// A post is "very popular" from this quantile of the posts' like counts (the top 1 %) …
    pub popular_quantile: f64,
    /// … and at least this many likes (in small data sets the top 1 % can be a handful).
    pub popular_min_likes: usize,
    /// The spread of members' likes on a post is measured between these percentiles of their
    /// times (the outer 10 % on each side are stragglers).
    pub spread_percentiles: (usize, usize),
    /// The delay of a group on its posts is read at this percentile over the posts: "prompt on
    /// nearly every post" is prompt on four posts in five.
    pub post_delay_percentile: usize,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            popular_quantile: 0.99,
            popular_min_likes: 10,
            spread_percentiles: (10, 90),
            post_delay_percentile: 80,
        }
    }
}

/// Shared, per-run facts the features are measured against.
pub struct Context<'g> {
    /// The liker–post graph.
    pub graph: &'g LikeGraph,
    /// The primary co-like window.
    pub window: Window,
    /// Posts with at least this many likes count as "very popular" (top 1 %, at least 10).
    pub popular_likes: usize,
    /// The data's clock (measures are in seconds, positions in logical time).
    pub clock: Clock,
    /// The measures' parameters.
    pub params: FeatureParams,
    /// First-like times of each author's posts in the data, ascending.
    pub author_post_times: Vec<Vec<i64>>,
    /// The objects are accounts (follow data without an author column): a followed account
    /// is its own author, so members who follow each other are a block whose posts are the
    /// members' (reciprocity).
    pub objects_are_accounts: bool,
}

impl<'g> Context<'g> {
    /// Compute the run-wide thresholds.
    pub fn new(graph: &'g LikeGraph, window: Window, params: &FeatureParams) -> Self {
        let mut degrees: Vec<usize> = (0..graph.n_posts() as u32)
            .map(|p| graph.post_degree(p))
            .collect();
        degrees.sort_unstable();
        let p99 = degrees
            .get(((degrees.len() as f64) * params.popular_quantile) as usize)
            .copied()
            .unwrap_or(0);
        let mut author_post_times = vec![Vec::new(); graph.authors.len()];
        for p in 0..graph.n_posts() as u32 {
            if let (Some(a), Some(t)) = (graph.author_of(p), graph.post_start(p)) {
                author_post_times[a as usize].push(t);
            }
        }
        for times in &mut author_post_times {
            times.sort_unstable();
        }
        Context {
            author_post_times,
            graph,
            window,
            popular_likes: p99.max(params.popular_min_likes),
            clock: graph.clock,
            params: params.clone(),
            objects_are_accounts: false,
        }
    }
}

/// Measured features of one cluster. Times are in seconds (positions in logical time).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ClusterFeatures {
    /// Number of member accounts (n).
    pub size: usize,
    /// Number of block posts (m).
    pub posts: usize,
    /// Significant co-like pairs inside the cluster.
    pub internal_edges: usize,
    /// internal_edges / (n(n−1)/2).
    pub edge_density: f64,
    /// Members' likes on block posts / (n × m).
    pub block_density: f64,
    /// Observed primary-window co-likes summed over internal pairs.
    pub colikes: u64,
    /// Expected co-likes under the null model summed over internal pairs (coincidence baseline).
    pub expected_colikes: f64,
    /// Median over internal pairs of their median |Δt|.
    pub median_pair_dt: f64,
    /// Median over block posts of the spread (10th to 90th percentile) of members' like times.
    pub burst_width: f64,
    /// Median delay of members' block likes after the post's first like (publication proxy).
    pub median_delay: f64,
    /// Per block post that is not very popular, the delay of the members' median like after
    /// the post's first like; the 80th percentile over those posts: prompt on nearly every
    /// post (a subscription) or only on some (orders delivered whenever they came).
    pub post_delay_p80: f64,
    /// Distinct authors of the block posts that are not very popular (of all block posts when
    /// every one is); 0 when the data has no author column.
    pub authors: usize,
    /// Share of those posts by the most frequent author.
    pub top_author_share: f64,
    /// Share of block posts authored by a member of the cluster.
    pub reciprocity: f64,
    /// Share of members who authored at least one block post.
    pub member_author_share: f64,
    /// Share of members' likes on very popular posts.
    pub camouflage_ratio: f64,
    /// Share of members' likes on posts outside the block.
    pub outside_share: f64,
    /// Share of members' likes outside the block on posts that are not very popular: ordinary
    /// activity of their own, as opposed to camouflage.
    pub outside_ordinary_share: f64,
    /// Median number of likes per member.
    pub median_member_likes: f64,
    /// Coefficient of variation of the number of members liking each block post.
    pub per_post_cv: f64,
    /// Share of block posts that are very popular.
    pub popular_post_share: f64,
    /// Median over block posts of the share of the post's likes that came from members: a
    /// group that supplies most of the engagement of the posts it acts on.
    pub post_like_share: f64,
    /// Distinct authors per like among members' likes outside the block: near 1 when the
    /// likes are scattered one per creator (random camouflage), lower when people return to
    /// the creators they follow.
    pub outside_author_spread: f64,
    /// Coefficient of variation of the members' coverage of the block (share of block posts
    /// each member liked).
    pub coverage_cv: f64,
    /// Variance of the members' block like counts over the binomial variance `m·p̄·(1−p̄)`
    /// (index of dispersion): about 1 when every member is drawn for each post with the same
    /// chance (a pool rotated by a service), well above 1 when devotion differs (fans).
    pub coverage_dispersion: f64,
    /// Share of the block authors' posts that are in the block, counting each author's posts
    /// from the first one the group acted on (a subscription may start mid-way): near 1 when
    /// every post of these creators gets the group's likes.
    pub author_coverage: f64,
    /// Pairs of members whose likes of the same block post fall within the reference window.
    pub group_colikes: u64,
    /// Member likes on the block posts expected if members liked every post in proportion to
    /// their share of all likes (the group-level test's null); the observed count is
    /// `block_density × size × posts`.
    pub group_expected: f64,
    /// The signatures of coordination ([`super::signatures`]).
    pub signatures: super::signatures::Signatures,
    /// The texts members share ([`super::texts`]; empty without a text column).
    pub texts: super::texts::TextSignature,
    /// log10 of P(at least the observed member likes on the block | Poisson(`group_expected`)).
    /// The posts were chosen because members liked them, so this is a measure of how extreme
    /// the block is, not a calibrated p-value.
    pub group_log10_p: f64,
}

impl ClusterFeatures {
    /// The real-valued measures by column name, in the order of `clusters.csv`.
    pub fn measures(&self) -> [(&'static str, f64); 23] {
        [
            ("edge_density", self.edge_density),
            ("block_density", self.block_density),
            ("expected_colikes", self.expected_colikes),
            ("median_pair_dt", self.median_pair_dt),
            ("burst_width", self.burst_width),
            ("median_delay", self.median_delay),
            ("post_delay_p80", self.post_delay_p80),
            ("top_author_share", self.top_author_share),
            ("reciprocity", self.reciprocity),
            ("member_author_share", self.member_author_share),
            ("camouflage_ratio", self.camouflage_ratio),
            ("outside_share", self.outside_share),
            ("outside_ordinary_share", self.outside_ordinary_share),
            ("median_member_likes", self.median_member_likes),
            ("per_post_cv", self.per_post_cv),
            ("popular_post_share", self.popular_post_share),
            ("post_like_share", self.post_like_share),
            ("outside_author_spread", self.outside_author_spread),
            ("coverage_cv", self.coverage_cv),
            ("coverage_dispersion", self.coverage_dispersion),
            ("author_coverage", self.author_coverage),
            ("group_expected", self.group_expected),
            ("group_log10_p", self.group_log10_p),
        ]
    }
}

/// Posts liked by at least `share` of the members (and at least two of them), ascending.
pub fn block_posts(graph: &LikeGraph, members: &[u32], share: f64) -> Vec<u32> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for &a in members {
        for &l in graph.account_likes(a) {
            *counts.entry(graph.like_post(l)).or_insert(0) += 1;
        }
    }
    let need = ((share * members.len() as f64).ceil() as u32).max(2);
    let mut posts: Vec<u32> = counts
        .into_iter()
        .filter(|&(_, c)| c >= need)
        .map(|(p, _)| p)
        .collect();
    posts.sort_unstable();
    posts
}

fn median(values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    Data::new(values).median()
}

fn ratio(x: usize, y: usize) -> f64 {
    if y == 0 { 0.0 } else { x as f64 / y as f64 }
}

/// Mean and standard deviation (population) of `values`, over `n` (at least 1).
fn mean_sd(values: &[f64], n: usize) -> (f64, f64) {
    let mean = values.iter().sum::<f64>() / n.max(1) as f64;
    let var = values.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n.max(1) as f64;
    (mean, var.sqrt())
}

/// What the members' likes say: on the block, outside it, on popular posts.
#[derive(Default)]
struct MemberLikes {
    total: usize,
    block: usize,
    popular: usize,
    outside_ordinary: usize,
    /// Delay of each block like after its post's first like, seconds.
    delays: Vec<f64>,
    /// Likes per member.
    per_member: Vec<f64>,
    /// Share of the block each member liked.
    coverage: Vec<f64>,
    /// Distinct (member, author) pairs among likes outside the block, and those likes.
    outside_authors: usize,
    outside_authored: usize,
}

fn member_likes(ctx: &Context<'_>, members: &[u32], post_set: &HashSet<u32>, m: usize) -> MemberLikes {
    let g = ctx.graph;
    let mut out = MemberLikes::default();
    let mut outside_authors: HashSet<(u32, u32)> = HashSet::new();
    for &a in members {
        let likes = g.account_likes(a);
        out.per_member.push(likes.len() as f64);
        let mut on_block = 0usize;
        for &l in likes {
            out.total += 1;
            let p = g.like_post(l);
            let popular = g.post_degree(p) >= ctx.popular_likes;
            out.popular += usize::from(popular);
            if !popular && !post_set.contains(&p) {
                out.outside_ordinary += 1;
            }
            if post_set.contains(&p) {
                out.block += 1;
                on_block += 1;
                if let Some(first) = g.post_start(p) {
                    out.delays
                        .push(ctx.clock.seconds((g.like_time(l) - first) as f64));
                }
            } else if let Some(author) = g.author_of(p) {
                out.outside_authored += 1;
                outside_authors.insert((a, author));
            }
        }
        out.coverage.push(on_block as f64 / m.max(1) as f64);
    }
    out.outside_authors = outside_authors.len();
    out
}

/// What the block posts say: members' timing on each, who wrote them.
#[derive(Default)]
struct BlockPosts<'g> {
    /// Spread of the members' like times on each post with two or more, seconds.
    widths: Vec<f64>,
    /// Members liking each post.
    member_counts: Vec<f64>,
    /// Posts per author, among the posts the group serves.
    author_counts: HashMap<u32, usize>,
    /// Each served author's first block post (its first like): a subscription may start late.
    author_since: HashMap<u32, i64>,
    reciprocal_posts: usize,
    member_authors: HashSet<&'g str>,
    popular: usize,
    /// Share of each post's likes from members.
    like_shares: Vec<f64>,
    /// Delay of the members' median like after each served post's first like, seconds.
    post_delays: Vec<f64>,
    /// Member pairs within the window, summed over posts.
    group_colikes: u64,
}

fn block_post_measures<'g>(ctx: &Context<'g>, members: &[u32], posts: &[u32]) -> BlockPosts<'g> {
    let g = ctx.graph;
    let member_set: HashSet<u32> = members.iter().copied().collect();
    let member_names: HashSet<&str> = members.iter().map(|&a| &*g.accounts[a as usize]).collect();
    let ordinary_posts = posts
        .iter()
        .filter(|&&p| g.post_degree(p) < ctx.popular_likes)
        .count();
    let mut out = BlockPosts::default();
    for &p in posts {
        let times: Vec<f64> = g
            .fine_likes(p)
            .filter(|(a, _)| member_set.contains(a))
            .map(|(_, t)| t as f64)
            .collect();
        // Delivery timing is read on the posts the group serves, not on very popular posts
        // where its camouflage meets everyone else's likes hours later.
        let served = g.post_degree(p) < ctx.popular_likes;
        timing_on_post(ctx, p, times, served, &mut out);
        out.popular += usize::from(!served);
        if let Some(author) = g.author_of(p) {
            // Author measures too are read on the posts the group serves (all block posts when
            // every one is very popular): camouflage on famous creators' posts is not custom.
            if served || ordinary_posts == 0 {
                *out.author_counts.entry(author).or_insert(0) += 1;
                if let Some(t) = g.post_start(p) {
                    out.author_since
                        .entry(author)
                        .and_modify(|since: &mut i64| *since = (*since).min(t))
                        .or_insert(t);
                }
            }
            let name = &*g.authors[author as usize];
            if member_names.contains(name) {
                out.reciprocal_posts += 1;
                out.member_authors.insert(name);
            }
        } else if ctx.objects_are_accounts {
            let name = &*g.posts[p as usize];
            if member_names.contains(name) {
                out.reciprocal_posts += 1;
                out.member_authors.insert(name);
            }
        }
    }
    out
}

/// The members' timing on one block post (`times`: their like times, ascending).
fn timing_on_post(ctx: &Context<'_>, p: u32, times: Vec<f64>, served: bool, out: &mut BlockPosts<'_>) {
    let g = ctx.graph;
    out.member_counts.push(times.len() as f64);
    if let (Some(first), false, true) = (g.post_start(p), times.is_empty(), served) {
        let own = Data::new(times.clone());
        out.post_delays
            .push(ctx.clock.seconds(own.median() - first as f64));
    }
    let mut raw: Vec<i64> = times.iter().map(|&t| t as i64).collect();
    raw.sort_unstable();
    out.group_colikes += pairs_within_window(&raw, ctx.window);
    out.like_shares
        .push(times.len() as f64 / g.post_degree(p).max(1) as f64);
    if times.len() >= 2 {
        let mut data = Data::new(times);
        let (low, high) = ctx.params.spread_percentiles;
        out.widths
            .push(ctx.clock.seconds(data.percentile(high) - data.percentile(low)));
    }
}

/// Measure a cluster. `internal` holds the significant pairs with both ends in `members`.
pub fn measure(
    ctx: &Context<'_>,
    members: &[u32],
    posts: &[u32],
    internal: &[&PairRecord],
) -> ClusterFeatures {
    let g = ctx.graph;
    let (n, m) = (members.len(), posts.len());
    let post_set: HashSet<u32> = posts.iter().copied().collect();
    let likes = member_likes(ctx, members, &post_set, m);
    let block = block_post_measures(ctx, members, posts);
    let (mean_count, sd_count) = mean_sd(&block.member_counts, m);
    // Participation test: under the null a like on a block post comes from a member with the
    // members' share of all likes, so member likes on the block are about Poisson(π · Σ d_p).
    let degree_sum: f64 = members.iter().map(|&a| g.account_degree(a) as f64).sum();
    let member_share = degree_sum / g.n_likes().max(1) as f64;
    let block_degrees: f64 = posts.iter().map(|&p| g.post_degree(p) as f64).sum();
    let group_expected = member_share * block_degrees;
    let group_log10_p = ln_poisson_sf(likes.block as u64, group_expected) / std::f64::consts::LN_10;
    let (coverage_mean, coverage_sd) = mean_sd(&likes.coverage, n);
    let mut f = ClusterFeatures {
        size: n,
        posts: m,
        block_density: ratio(likes.block, n * m),
        burst_width: median(block.widths.clone()),
        median_delay: median(likes.delays.clone()),
        post_delay_p80: if block.post_delays.is_empty() {
            0.0
        } else {
            Data::new(block.post_delays.clone()).percentile(ctx.params.post_delay_percentile)
        },
        reciprocity: ratio(block.reciprocal_posts, m),
        member_author_share: ratio(block.member_authors.len(), n),
        camouflage_ratio: ratio(likes.popular, likes.total),
        outside_share: ratio(likes.total - likes.block, likes.total),
        outside_ordinary_share: ratio(likes.outside_ordinary, likes.total),
        median_member_likes: median(likes.per_member.clone()),
        per_post_cv: if mean_count > 0.0 {
            sd_count / mean_count
        } else {
            0.0
        },
        popular_post_share: ratio(block.popular, m),
        post_like_share: median(block.like_shares.clone()),
        outside_author_spread: ratio(likes.outside_authors, likes.outside_authored),
        coverage_cv: if coverage_mean > 0.0 {
            coverage_sd / coverage_mean
        } else {
            0.0
        },
        coverage_dispersion: dispersion(coverage_mean, coverage_sd, m),
        group_colikes: block.group_colikes,
        group_expected,
        group_log10_p,
        ..ClusterFeatures::default()
    };
    pair_measures(ctx, internal, n, &mut f);
    author_measures(ctx, &block, &mut f);
    f
}

/// Index of dispersion of the members' coverage: its variance over the binomial variance of a
/// share, p̄(1 − p̄)/m (0 when that is 0).
fn dispersion(mean: f64, sd: f64, m: usize) -> f64 {
    let binomial = mean * (1.0 - mean) / m.max(1) as f64;
    if binomial > 0.0 {
        sd.powi(2) / binomial
    } else {
        0.0
    }
}

/// The measures of the significant pairs inside the cluster.
fn pair_measures(ctx: &Context<'_>, internal: &[&PairRecord], n: usize, f: &mut ClusterFeatures) {
    let pairs_possible = (n * n.saturating_sub(1) / 2).max(1);
    f.internal_edges = internal.len();
    f.edge_density = internal.len() as f64 / pairs_possible as f64;
    f.colikes = internal.iter().map(|r| r.colikes() as u64).sum();
    f.expected_colikes = internal.iter().map(|r| r.expected).sum();
    f.median_pair_dt = median(
        internal
            .iter()
            .filter(|r| r.median_dt.is_finite())
            .map(|r| ctx.clock.seconds(r.median_dt))
            .collect(),
    );
}

/// Authors of the served block posts: how many, the main one's share, their coverage.
fn author_measures(ctx: &Context<'_>, block: &BlockPosts<'_>, f: &mut ClusterFeatures) {
    f.authors = block.author_counts.len();
    f.top_author_share = ratio(
        block.author_counts.values().copied().max().unwrap_or(0),
        block.author_counts.values().sum(),
    );
    f.author_coverage = ratio(
        block.author_counts.values().sum::<usize>(),
        block
            .author_since
            .iter()
            .map(|(&a, &since)| {
                let times = &ctx.author_post_times[a as usize];
                times.len() - times.partition_point(|&t| t < since)
            })
            .sum(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colike::Window;
    use crate::input::Clock;

    #[test]
    fn author_coverage_counts_from_the_groups_first_post_of_each_author() {
        // Creator c0 wrote posts 0..6, creator c1 posts 6..10; account 9 gives each post its
        // first like at 1 000·p. Accounts 0..3 like c0's posts 2..6 (not 0 and 1: the
        // subscription started later) and c1's posts 6 and 8. Since the group's first post of
        // each author: c0 has 4 posts, all in the block; c1 has 4, two in the block: 6 / 8.
        let mut likes = Vec::new();
        for p in 0..10u32 {
            likes.push(crate::input::Like {
                account: 9,
                post: p,
                time: 1_000 * p as i64,
                origin: crate::input::Origin::new(0, 2 + p as u64),
            });
        }
        for a in 0..3u32 {
            for p in [2u32, 3, 4, 5, 6, 8] {
                likes.push(crate::input::Like {
                    account: a,
                    post: p,
                    time: 1_000 * p as i64 + 10 + a as i64,
                    origin: crate::input::Origin::new(0, 100 + (a * 10 + p) as u64),
                });
            }
        }
        let names = |n: usize, p: &str| {
            (0..n)
                .map(|i| format!("{p}{i}").into())
                .collect::<Vec<Box<str>>>()
        };
        let post_author = (0..10u32).map(|p| if p < 6 { 0 } else { 1 }).collect();
        let g = LikeGraph::from_parts(
            names(10, "a"),
            names(10, "p"),
            names(2, "c"),
            post_author,
            Clock::Timestamps,
            likes,
        )
        .unwrap();
        let ctx = Context::new(&g, Window::Span(60_000), &FeatureParams::default());
        let f = measure(&ctx, &[0, 1, 2], &[2, 3, 4, 5, 6, 8], &[]);
        assert_eq!(f.authors, 2);
        assert_eq!(f.author_coverage, 6.0 / 8.0);
    }

    #[test]
    fn coverage_dispersion_by_hand() {
        // Four members on four block posts: member 0 liked all four, 1 posts 0–1, 2 posts
        // 2–3, 3 post 0 only. Shares 1, ½, ½, ¼: mean 9/16, population variance 19/256;
        // binomial variance (9/16)(7/16)/4 = 63/1024; dispersion (19/256)/(63/1024) = 76/63.
        let mut likes = Vec::new();
        for (a, posts) in [
            (0u32, &[0u32, 1, 2, 3][..]),
            (1, &[0, 1]),
            (2, &[2, 3]),
            (3, &[0]),
        ] {
            for &p in posts {
                likes.push((a, p, 1_000 * (p as i64 * 100 + a as i64)));
            }
        }
        let g = LikeGraph::for_tests(4, 4, Clock::Timestamps, &likes);
        let ctx = Context::new(&g, Window::Span(60_000), &FeatureParams::default());
        let f = measure(&ctx, &[0, 1, 2, 3], &[0, 1, 2, 3], &[]);
        assert!(
            (f.coverage_dispersion - 76.0 / 63.0).abs() < 1e-12,
            "{}",
            f.coverage_dispersion
        );
        assert!((f.coverage_cv - (19.0f64 / 256.0).sqrt() / (9.0 / 16.0)).abs() < 1e-12);
        // Every member liked exactly two of the four posts: no spread at all.
        let even: Vec<(u32, u32, i64)> = (0..4u32)
            .flat_map(|a| [(a, a % 4, a as i64), (a, (a + 1) % 4, 100 + a as i64)])
            .collect();
        let g = LikeGraph::for_tests(4, 4, Clock::Timestamps, &even);
        let ctx = Context::new(&g, Window::Span(60_000), &FeatureParams::default());
        assert_eq!(
            measure(&ctx, &[0, 1, 2, 3], &[0, 1, 2, 3], &[]).coverage_dispersion,
            0.0
        );
    }
}
