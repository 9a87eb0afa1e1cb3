//! Stage 4 — detection: communities in the significant co-like graph, their lockstep blocks,
//! features, and a type with reasons in plain words.
//!
//! 1. [`leiden`] finds communities among the significant co-like pairs (Traag et al. 2019).
//! 2. [`features`] describes each community as a block (n accounts × m posts) with timing,
//!    author diversity, reciprocity, camouflage and outside-activity measures.
//! 3. [`classify`] gives each cluster a type — bot farm, paid click network, engagement pod,
//!    per-post subscription, or organic (fandom, viral, topical) — and a flag decision.
//! 4. [`expand`] adds to each coordinated cluster the quiet accounts whose likes keep landing
//!    inside its bursts (a timing test with FDR control).

pub mod bursts;
pub mod classify;
pub mod copycatch;
pub mod expand;
pub mod features;
pub mod fraudar;
pub mod leiden;
pub mod split;
pub mod twins;

pub use classify::ClusterKind;
pub use features::ClusterFeatures;

use crate::colike::PairRecord;
use crate::graph::LikeGraph;
use crate::input::Clock;
use crate::ui::Ui;
use serde::Serialize;

/// Groups found outside communities (bursts, dense blocks) need at least this many accounts …
const MIN_GROUP_ACCOUNTS: usize = 5;
/// … and this many posts.
const MIN_GROUP_POSTS: usize = 3;

/// Which quality function Leiden optimises.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Modularity with a resolution γ (Reichardt–Bornholdt configuration model).
    Modularity,
    /// Constant Potts Model: γ is the minimum internal density of a community.
    Cpm,
}

/// Parameters of detection.
#[derive(Debug, Clone, Serialize)]
pub struct DetectParams {
    /// Leiden objective.
    pub objective: Objective,
    /// Leiden resolution γ.
    pub resolution: f64,
    /// Seed for Leiden's randomised refinement.
    pub seed: u64,
    /// Smallest community reported as a cluster.
    pub min_cluster_size: usize,
    /// A post is in a cluster's block when at least this share of the members liked it
    /// (and at least two members).
    pub block_share: f64,
    /// Add quiet accounts that keep liking inside a coordinated cluster's bursts.
    pub expand: bool,
    /// False discovery rate of the expansion test.
    pub fdr: f64,
    /// FRAUDAR dense blocks to look for among the accounts no community explains (0 = none).
    pub dense_blocks: usize,
}

impl Default for DetectParams {
    fn default() -> Self {
        DetectParams {
            objective: Objective::Modularity,
            resolution: 1.0,
            seed: 0,
            min_cluster_size: 3,
            block_share: 0.2,
            expand: true,
            fdr: 0.01,
            dense_blocks: 0,
        }
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
    /// Members added by [`expand`] (also in `members`), with their evidence.
    pub recruits: Vec<expand::Recruit>,
    /// Which detector found it: `communities` (Leiden on significant pairs), `sub_communities`
    /// (Leiden again inside a community, [`split`]), `bursts` (late burst co-participation),
    /// `twins` (near-identical like sets) or `dense_block` (FRAUDAR on late-burst likes).
    pub found_by: &'static str,
    /// The temporally coherent core of a flagged cluster (CopyCatch, seeded by the cluster) and
    /// its one-sentence statement.
    #[serde(skip)]
    pub core: Option<copycatch::TemporalBlock>,
    /// The core's statement, for tables and the report ("31 accounts × 12 posts: …").
    pub core_statement: Option<String>,
}

/// The result of detection.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// Clusters, in id order.
    pub clusters: Vec<Cluster>,
    /// Cluster id (1-based) of each account, 0 if none.
    pub account_cluster: Vec<u32>,
    /// Number of communities Leiden found (including those below the size limit).
    pub communities: usize,
    /// Leiden quality of the partition.
    pub quality: f64,
}

impl Detection {
    /// The cluster of an account, if any.
    pub fn cluster_of(&self, account: u32) -> Option<&Cluster> {
        match self.account_cluster[account as usize] {
            0 => None,
            id => self.clusters.get(id as usize - 1),
        }
    }
}

