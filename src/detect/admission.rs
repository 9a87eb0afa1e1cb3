//! Stage 4 — admission of the candidates of [`super::candidates`]: each is completed with the
//! quieter accounts inside its bursts ([`super::expand`]) before it is judged, then admitted
//! when it is flagged (a signature of coordination passes its test) and passes the group-level test (Bonferroni over all
//! candidates: log10 p ≤ log10(fdr / candidates)). A later candidate may overlap an earlier
//! one: each account joins one cluster only.

use super::candidates::Candidate;
use super::cluster::{Builder, Cluster, FoundBy, flagged_members};
use super::expand::{self, DelayCdf};
use super::{DetectParams, Run};

/// Admit candidates into `clusters`.
pub fn admit(
    run: &Run<'_>,
    builder: &Builder<'_>,
    delays: &DelayCdf,
    candidates: Vec<Candidate>,
    clusters: &mut Vec<Cluster>,
    params: &DetectParams,
) {
    let n_candidates = candidates.len();
    let gate = (run.fdr / n_candidates.max(1) as f64).log10();
    let expansion = params.expand.resolve(run.graph.clock, run.fdr);
    let mut taken = flagged_members(clusters);
    let min_size = params
        .communities
        .min_cluster_size
        .max(params.groups.min_accounts);
    let mut kept = 0usize;
    for candidate in candidates {
        let mut members: Vec<u32> = candidate
            .accounts
            .into_iter()
            .filter(|a| !taken.contains(a))
            .collect();
        if members.len() < min_size || candidate.posts.len() < params.groups.min_posts {
            continue;
        }
        let recruits =
            expand::expand_alternating(run.graph, delays, &members, &candidate.posts, &taken, &expansion).0;
        members.extend(recruits.iter().map(|r| r.account));
        members.sort_unstable();
        members.dedup();
        let inside = run.pairs.within(&members);
        let mut c = builder.build_on_at(
            members,
            candidate.posts,
            &inside,
            candidate.found_by,
            candidate.found_at,
        );
        // A group found by its texts is tested by its texts (the block test may not apply to
        // comments spread thinly over many posts).
        let group_p = if candidate.found_by == FoundBy::Texts {
            c.features.texts.log10_p
        } else {
            c.features.group_log10_p
        };
        if c.flagged && group_p <= gate {
            c.reasons
                .push(admission_reason(&c, candidate.found_by, run.interaction));
            c.recruits = recruits;
            taken.extend(c.members.iter().copied());
            clusters.push(c);
            kept += 1;
        }
    }
    if n_candidates > 0 {
        run.ui.note(format!(
            "{n_candidates} candidate groups from bursts and dense blocks; {kept} pass the group test as coordinated"
        ));
    }
}

/// Why an admitted candidate is a group: its detector and the group test.
fn admission_reason(c: &Cluster, found_by: FoundBy, w: crate::vocab::Interaction) -> String {
    format!(
        "found by {}: on these {} members gave {} {} where their share of all activity predicts {:.1} (10^{:.0})",
        found_by.description(w),
        w.objects(),
        (c.features.block_density * (c.members.len() * c.posts.len()) as f64).round(),
        w.nouns(),
        c.features.group_expected,
        c.features.group_log10_p
    )
}
