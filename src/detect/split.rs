//! Splitting a community into the groups inside it: Leiden again on the community's own pairs,
//! then sub-communities acting on the same block joined back together.
//!
//! Modularity has a resolution limit (Fortunato & Barthélemy, PNAS 2007): in a large graph it
//! merges small dense groups with their neighbourhood, so a click network of 47 workers can sit
//! inside a topical community of 176 whose block is organic, or a creator's audience inside a
//! click network. Run on the community alone, Leiden (Traag et al. 2019) separates them — and
//! tends to cut a coordinated group by the batches its members happened to share. Parts whose
//! block posts overlap (Jaccard ≥ ½) are one group acting on one block, and are joined.

use super::cluster::{Builder, Cluster, FoundBy, pairs_within};
use super::communities::Communities;
use super::{DetectParams, Run, features, leiden};
use crate::colike::PairRecord;
use crate::graph::LikeGraph;
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Parameters of the split stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitParams {
    /// Communities of at least this many accounts are searched for groups inside (twice the
    /// smallest group, `detect.groups.min_accounts`: a smaller one cannot hold a group and a
    /// remainder worth describing).
    pub min_parent_accounts: usize,
    /// Sub-communities whose blocks overlap at least this much (Jaccard) act on one block and
    /// are one group: more than half of their posts shared.
    pub same_block: f64,
}

impl Default for SplitParams {
    fn default() -> Self {
        SplitParams {
            min_parent_accounts: 10,
            same_block: 0.5,
        }
    }
}

/// Stage 2 — the clusters of stage 1, with coordinated groups split off large communities.
///
/// A coordinated group inside an organic community: modularity can merge a click network into
/// the topical community around it, whose block is then organic, or attach a creator's audience
/// to a click network. Leiden runs again on each large community's own pairs; sub-communities
/// acting on the same block are joined, and a group is split off when it is flagged (a test against organic behaviour fails)
/// and passes the group test (Bonferroni over the groups tried). A coordinated community is
/// split only to set aside an organic part: its coordinated groups keep its type and the rest
/// is organic; otherwise it stays whole.
pub fn split_communities(
    run: &Run<'_>,
    builder: &Builder<'_>,
    found: Communities<'_>,
    params: &DetectParams,
) -> Vec<Cluster> {
    let mut clusters = found.clusters;
    let leiden_params = params.communities.leiden(run.seed);
    let graph = run.graph;
    // Each parent is split on its own (in parallel; collected in parent order, so the result
    // does not depend on the number of threads): its flagged groups and how many were tried.
    let groups: Vec<(Vec<Cluster>, usize)> = found
        .splittable
        .par_iter()
        .map(|(parent, edges)| {
            let subs = sub_groups(
                graph,
                &parent.members,
                edges,
                &leiden_params,
                builder.block_share,
                params.split.same_block,
            );
            let mut mine = Vec::new();
            let mut tried = 0usize;
            for members in subs {
                if members.len() < params.groups.min_accounts || members.len() == parent.members.len() {
                    continue;
                }
                tried += 1;
                let inside = pairs_within(edges.iter().copied(), &members);
                let c = builder.build(members, &inside, FoundBy::Communities);
                if c.flagged {
                    mine.push(c);
                }
            }
            (mine, tried)
        })
        .collect();
    let tried: usize = groups.iter().map(|g| g.1).sum();
    let gate = (run.fdr / tried.max(1) as f64).log10();
    let min_size = params.communities.min_size();
    let settled: Vec<Vec<Cluster>> = found
        .splittable
        .into_par_iter()
        .zip(groups)
        .map(|((parent, edges), (mut mine, _))| {
            mine.retain(|c| c.features.group_log10_p <= gate);
            settle(builder, parent, &edges, mine, min_size)
        })
        .collect();
    clusters.extend(settled.into_iter().flatten());
    clusters
}

/// The clusters a split parent leaves: itself, or its coordinated groups and the rest.
fn settle(
    builder: &Builder<'_>,
    parent: Cluster,
    edges: &[&PairRecord],
    mine: Vec<Cluster>,
    min_size: usize,
) -> Vec<Cluster> {
    if mine.is_empty() {
        return vec![parent];
    }
    let gone: HashSet<u32> = mine.iter().flat_map(|c| c.members.iter().copied()).collect();
    let rest = builder.remainder(&parent, &gone, edges.iter().copied(), min_size);
    if parent.flagged
        && (rest.as_ref().is_none_or(|r| r.flagged) || mine.iter().any(|c| c.kind != parent.kind))
    {
        return vec![parent];
    }
    let mut out = Vec::with_capacity(mine.len() + 1);
    for mut c in mine {
        c.found_by = FoundBy::SubCommunities;
        c.reasons.push(format!(
            "split from a community of {} accounts typed {}: Leiden run again on that community's own pairs",
            parent.members.len(),
            parent.kind.as_str()
        ));
        out.push(c);
    }
    out.extend(rest);
    out
}

