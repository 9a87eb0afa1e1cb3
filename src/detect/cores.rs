//! Stage 6 — how each cluster is stated: its n accounts × m posts × 2Δt block
//! ([`super::block`], for every cluster) and, for each flagged cluster, its lockstep core
//! (CopyCatch, Beutel et al. 2013, seeded by the cluster: every account within 2Δt of each
//! post's centre on at least a share ρ of the posts). Then the clusters are numbered.

use super::Run;
use super::block;
use super::cluster::Cluster;
use super::copycatch::{self, CopyCatchParams};
use crate::colike::Window;
use serde::{Deserialize, Serialize};

/// Parameters of the lockstep cores (in the tree: `detect.cores`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoreParams {
    /// Δt is half the reference window, but at most this many seconds (positions in logical
    /// time): a core stated "within an hour of each other" says more than "within a day".
    pub max_half_width_seconds: f64,
    /// ρ: each account within the windows on at least this share of the core's posts (the
    /// CopyCatch paper's choice).
    pub rho: f64,
    /// Fewest posts in a core: one post is one burst, not lockstep.
    pub min_posts: usize,
    /// Rounds of CopyCatch's alternating search before tightening.
    pub max_iterations: usize,
}

impl Default for CoreParams {
    fn default() -> Self {
        CoreParams {
            max_half_width_seconds: 1800.0,
            rho: 0.5,
            min_posts: 2,
            max_iterations: 20,
        }
    }
}

impl CoreParams {
    /// CopyCatch's parameters for a run's reference window, clock and smallest cluster.
    pub fn resolve(
        &self,
        window: Window,
        clock: crate::clock::Clock,
        min_accounts: usize,
    ) -> CopyCatchParams {
        let cap = clock.units(self.max_half_width_seconds) as i64;
        let delta_t = match window {
            Window::Span(w) => (w / 2).max(1),
            Window::Infinite => cap,
        }
        .min(cap);
        CopyCatchParams {
            delta_t,
            rho: self.rho,
            min_accounts,
            min_posts: self.min_posts,
            max_iterations: self.max_iterations,
        }
    }
}

/// The block statement of every cluster; the core of each flagged one, with its sentence
/// added to the reasons.
pub fn describe(run: &Run<'_>, clusters: &mut [Cluster], params: &CoreParams, min_accounts: usize) {
    let core_params = params.resolve(run.window, run.graph.clock, min_accounts);
    for c in clusters.iter_mut() {
        c.block = block::in_burst_order(run.graph, &c.members, &c.posts, run.window);
        if !c.flagged {
            continue;
        }
        if let Some(core) = copycatch::copycatch(run.graph, &c.members, &c.posts, &core_params) {
            let statement = core.statement(run.graph.clock, run.interaction);
            c.reasons.push(format!("lockstep core (CopyCatch): {statement}"));
            c.core_statement = Some(statement);
            c.core = Some(core);
        }
    }
}

/// Order the clusters (flagged first, then larger, then by smallest member), give them ids
/// 1, 2, … and return each account's cluster id (0 for none).
pub fn number(clusters: &mut [Cluster], n_accounts: usize) -> Vec<u32> {
    clusters.sort_by(|x, y| {
        y.flagged
            .cmp(&x.flagged)
            .then(y.members.len().cmp(&x.members.len()))
            .then(x.members[0].cmp(&y.members[0]))
    });
    let mut account_cluster = vec![0u32; n_accounts];
    for (i, c) in clusters.iter_mut().enumerate() {
        c.id = i as u32 + 1;
        for &m in &c.members {
            account_cluster[m as usize] = c.id;
        }
    }
    account_cluster
}
