//! Stage 5 — completion: every coordinated cluster recruits the quiet accounts whose likes
//! keep landing inside its bursts ([`super::expand`]); then members of coordinated clusters
//! (groups found by bursts, recruits) leave the organic clusters they were also in.

use super::cluster::{Builder, Cluster, flagged_members};
use super::expand::{self, DelayCdf, ExpandParams};
use super::{ClusterKind, Run};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, DiscreteCDF};

/// Who stays in a flagged group (in the tree: `detect.members`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemberParams {
    /// A member of a flagged group likes at least this many of its posts: with two it shares
    /// a post with the group twice, the least that is a pattern rather than one coincidence; an
    /// account tied to the group by co-likes elsewhere (Leiden attaches such neighbours) is
    /// not part of what the group does.
    pub min_block_likes: usize,
}

impl Default for MemberParams {
    fn default() -> Self {
        MemberParams { min_block_likes: 2 }
    }
}

/// Members of flagged groups who do not act with them leave: fewer than `min_block_likes`
/// likes on the block, or no more of them than the account's activity explains (each of its
/// likes falls on the block with the block's share of all likes; binomial tail above the
/// run's FDR), or — in a group flagged for its bursts alone — inside fewer than
/// `min_block_likes` of its lockstep bursts. The group is rebuilt and kept that way when it is
/// still flagged.
pub fn keep_active(
    run: &Run<'_>,
    builder: &Builder<'_>,
    clusters: &mut [Cluster],
    params: &MemberParams,
    min_size: usize,
) {
    let g = run.graph;
    let (fdr, pairs) = (run.fdr, run.pairs);
    // Each flagged cluster on its own (in parallel: a cluster's rebuild reads nothing another
    // changes, so the result does not depend on the number of threads).
    clusters.par_iter_mut().filter(|c| c.flagged).for_each(|c| {
        let block_likes: f64 = c.posts.iter().map(|&p| g.post_degree(p) as f64).sum();
        let share = (block_likes / g.n_likes().max(1) as f64).min(1.0);
        // A group flagged for its bursts alone keeps the members that were in them: an
        // audience that likes the same posts at its own pace is not part of what the group
        // does (a pod's quick followers, Leiden's neighbours).
        let by_bursts = c.judgement.evidence == [super::judge::Evidence::Lockstep];
        let in_lockstep = &c.features.signatures.in_lockstep;
        let active = |a: u32| {
            if by_bursts && in_lockstep.get(&a).copied().unwrap_or(0) < params.min_block_likes {
                return false;
            }
            let on_block = g
                .account_likes(a)
                .iter()
                .filter(|&&l| c.posts.binary_search(&g.like_post(l)).is_ok())
                .count();
            on_block >= params.min_block_likes
                && Binomial::new(share, g.account_degree(a) as u64)
                    .map(|b| b.sf(on_block.saturating_sub(1) as u64) <= fdr)
                    .unwrap_or(false)
        };
        let kept: Vec<u32> = c.members.iter().copied().filter(|&a| active(a)).collect();
        if kept.len() == c.members.len() || kept.len() < min_size {
            return;
        }
        let edges = pairs.within(&kept);
        let mut rebuilt = builder.build_on_at(kept, c.posts.clone(), &edges, c.found_by, c.found_at);
        if rebuilt.flagged {
            rebuilt.recruits = c
                .recruits
                .iter()
                .filter(|r| rebuilt.members.binary_search(&r.account).is_ok())
                .cloned()
                .collect();
            rebuilt.reasons.extend(
                c.reasons
                    .iter()
                    .filter(|r| r.contains("quieter accounts"))
                    .cloned(),
            );
            *c = rebuilt;
        }
    });
}

/// A flagged cluster's growth: its recruits, the burst posts their search looked at, and the
/// grown cluster (none without recruits).
struct Growth {
    recruits: Vec<expand::Recruit>,
    looked_at: Vec<u32>,
    grown: Option<Cluster>,
}

