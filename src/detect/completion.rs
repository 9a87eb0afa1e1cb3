//! Stage 5 — completion: every coordinated cluster recruits the quiet accounts whose likes
//! keep landing inside its bursts ([`super::expand`]); then members of coordinated clusters
//! (groups found by bursts, recruits) leave the organic clusters they were also in.

use super::cluster::{Builder, Cluster, flagged_members, pairs_within, records};
use super::expand::{self, DelayCdf, ExpandParams};
use super::{ClusterKind, Run};

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
    let mut taken = flagged_members(clusters);
    for c in clusters.iter_mut().filter(|c| c.flagged) {
        // A subscription delivers right after publication, like the organic audience: its
        // quiet members are told by liking several of the client's posts at all.
        let expansion = expand::Expansion {
            with_participation: c.kind == ClusterKind::Subscription,
            ..expansion.clone()
        };
        let recruits =
            expand::expand_alternating(run.graph, delays, &c.members, &c.posts, &taken, &expansion);
        if recruits.is_empty() {
            continue;
        }
        let mut members = c.members.clone();
        members.extend(recruits.iter().map(|r| r.account));
        members.sort_unstable();
        let edges = pairs_within(records(run.significant), &members);
        let mut grown = builder.build(members, &edges, c.found_by);
        if grown.flagged {
            grown.reasons.push(format!(
                "{} quieter accounts were added because their likes on these posts keep landing inside the group's bursts",
                recruits.len()
            ));
            taken.extend(recruits.iter().map(|r| r.account));
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
    let mut kept = Vec::with_capacity(clusters.len());
    for c in clusters {
        if c.flagged || !c.members.iter().any(|a| taken.contains(a)) {
            kept.push(c);
        } else {
            kept.extend(builder.remainder(&c, &taken, records(run.significant), min_size));
        }
    }
    kept
}