/// Run detection on the significant pairs of a projection.
pub fn detect(
    graph: &LikeGraph,
    significant: &[(PairRecord, f64)],
    primary_window: crate::colike::Window,
    params: &DetectParams,
    ui: &Ui,
) -> Detection {
    let n = graph.n_accounts();
    let edges: Vec<(u32, u32, f64)> = significant
        .iter()
        .map(|(r, _)| (r.a, r.b, edge_weight(r)))
        .collect();
    let ug = leiden::UndirectedGraph::from_edges(n, &edges);
    let quality = match params.objective {
        Objective::Modularity => leiden::Quality::Modularity {
            resolution: params.resolution,
        },
        Objective::Cpm => leiden::Quality::Cpm {
            resolution: params.resolution,
        },
    };
    let leiden_params = leiden::LeidenParams {
        quality,
        seed: params.seed,
        ..Default::default()
    };
    let membership = leiden::leiden(&ug, &leiden_params);
    let q = leiden::quality(&ug, &membership, &quality);
    let n_comm = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n_comm];
    for (v, &c) in membership.iter().enumerate() {
        if ug.neighbors(v as u32).next().is_some() {
            groups[c as usize].push(v as u32);
        }
    }
    let communities = groups.iter().filter(|g| !g.is_empty()).count();
    let mut internal: Vec<Vec<&PairRecord>> = vec![Vec::new(); n_comm];
    for (r, _) in significant {
        let c = membership[r.a as usize];
        if c == membership[r.b as usize] {
            internal[c as usize].push(r);
        }
    }
    let ctx = features::Context::new(graph, primary_window);
    let logical = graph.clock == Clock::Logical;
    let build_with = |members: Vec<u32>, posts: Vec<u32>, edges: &[&PairRecord], found_by: &'static str| {
        let f = features::measure(&ctx, &members, &posts, edges);
        let verdict = classify::classify(&f, logical);
        Cluster {
            id: 0,
            members,
            posts,
            features: f,
            kind: verdict.kind,
            flagged: verdict.kind.is_coordinated(),
            confidence: verdict.confidence,
            reasons: verdict.reasons,
            recruits: Vec::new(),
            found_by,
            core: None,
            core_statement: None,
        }
    };
    let build = |members: Vec<u32>, edges: &[&PairRecord]| -> Cluster {
        let posts = features::block_posts(graph, &members, params.block_share);
        build_with(members, posts, edges, "communities")
    };
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut splittable: Vec<(Cluster, &[&PairRecord])> = Vec::new();
    for (members, edges) in groups.into_iter().zip(&internal) {
        if members.len() < params.min_cluster_size.max(2) {
            continue;
        }
        let c = build(members, edges);
        if c.members.len() < 2 * MIN_GROUP_ACCOUNTS {
            clusters.push(c);
        } else {
            splittable.push((c, edges));
        }
    }
    // A coordinated group inside an organic community: modularity can merge a click network
    // into the topical community around it, whose block is then organic, or attach a
    // creator's audience to a click network. Leiden runs again on each community's own pairs;
    // sub-communities acting on the same block are joined, and a group is split off when it
    // is typed coordinated and passes the group test (Bonferroni over the groups tried).
    let mut split: Vec<Vec<Cluster>> = vec![Vec::new(); splittable.len()];
    let mut tried = 0usize;
    for (i, (parent, edges)) in splittable.iter().enumerate() {
        for members in split::sub_groups(
            graph,
            &parent.members,
            edges,
            &leiden_params,
            params.block_share,
            split::SAME_BLOCK,
        ) {
            if members.len() < MIN_GROUP_ACCOUNTS || members.len() == parent.members.len() {
                continue;
            }
            tried += 1;
            let inside = pairs_within(edges.iter().copied(), &members);
            let c = build(members, &inside);
            if c.flagged {
                split[i].push(c);
            }
        }
    }
    let sub_gate = (params.fdr / tried.max(1) as f64).log10();
    // What remains of a cluster once `gone` accounts leave it, rebuilt (None when too small).
    let remainder =
        |c: &Cluster, gone: &std::collections::HashSet<u32>, pairs: &mut dyn Iterator<Item = &PairRecord>| {
            let rest: Vec<u32> = c.members.iter().copied().filter(|a| !gone.contains(a)).collect();
            (rest.len() >= params.min_cluster_size.max(2)).then(|| {
                let inside = pairs_within(pairs, &rest);
                let mut r = build(rest, &inside);
                r.found_by = c.found_by;
                r
            })
        };
    for ((parent, edges), mut mine) in splittable.into_iter().zip(split) {
        mine.retain(|c| c.features.group_log10_p <= sub_gate);
        if mine.is_empty() {
            clusters.push(parent);
            continue;
        }
        let gone: std::collections::HashSet<u32> =
            mine.iter().flat_map(|c| c.members.iter().copied()).collect();
        let rest = remainder(&parent, &gone, &mut edges.iter().copied());
        // A coordinated community is split only to set aside an organic part (an audience
        // Leiden attached to a click network): its coordinated groups keep its type and the
        // rest is organic. Otherwise it stays whole.
        if parent.flagged
            && (rest.as_ref().is_none_or(|r| r.flagged) || mine.iter().any(|c| c.kind != parent.kind))
        {
            clusters.push(parent);
            continue;
        }
        for mut c in mine {
            c.found_by = "sub_communities";
            c.reasons.push(format!(
                "split from a community of {} accounts typed {}: Leiden run again on that community's own pairs",
                parent.members.len(),
                parent.kind.as_str()
            ));
            clusters.push(c);
        }
        clusters.extend(rest);
    }
    // Groups pairwise co-likes cannot see: burst co-participation and dense blocks among the
    // accounts no coordinated cluster explains (a farm's camouflage on popular posts can put
    // its bots in an organic, viral community, where their bursts are still theirs). Each must
    // pass the group-level test (Bonferroni over the candidates) and be typed as coordinated.
    let clustered: std::collections::HashSet<u32> = clusters
        .iter()
        .filter(|c| c.flagged)
        .flat_map(|c| c.members.iter().copied())
        .collect();
    let mut candidates: Vec<(Vec<u32>, Vec<u32>, &'static str)> = Vec::new();
    let burst_params = bursts::BurstParams {
        // An unlimited window gives no bursts: use an hour.
        window: match primary_window {
            crate::colike::Window::Span(w) => w,
            crate::colike::Window::Infinite => 3_600_000,
        },
        min_burst: 5,
        min_share: 0.5,
        min_bursts_per_account: 2,
        join_share: 0.5,
        join_alpha: params.fdr,
        member_fdr: params.fdr,
        min_accounts: params.min_cluster_size.max(2),
        seed: params.seed,
    };
    if !logical {
        for g in bursts::burst_groups(graph, &clustered, &burst_params) {
            candidates.push((g.accounts, g.posts, "bursts"));
        }
    }
    // Twins: accounts whose sets of liked posts are identical or nearly so (MinHash).
    let twin_params = twins::TwinParams {
        min_likes: MIN_GROUP_POSTS.max(5),
        seed: params.seed,
        ..Default::default()
    };
    for t in twins::twins(graph, &twin_params) {
        let accounts: Vec<u32> = t
            .accounts
            .into_iter()
            .filter(|a| !clustered.contains(a))
            .collect();
        candidates.push((accounts, t.posts, "twins"));
    }
    if params.dense_blocks > 0 && !logical {
        // FRAUDAR on the likes inside late burst-dominated windows: camouflage likes on
        // popular posts and the reactions to publication stay outside.
        let edges: Vec<(u32, u32)> = bursts::dominant_bursts(graph, &clustered, &burst_params)
            .into_iter()
            .filter(|b| b.late)
            .flat_map(|b| b.accounts.into_iter().map(move |a| (a, b.post)))
            .collect();
        let fraudar_params = fraudar::FraudarParams {
            blocks: params.dense_blocks,
            min_accounts: params.min_cluster_size.max(2),
            min_posts: 2,
            ..Default::default()
        };
        for b in fraudar::fraudar_on(n, graph.n_posts(), &edges, &fraudar_params) {
            candidates.push((b.accounts, b.posts, "dense_block"));
        }
    }
    let n_candidates = candidates.len();
    let gate = (params.fdr / n_candidates.max(1) as f64).log10();
    let expand_params = expand::ExpandParams::for_units_per_second(ctx.units_per_second, params.fdr);
    let delays = expand::DelayCdf::build(graph);
    let mut taken: std::collections::HashSet<u32> = clustered;
    let mut kept = 0usize;
    let min_size = params.min_cluster_size.max(MIN_GROUP_ACCOUNTS);
    for (members, posts, found_by) in candidates {
        // A later candidate may overlap an earlier one: keep each account in one cluster.
        let mut members: Vec<u32> = members.into_iter().filter(|a| !taken.contains(a)).collect();
        if members.len() < min_size || posts.len() < MIN_GROUP_POSTS {
            continue;
        }
        // Complete the pool before judging it: quieter accounts inside the same bursts.
        let recruits = expand::expand_alternating(graph, &delays, &members, &posts, &taken, &expand_params);
        members.extend(recruits.iter().map(|r| r.account));
        members.sort_unstable();
        members.dedup();
        let inside = pairs_within(significant.iter().map(|(r, _)| r), &members);
        let mut c = build_with(members, posts, &inside, found_by);
        if c.flagged && c.features.group_log10_p <= gate {
            c.reasons.push(format!(
                "found by {}: on these posts members gave {} likes where their share of all activity predicts {:.1} (10^{:.0})",
                match found_by {
                    "bursts" => "repeated participation in the same like bursts",
                    "twins" => "near-identical sets of liked posts (MinHash)",
                    _ => "dense-block search (FRAUDAR)",
                },
                (c.features.block_density * (c.members.len() * c.posts.len()) as f64).round(),
                c.features.group_expected,
                c.features.group_log10_p
            ));
            c.recruits = recruits;
            taken.extend(c.members.iter().copied());
            clusters.push(c);
            kept += 1;
        }
    }
    if n_candidates > 0 {
        ui.note(format!("{n_candidates} candidate groups from bursts and dense blocks; {kept} pass the group test as coordinated"));
    }
    if params.expand {
        // Recruits may come from clusters typed organic (a pool Leiden cut in two, one part
        // too small to look like a service), never from another coordinated cluster.
        let mut taken: std::collections::HashSet<u32> = clusters
            .iter()
            .filter(|c| c.flagged)
            .flat_map(|c| c.members.iter().copied())
            .collect();
        for c in clusters.iter_mut().filter(|c| c.flagged) {
            // A subscription delivers right after publication, like the organic audience:
            // its quiet members are told by liking several of the client's posts at all.
            let expand_params = expand::ExpandParams {
                with_participation: c.kind == ClusterKind::Subscription,
                ..expand_params
            };
            let recruits =
                expand::expand_alternating(graph, &delays, &c.members, &c.posts, &taken, &expand_params);
            if recruits.is_empty() {
                continue;
            }
            let mut members = c.members.clone();
            members.extend(recruits.iter().map(|r| r.account));
            members.sort_unstable();
            let edges = pairs_within(significant.iter().map(|(r, _)| r), &members);
            let mut grown = build(members, &edges);
            // Keep the expansion only if the grown cluster is still coordinated.
            if grown.flagged {
                grown.reasons.push(format!(
                    "{} quieter accounts were added because their likes on these posts keep landing inside the group's bursts",
                    recruits.len()
                ));
                grown.found_by = c.found_by;
                taken.extend(recruits.iter().map(|r| r.account));
                grown.recruits = recruits;
                *c = grown;
            }
        }
    }
    // Members of coordinated clusters (groups found by bursts, recruits) leave the organic
    // clusters they were also in.
    let taken: std::collections::HashSet<u32> = clusters
        .iter()
        .filter(|c| c.flagged)
        .flat_map(|c| c.members.iter().copied())
        .collect();
    let mut kept = Vec::with_capacity(clusters.len());
    for c in clusters {
        if c.flagged || !c.members.iter().any(|a| taken.contains(a)) {
            kept.push(c);
        } else {
            kept.extend(remainder(&c, &taken, &mut significant.iter().map(|(r, _)| r)));
        }
    }
    let mut clusters = kept;
    // The lockstep core of each flagged cluster: n accounts × m posts, every account within
    // 2Δt (Δt = half the primary window, at most 30 min) of each post's centre on at least half
    // of the posts.
    let delta_t = match primary_window {
        crate::colike::Window::Span(w) => (w / 2).max(1),
        crate::colike::Window::Infinite => (30.0 * 60.0 * ctx.units_per_second) as i64,
    }
    .min((30.0 * 60.0 * ctx.units_per_second) as i64);
    let core_params = copycatch::CopyCatchParams {
        delta_t,
        rho: 0.5,
        min_accounts: params.min_cluster_size.max(2),
        min_posts: 2,
        max_iterations: 20,
    };
    for c in clusters.iter_mut().filter(|c| c.flagged) {
        if let Some(core) = copycatch::copycatch(graph, &c.members, &c.posts, &core_params) {
            let statement = core.statement(graph.clock);
            c.reasons.push(format!("lockstep core (CopyCatch): {statement}"));
            c.core_statement = Some(statement);
            c.core = Some(core);
        }
    }
    clusters.sort_by(|x, y| {
        y.flagged
            .cmp(&x.flagged)
            .then(y.members.len().cmp(&x.members.len()))
            .then(x.members[0].cmp(&y.members[0]))
    });
    let mut account_cluster = vec![0u32; n];
    for (i, c) in clusters.iter_mut().enumerate() {
        c.id = i as u32 + 1;
        for &m in &c.members {
            account_cluster[m as usize] = c.id;
        }
    }
    let flagged = clusters.iter().filter(|c| c.flagged).count();
    ui.note(format!(
        "{} communities in the significant co-like graph; {} clusters of at least {} accounts, {} flagged",
        communities,
        clusters.len(),
        params.min_cluster_size,
        flagged
    ));
    Detection {
        clusters,
        account_cluster,
        communities,
        quality: q,
    }
}

/// The pairs with both accounts in `members` (ascending).
fn pairs_within<'a>(pairs: impl Iterator<Item = &'a PairRecord>, members: &[u32]) -> Vec<&'a PairRecord> {
    pairs
        .filter(|r| members.binary_search(&r.a).is_ok() && members.binary_search(&r.b).is_ok())
        .collect()
}

/// The weight of a significant pair in the community graph: its IDF-weighted co-likes, so
/// pairs built on popular posts weigh little.
pub fn edge_weight(r: &PairRecord) -> f64 {
    r.idf.max(1e-9)
}
