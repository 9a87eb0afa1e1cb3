//! Stage 3 — groups pairwise co-likes cannot see, among the accounts no coordinated cluster
//! explains: repeated participation in the same late like bursts ([`super::bursts`]; a farm
//! whose orders each use a small part of its pool), near-identical sets of liked posts
//! ([`super::twins`]) and, when asked for, dense blocks among the likes inside late bursts
//! ([`super::fraudar`]). A farm's camouflage on popular posts can put its bots in an organic,
//! viral community, where their bursts are still theirs: only coordinated clusters exclude
//! their members. Candidates are judged by [`super::admission`].

use super::cluster::{Cluster, FoundBy, flagged_members};
use super::{DetectParams, Run, bursts, fraudar, twins};
use crate::colike::Window;

/// A candidate group: accounts, the posts they act on, and the detector that found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Accounts, ascending.
    pub accounts: Vec<u32>,
    /// Posts, ascending.
    pub posts: Vec<u32>,
    /// The detector.
    pub found_by: FoundBy,
    /// The timescale it was found at (the burst window of a burst group).
    pub found_at: Option<Window>,
}

/// The burst windows of a run: every finite co-like window from the reference window up.
/// Coordination runs at different speeds (an order delivered at once fills a post in
/// minutes, a slow order or a task list over hours): each window gets its own burst search,
/// tightest first, so a group is found at the timescale it acts on.
fn burst_windows(windows: &[Window], reference: Window) -> Vec<Window> {
    let mut out: Vec<Window> = windows
        .iter()
        .copied()
        .filter(|&w| w != Window::Infinite && w >= reference)
        .collect();
    if out.is_empty() {
        out.push(reference);
    }
    out.sort();
    out.dedup();
    out
}

/// Every candidate, in a fixed order: burst groups, twins, shared texts, dense blocks.
pub fn find(run: &Run<'_>, clusters: &[Cluster], params: &DetectParams) -> Vec<Candidate> {
    let clustered = flagged_members(clusters);
    let logical = run.graph.clock.is_logical();
    let min_accounts = params.communities.min_size();
    let search = params
        .bursts
        .resolve(run.window, run.graph.clock, run.fdr, min_accounts, run.seed);
    let mut out = Vec::new();
    if !logical {
        for window in burst_windows(&run.windows, run.window) {
            let search = bursts::BurstSearch {
                max_linked: run.max_post_likers,
                ..params
                    .bursts
                    .resolve(window, run.graph.clock, run.fdr, min_accounts, run.seed)
            };
            for g in bursts::burst_groups(run.graph, &clustered, &search) {
                out.push(Candidate {
                    accounts: g.accounts,
                    posts: g.posts,
                    found_by: FoundBy::Bursts,
                    found_at: Some(window),
                });
            }
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
            found_at: None,
        });
    }
    if let Some(stage) = run.texts {
        let groups = super::texts::candidate_groups(
            stage,
            run.graph.n_accounts(),
            &clustered,
            &params.communities,
            run.seed,
            min_accounts,
            run.fdr,
        );
        for (accounts, posts) in groups {
            out.push(Candidate {
                accounts,
                posts,
                found_by: FoundBy::Texts,
                found_at: None,
            });
        }
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
                found_at: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_are_searched_from_the_reference_window_up() {
        let s = |ms: i64| Window::Span(ms);
        let defaults = [s(60_000), s(600_000), s(3_600_000), s(21_600_000), s(86_400_000)];
        assert_eq!(
            burst_windows(&defaults, s(3_600_000)),
            vec![s(3_600_000), s(21_600_000), s(86_400_000)]
        );
        // Unlimited windows have no bursts; the reference window stands in when nothing else
        // is left.
        assert_eq!(
            burst_windows(&[Window::Infinite], Window::Infinite),
            vec![Window::Infinite]
        );
        assert_eq!(
            burst_windows(&[s(60_000), Window::Infinite], s(600_000)),
            vec![s(600_000)]
        );
    }
}
