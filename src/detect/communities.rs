//! Stage 1 — communities among the significant co-like pairs (Leiden, Traag, Waltman & van Eck
//! 2019, in [`super::leiden`]): each community of at least `min_cluster_size` accounts becomes a
//! cluster; those large enough to hide a group inside go to [`super::split`] with their pairs.
//!
//! Edges are weighted by the pair's IDF-weighted co-likes ([`super::edge_weight`]), so pairs
//! built on popular posts weigh little.

use super::cluster::{Builder, Cluster, FoundBy, edge_weight};
use super::{Run, leiden};
use crate::colike::PairRecord;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Which quality function Leiden optimises.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Modularity with a resolution γ (Reichardt–Bornholdt configuration model).
    Modularity,
    /// Constant Potts Model: γ is the minimum internal density of a community.
    Cpm,
}

/// Parameters of the community stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommunityParams {
    /// Leiden objective (`--objective`).
    pub objective: Objective,
    /// Leiden resolution γ (`--resolution`): 1 is modularity's natural scale.
    pub resolution: f64,
    /// Smallest community reported as a cluster (`--min-cluster-size`; at least 2).
    pub min_cluster_size: usize,
    /// A post is in a cluster's block when at least this share of the members liked it (and
    /// at least two members): a fifth keeps the posts a group acts on without requiring every
    /// member on every post (orders use part of a pool).
    pub block_share: f64,
    /// Most Leiden passes (it stops earlier once a pass changes nothing).
    pub passes: usize,
    /// Leiden's refinement randomness θ (the paper's default, in units of edge weight).
    pub randomness: f64,
}

impl Default for CommunityParams {
    fn default() -> Self {
        CommunityParams {
            objective: Objective::Modularity,
            resolution: 1.0,
            min_cluster_size: 3,
            block_share: 0.2,
            passes: 10,
            randomness: 0.01,
        }
    }
}

impl CommunityParams {
    /// Leiden's parameters for this run.
    pub fn leiden(&self, seed: u64) -> leiden::LeidenParams {
        let quality = match self.objective {
            Objective::Modularity => leiden::Quality::Modularity {
                resolution: self.resolution,
            },
            Objective::Cpm => leiden::Quality::Cpm {
                resolution: self.resolution,
            },
        };
        leiden::LeidenParams {
            quality,
            seed,
            max_iterations: self.passes,
            randomness: self.randomness,
        }
    }

    /// The smallest cluster kept anywhere (a pair at least).
    pub fn min_size(&self) -> usize {
        self.min_cluster_size.max(2)
    }
}

/// What stage 1 found.
pub struct Communities<'s> {
    /// Clusters kept whole (too small to hide a group).
    pub clusters: Vec<Cluster>,
    /// Large clusters, each with its internal significant pairs, for [`super::split`].
    pub splittable: Vec<(Cluster, Vec<&'s PairRecord>)>,
    /// Number of communities (including those below the size limit).
    pub count: usize,
    /// Leiden quality of the partition.
    pub quality: f64,
}

/// Leiden on the significant pairs; `min_parent` accounts make a community splittable.
pub fn find<'s>(
    run: &Run<'s>,
    builder: &Builder<'_>,
    params: &CommunityParams,
    min_parent: usize,
) -> Communities<'s> {
    let n = run.graph.n_accounts();
    let edges: Vec<(u32, u32, f64)> = run
        .significant
        .iter()
        .map(|s| (s.record.a, s.record.b, edge_weight(&s.record)))
        .collect();
    let ug = leiden::UndirectedGraph::from_edges(n, &edges);
    let leiden_params = params.leiden(run.seed);
    let membership = leiden::leiden(&ug, &leiden_params);
    let quality = leiden::quality(&ug, &membership, &leiden_params.quality);
    let n_comm = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n_comm];
    for (v, &c) in membership.iter().enumerate() {
        if ug.neighbors(v as u32).next().is_some() {
            groups[c as usize].push(v as u32);
        }
    }
    let count = groups.iter().filter(|g| !g.is_empty()).count();
    let mut internal: Vec<Vec<&PairRecord>> = vec![Vec::new(); n_comm];
    for s in run.significant {
        let c = membership[s.record.a as usize];
        if c == membership[s.record.b as usize] {
            internal[c as usize].push(&s.record);
        }
    }
    let mut found = Communities {
        clusters: Vec::new(),
        splittable: Vec::new(),
        count,
        quality,
    };
    // Each community is measured on its own (in parallel; collected in community order, so
    // the result does not depend on the number of threads).
    let built: Vec<(Cluster, Vec<&PairRecord>)> = groups
        .into_par_iter()
        .zip(internal)
        .filter(|(members, _)| members.len() >= params.min_size())
        .map(|(members, edges)| (builder.build(members, &edges, FoundBy::Communities), edges))
        .collect();
    for (c, edges) in built {
        if c.members.len() < min_parent {
            found.clusters.push(c);
        } else {
            found.splittable.push((c, edges));
        }
    }
    found
}
