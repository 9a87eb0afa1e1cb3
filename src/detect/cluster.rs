//! A detected cluster, and the one way every stage builds one: measure its block
//! ([`super::features`]), type it ([`super::classify`]) and keep the verdict beside it.

use super::block::BlockStatement;
use super::classify::{self, ClassifyParams, ClusterKind};
use super::copycatch::TemporalBlock;
use super::expand::Recruit;
use super::features::{self, ClusterFeatures};
use crate::colike::PairRecord;
use crate::graph::LikeGraph;
use crate::vocab::Interaction;
use serde::Serialize;
use std::collections::HashSet;

/// Which detector found a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// Leiden on the significant co-like pairs.
    Communities,
    /// Leiden again inside a community ([`super::split`]).
    SubCommunities,
    /// Repeated participation in the same late like bursts ([`super::bursts`]).
    Bursts,
    /// Near-identical sets of liked posts ([`super::twins`]).
    Twins,
    /// FRAUDAR on the likes inside late bursts ([`super::fraudar`]).
    DenseBlock,
    /// Accounts writing the same near-duplicate texts ([`super::texts`]).
    Texts,
}

impl FoundBy {
    /// The name used in `clusters.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::Communities => "communities",
            FoundBy::SubCommunities => "sub_communities",
            FoundBy::Bursts => "bursts",
            FoundBy::Twins => "twins",
            FoundBy::DenseBlock => "dense_block",
            FoundBy::Texts => "texts",
        }
    }

    /// What the detector looks for, in words (for a cluster's reasons).
    pub fn description(self, w: Interaction) -> String {
        match self {
            FoundBy::Communities => format!("communities of significant {} pairs (Leiden)", w.co_noun()),
            FoundBy::SubCommunities => "sub-communities of a community (Leiden again)".into(),
            FoundBy::Bursts => format!("repeated participation in the same {} bursts", w.noun()),
            FoundBy::Twins => format!("near-identical sets of {} (MinHash)", w.past_objects()),
            FoundBy::DenseBlock => "dense-block search (FRAUDAR)".into(),
            FoundBy::Texts => "accounts writing the same near-duplicate texts (MinHash, tested against how common each text is)".into(),
        }
    }
}

impl std::fmt::Display for FoundBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected cluster of accounts and the posts they act on together.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// 1-based id, ordered: flagged first, then by size, then by smallest member id.
    pub id: u32,
    /// Member account ids, ascending.
    pub members: Vec<u32>,
    /// Posts of the block (liked by at least `block_share` of the members), ascending.
    pub posts: Vec<u32>,
    /// Measured features.
    pub features: ClusterFeatures,
    /// The type given by [`classify`].
    pub kind: ClusterKind,
    /// Whether the cluster is flagged as coordinated.
    pub flagged: bool,
    /// Confidence in the type, 0..1.
    pub confidence: f64,
    /// The reasons for the type, in plain words.
    pub reasons: Vec<String>,
    /// Members added by [`super::expand`] (also in `members`), with their evidence.
    pub recruits: Vec<Recruit>,
    /// Which detector found it.
    pub found_by: FoundBy,
    /// The flag decision and its evidence.
    pub judgement: super::judge::Judgement,
    /// The temporally coherent core of a flagged cluster (CopyCatch, seeded by the cluster).
    #[serde(skip)]
    pub core: Option<TemporalBlock>,
    /// The core's statement, for tables and the report ("31 accounts × 12 posts: …").
    pub core_statement: Option<String>,
    /// The cluster as an n accounts × m posts × 2Δt block, its posts in burst order (earliest
    /// burst first); measured once by [`super::cores`] for every cluster (empty before).
    #[serde(skip)]
    pub block: BlockStatement,
    /// The timescale the cluster was found at, when its detector has one (the burst window of
    /// a burst group): its timescale whenever its significant pairs give none, kept across
    /// rebuilds.
    #[serde(skip)]
    pub found_at: Option<crate::colike::Window>,
}

/// Builds clusters: the graph and the measures every stage shares.
pub struct Builder<'g> {
    /// The liker–post graph.
    pub graph: &'g LikeGraph,
    /// Run-wide facts the features are measured against.
    pub context: features::Context<'g>,
    /// Share of the members that must like a post for it to be in the block.
    pub block_share: f64,
    /// The typing rules' parameters.
    pub classify: &'g ClassifyParams,
    /// The flag's parameters.
    pub judge: &'g super::judge::JudgeParams,
    /// log10 of the per-group level of the flag's tests.
    pub gate: f64,
    /// log10 of the run's FDR: the level of a test that confirms another on a group already
    /// singled out.
    pub confirm: f64,
    /// The signatures' parameters.
    pub signatures: &'g super::signatures::SignatureParams,
    /// The co-like windows (a pair's `best` indexes them).
    pub windows: &'g [crate::colike::Window],
    /// The timescale of a group whose pairs give none.
    pub reference: crate::colike::Window,
    /// The data set's like delays after each post's origin (the arrival curve of a post nobody
    /// knows more about).
    pub delays: &'g super::expand::DelayCdf,
    /// What an interaction is: the words of the reasons.
    pub interaction: Interaction,
    /// The text stage, when the data has texts: the shared-text signature of every group.
    pub texts: Option<super::texts::TextContext<'g>>,
}

