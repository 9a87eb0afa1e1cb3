//! Stage 3 — groups pairwise co-likes cannot see, among the accounts no coordinated cluster
//! explains: repeated participation in the same late like bursts ([`super::bursts`]; a farm
//! whose orders each use a small part of its pool), near-identical sets of liked posts
//! ([`super::twins`]) and, when asked for, dense blocks among the likes inside late bursts
//! ([`super::fraudar`]). A farm's camouflage on popular posts can put its bots in an organic,
//! viral community, where their bursts are still theirs: only coordinated clusters exclude
//! their members. Candidates are judged by [`super::admission`].

use super::cluster::{Cluster, FoundBy, flagged_members};
use super::{DetectParams, Run, bursts, fraudar, twins};

/// A candidate group: accounts, the posts they act on, and the detector that found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Accounts, ascending.
    pub accounts: Vec<u32>,
    /// Posts, ascending.
    pub posts: Vec<u32>,
    /// The detector.
    pub found_by: FoundBy,
}

/// Every candidate, in a fixed order: burst groups, twins, dense blocks.
pub fn find(run: &Run<'_>, clusters: &[Cluster], params: &DetectParams) -> Vec<Candidate> {
    let clustered = flagged_members(clusters);
    let logical = run.graph.clock.is_logical();
    let min_accounts = params.communities.min_size();
    let search = params
        .bursts
        .resolve(run.window, run.graph.clock, run.fdr, min_accounts, run.seed);
    let mut out = Vec::new();
    if !logical {
        for g in bursts::burst_groups(run.graph, &clustered, &search) {
            out.push(Candidate {
                accounts: g.accounts,
                posts: g.posts,
                found_by: FoundBy::Bursts,
            });
        }
    }
    let twin_params = twins::TwinParams {
        seed: run.seed,
        ..params.twins.clone()
    };
    for t in twins::twins(run.graph, &twin_params) {
        out.push(Candidate {
            accounts: t
                .accounts
                .into_iter()
                .filter(|a| !clustered.contains(a))
                .collect(),
            posts: t.posts,
            found_by: FoundBy::Twins,
        });
    }
    if params.dense_blocks.blocks > 0 && !logical {
        let edges: Vec<(u32, u32)> = bursts::dominant_bursts(run.graph, &clustered, &search)
            .into_iter()
            .filter(|b| b.late)
            .flat_map(|b| b.accounts.into_iter().map(move |a| (a, b.post)))
            .collect();
        let fraudar_params = params.dense_blocks.resolve(min_accounts);
        let (n_accounts, n_posts) = (run.graph.n_accounts(), run.graph.n_posts());
        for b in fraudar::fraudar_on(n_accounts, n_posts, &edges, &fraudar_params) {
            out.push(Candidate {
                accounts: b.accounts,
                posts: b.posts,
                found_by: FoundBy::DenseBlock,
            });
        }
    }
    out
}