/// Grow each flagged cluster by its recruits; a growth is kept only if the grown cluster is
/// still coordinated. Recruits may come from clusters typed organic (a pool Leiden cut in two,
/// one part too small to look like a service), never from another coordinated cluster.
pub fn recruit(
    run: &Run<'_>,
    builder: &Builder<'_>,
    delays: &DelayCdf,
    clusters: &mut [Cluster],
    params: &ExpandParams,
) {
    let expansion = params.resolve(run.graph.clock, run.fdr);
    let g = run.graph;
    let pairs = run.pairs;
    // A subscription delivers right after publication, like the organic audience: its quiet
    // members are told by liking several of the client's posts at all.
    let expansion_of = |c: &Cluster| expand::Expansion {
        with_participation: c.kind == ClusterKind::Subscription,
        ..expansion.clone()
    };
    let grow = |c: &Cluster, recruits: &[expand::Recruit]| {
        let mut members = c.members.clone();
        members.extend(recruits.iter().map(|r| r.account));
        members.sort_unstable();
        let edges = pairs.within(&members);
        builder.build_at(members, &edges, c.found_by, c.found_at)
    };
    // The clusters grow one after another, each never taking an account an earlier one took.
    // Each growth is first computed in parallel against the flagged members alone; it is
    // the sequential answer unless an account an earlier cluster took liked one of the posts
    // the growth looked at (its only candidates), and then it is computed again in order.
    let mut taken = flagged_members(clusters);
    let speculative: Vec<Option<Growth>> = clusters
        .par_iter()
        .map(|c| {
            c.flagged.then(|| {
                let (recruits, looked_at) =
                    expand::expand_alternating(g, delays, &c.members, &c.posts, &taken, &expansion_of(c));
                let grown = (!recruits.is_empty()).then(|| grow(c, &recruits));
                Growth {
                    recruits,
                    looked_at,
                    grown,
                }
            })
        })
        .collect();
    let mut took: Vec<u32> = Vec::new();
    for (c, guess) in clusters.iter_mut().zip(speculative) {
        let Some(Growth {
            mut recruits,
            looked_at,
            mut grown,
        }) = guess
        else {
            continue;
        };
        // An account is a candidate only with at least two likes on the posts looked at.
        let touched = took.iter().any(|&a| {
            g.account_likes(a)
                .iter()
                .filter(|&&l| looked_at.binary_search(&g.like_post(l)).is_ok())
                .nth(1)
                .is_some()
        });
        if touched {
            recruits =
                expand::expand_alternating(g, delays, &c.members, &c.posts, &taken, &expansion_of(c)).0;
            grown = (!recruits.is_empty()).then(|| grow(c, &recruits));
        }
        let Some(mut grown) = grown else {
            continue;
        };
        if grown.flagged {
            grown.reasons.push(format!(
                "{} quieter accounts were added because their {} on these {} keep landing inside the group's bursts",
                recruits.len(),
                run.interaction.nouns(),
                run.interaction.objects()
            ));
            taken.extend(recruits.iter().map(|r| r.account));
            took.extend(recruits.iter().map(|r| r.account));
            grown.recruits = recruits;
            *c = grown;
        }
    }
}

/// Members of coordinated clusters leave the organic clusters they were also in; what remains
/// of an organic cluster is rebuilt (dropped below `min_size` accounts).
pub fn leave_organic(
    run: &Run<'_>,
    builder: &Builder<'_>,
    clusters: Vec<Cluster>,
    min_size: usize,
) -> Vec<Cluster> {
    let taken = flagged_members(&clusters);
    let pairs = run.pairs;
    // Each organic cluster on its own (in parallel; collected in cluster order, so the result
    // does not depend on the number of threads).
    clusters
        .into_par_iter()
        .map(|c| {
            if c.flagged || !c.members.iter().any(|a| taken.contains(a)) {
                Some(c)
            } else {
                let inside = pairs.within(&c.members);
                builder.remainder(&c, &taken, inside.into_iter(), min_size)
            }
        })
        .collect::<Vec<Option<Cluster>>>()
        .into_iter()
        .flatten()
        .collect()
}