/// The groups inside a community: `members` (ascending) and its internal significant pairs;
/// parts whose blocks overlap at least `same_block` are joined.
/// Returns the groups (each ascending, ordered by smallest member), or nothing when Leiden
/// keeps the community whole. Parts of a single account are dropped.
pub fn sub_groups(
    graph: &LikeGraph,
    members: &[u32],
    edges: &[&PairRecord],
    leiden_params: &leiden::LeidenParams,
    block_share: f64,
    same_block: f64,
) -> Vec<Vec<u32>> {
    let local = |a: u32| members.binary_search(&a).map(|i| i as u32);
    let sub_edges: Vec<(u32, u32, f64)> = edges
        .iter()
        .filter_map(|r| Some((local(r.a).ok()?, local(r.b).ok()?, super::cluster::edge_weight(r))))
        .collect();
    let sub = leiden::UndirectedGraph::from_edges(members.len(), &sub_edges);
    let membership = leiden::leiden(&sub, leiden_params);
    let mut parts: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (v, &m) in membership.iter().enumerate() {
        parts.entry(m).or_default().push(members[v]);
    }
    if parts.len() < 2 {
        return Vec::new();
    }
    let parts: Vec<Vec<u32>> = parts.into_values().filter(|m| m.len() >= 2).collect();
    let blocks: Vec<Vec<u32>> = parts
        .iter()
        .map(|m| features::block_posts(graph, m, block_share))
        .collect();
    let mut same = UnionFind::<usize>::new(parts.len());
    for x in 0..parts.len() {
        for y in x + 1..parts.len() {
            if jaccard(&blocks[x], &blocks[y]) >= same_block {
                same.union(x, y);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for (x, m) in parts.into_iter().enumerate() {
        groups.entry(same.find(x)).or_default().extend(m);
    }
    let mut groups: Vec<Vec<u32>> = groups
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

/// |x ∩ y| / |x ∪ y| of two ascending id lists (0 when both are empty).
pub fn jaccard(x: &[u32], y: &[u32]) -> f64 {
    let both = super::twins::intersect_len(x, y);
    let union = x.len() + y.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colike::MAX_WINDOWS;
    use crate::input::Clock;

    fn pair(a: u32, b: u32, idf: f64) -> PairRecord {
        PairRecord {
            a,
            b,
            counts: [3; MAX_WINDOWS],
            idf,
            a_first: 1,
            b_first: 1,
            median_dt: 60.0,
            expected: 0.1,
            ln_p: -10.0,
            best: 0,
        }
    }

    #[test]
    fn jaccard_by_hand() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[2]), 0.0);
    }

    #[test]
    fn two_batches_of_one_task_list_are_one_group_and_an_attached_audience_another() {
        // Workers 0..10 all like task posts 0..20; their pairs come in two batches (0..5 and
        // 5..10, cliques of weight 10, one weight-1 pair between them). Fans 10..16 like the
        // creator's posts 20..30 (a clique of weight 10) and one fan is tied to worker 0.
        let mut likes = Vec::new();
        for w in 0..10u32 {
            for p in 0..20u32 {
                likes.push((w, p, (p as i64) * 1_000_000 + w as i64 * 1_000));
            }
        }
        for f in 10..16u32 {
            for p in 20..30u32 {
                likes.push((f, p, (p as i64) * 1_000_000 + f as i64 * 1_000));
            }
        }
        let g = LikeGraph::for_tests(16, 30, Clock::Timestamps, &likes);
        let mut pairs = Vec::new();
        for group in [0..5u32, 5..10, 10..16] {
            for a in group.clone() {
                for b in a + 1..group.end {
                    pairs.push(pair(a, b, 10.0));
                }
            }
        }
        pairs.push(pair(4, 5, 1.0));
        pairs.push(pair(0, 10, 1.0));
        let edges: Vec<&PairRecord> = pairs.iter().collect();
        let members: Vec<u32> = (0..16).collect();
        let params = leiden::LeidenParams::default();
        let groups = sub_groups(
            &g,
            &members,
            &edges,
            &params,
            0.2,
            SplitParams::default().same_block,
        );
        assert_eq!(groups, vec![(0..10).collect::<Vec<u32>>(), (10..16).collect()]);
        // Leiden alone cuts the workers by batch: the join is what makes them one group.
        let parts = sub_groups(&g, &members, &edges, &params, 0.2, f64::INFINITY);
        assert_eq!(
            parts,
            vec![
                (0..5).collect::<Vec<u32>>(),
                (5..10).collect(),
                (10..16).collect()
            ]
        );
        // One clique stays whole: nothing to split.
        let clique: Vec<&PairRecord> = pairs.iter().filter(|r| r.b < 5).collect();
        assert!(
            sub_groups(
                &g,
                &[0, 1, 2, 3, 4],
                &clique,
                &params,
                0.2,
                SplitParams::default().same_block
            )
            .is_empty()
        );
    }
}