impl<'g> Builder<'g> {
    /// A cluster of `members` on its own block (posts liked by `block_share` of them).
    pub fn build(&self, members: Vec<u32>, edges: &[&PairRecord], found_by: FoundBy) -> Cluster {
        self.build_at(members, edges, found_by, None)
    }

    /// [`Builder::build`] for a group found at a timescale of its own (see
    /// [`Cluster::found_at`]).
    pub fn build_at(
        &self,
        members: Vec<u32>,
        edges: &[&PairRecord],
        found_by: FoundBy,
        found_at: Option<crate::colike::Window>,
    ) -> Cluster {
        let posts = features::block_posts(self.graph, &members, self.block_share);
        self.build_on_at(members, posts, edges, found_by, found_at)
    }

    /// A cluster of `members` on the given block posts.
    pub fn build_on(
        &self,
        members: Vec<u32>,
        posts: Vec<u32>,
        edges: &[&PairRecord],
        found_by: FoundBy,
    ) -> Cluster {
        self.build_on_at(members, posts, edges, found_by, None)
    }

    /// [`Builder::build_on`] for a group found at a timescale of its own.
    pub fn build_on_at(
        &self,
        members: Vec<u32>,
        posts: Vec<u32>,
        edges: &[&PairRecord],
        found_by: FoundBy,
        found_at: Option<crate::colike::Window>,
    ) -> Cluster {
        let mut f = features::measure(&self.context, &members, &posts, edges);
        let timescale = self.timescale(edges, found_at);
        f.signatures = super::signatures::measure(
            self.graph,
            &members,
            &posts,
            timescale,
            self.windows,
            self.delays,
            self.signatures,
        );
        f.texts = super::texts::measure(self.texts, &members, &posts);
        let judgement = super::judge::judge(
            &f,
            self.gate,
            self.confirm,
            self.signatures.post_alpha,
            self.judge,
        );
        let columns = classify::Columns {
            times: !self.graph.clock.is_logical(),
            authors: !self.graph.authors.is_empty(),
            reciprocity: !self.graph.authors.is_empty() || self.context.objects_are_accounts,
            words: self.interaction,
        };
        let verdict = classify::classify(&f, &judgement, columns, self.classify);
        Cluster {
            id: 0,
            members,
            posts,
            features: f,
            kind: verdict.kind,
            flagged: judgement.flagged,
            judgement,
            confidence: verdict.confidence,
            reasons: verdict.reasons,
            recruits: Vec::new(),
            found_by,
            core: None,
            core_statement: None,
            block: BlockStatement::default(),
            found_at,
        }
    }

    /// A group's timescale: the window most of its significant pairs are strongest at (the
    /// narrower on ties), or the timescale it was found at, or the reference window.
    pub fn timescale(
        &self,
        edges: &[&PairRecord],
        found_at: Option<crate::colike::Window>,
    ) -> crate::colike::Window {
        let mut votes = vec![0usize; self.windows.len()];
        for r in edges {
            if let Some(v) = votes.get_mut(r.best as usize) {
                *v += 1;
            }
        }
        let mut best: Option<(usize, crate::colike::Window)> = None;
        for (&v, &w) in votes.iter().zip(self.windows) {
            if v > 0 && best.is_none_or(|(bv, bw)| v > bv || (v == bv && w < bw)) {
                best = Some((v, w));
            }
        }
        best.map_or(found_at.unwrap_or(self.reference), |b| b.1)
    }

    /// What remains of `c` once the `gone` accounts leave it, rebuilt on its own block with
    /// its detector kept; `None` when fewer than `min_size` accounts remain.
    pub fn remainder<'p>(
        &self,
        c: &Cluster,
        gone: &HashSet<u32>,
        pairs: impl Iterator<Item = &'p PairRecord>,
        min_size: usize,
    ) -> Option<Cluster> {
        let rest: Vec<u32> = c.members.iter().copied().filter(|a| !gone.contains(a)).collect();
        (rest.len() >= min_size).then(|| {
            let inside = pairs_within(pairs, &rest);
            self.build_at(rest, &inside, c.found_by, c.found_at)
        })
    }
}

/// The pairs with both accounts in `members` (ascending).
pub fn pairs_within<'a>(pairs: impl Iterator<Item = &'a PairRecord>, members: &[u32]) -> Vec<&'a PairRecord> {
    pairs
        .filter(|r| members.binary_search(&r.a).is_ok() && members.binary_search(&r.b).is_ok())
        .collect()
}

/// Members of the flagged clusters.
pub fn flagged_members(clusters: &[Cluster]) -> HashSet<u32> {
    clusters
        .iter()
        .filter(|c| c.flagged)
        .flat_map(|c| c.members.iter().copied())
        .collect()
}

/// The weight of a significant pair in the community graph: its IDF-weighted co-likes, so
/// pairs built on popular posts weigh little (a pair whose only co-likes are on a post every
/// account liked, idf 0, keeps the smallest positive weight so the pair stays an edge).
pub fn edge_weight(r: &PairRecord) -> f64 {
    r.idf.max(MIN_EDGE_WEIGHT)
}

/// The smallest edge weight (see [`edge_weight`]): a numerical floor, not a tuning number.
const MIN_EDGE_WEIGHT: f64 = 1e-9;
