//! Stage 4 — detection: groups of accounts acting together, each measured as a block of
//! n accounts × m posts and given a type with reasons in plain words.
//!
//! [`detect`] runs these stages in order, each in its own file, each taking its own part of
//! [`DetectParams`] and handing the next one a value:
//!
//! 1. [`communities`]: Leiden (Traag et al. 2019) on the significant co-like pairs → clusters,
//!    and the large communities that may hide a group;
//! 2. [`split`]: Leiden again inside each large community; coordinated groups split off;
//! 3. [`candidates`]: groups pairwise co-likes cannot see — repeated burst co-participation
//!    ([`bursts`]), near-identical like sets ([`twins`]), dense blocks ([`fraudar`]);
//! 4. [`admission`]: each candidate is completed with the quiet accounts inside its bursts
//!    ([`expand`]) and admitted when it is flagged (a test against organic behaviour fails);
//! 5. [`completion`]: every coordinated cluster recruits its quiet members ([`expand`]),
//!    members who do not act with their flagged group leave it, and members of coordinated
//!    clusters leave the organic ones;
//! 6. [`cores`]: the block statement of every cluster ([`block`]) and the lockstep core of each
//!    flagged one ([`copycatch`]); clusters are numbered.
//!
//! Every cluster is built the same way ([`cluster::Builder`]): [`features`] measures its block
//! (timing, author diversity, reciprocity, camouflage, outside activity) and [`classify`] gives
//! it a type — bot farm, paid click network, engagement pod, per-post subscription, or organic
//! (fandom, viral, topical) — and the flag.

pub mod admission;
pub mod block;
pub mod bursts;
pub mod candidates;
pub mod classify;
pub mod cluster;
pub mod communities;
pub mod completion;
pub mod copycatch;
pub mod cores;
pub mod expand;
pub mod features;
pub mod fraudar;
pub mod judge;
pub mod leiden;
pub mod signatures;
pub mod split;
pub mod texts;
pub mod twins;

pub use classify::ClusterKind;
pub use cluster::{Cluster, FoundBy, edge_weight};
pub use communities::Objective;
pub use features::ClusterFeatures;

use crate::colike::{TestedPair, Window};
use crate::graph::LikeGraph;
use crate::ui::Ui;
use serde::{Deserialize, Serialize};

/// Every tuning number of detection, by stage (the `detect` part of [`crate::params::Params`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct DetectParams {
    /// Stage 1: communities among the significant pairs.
    pub communities: communities::CommunityParams,
    /// Stage 2: groups inside large communities.
    pub split: split::SplitParams,
    /// Size floor of groups found outside communities (stages 2–4).
    pub groups: GroupParams,
    /// Stage 3: burst co-participation.
    pub bursts: bursts::BurstParams,
    /// Stage 3: near-identical like sets.
    pub twins: twins::TwinParams,
    /// Stage 3: FRAUDAR dense blocks (off by default).
    pub dense_blocks: fraudar::DenseBlockParams,
    /// Stages 4–5: recruiting quiet accounts inside a group's bursts.
    pub expand: expand::ExpandParams,
    /// Stage 6: CopyCatch lockstep cores.
    pub cores: cores::CoreParams,
    /// The measures of a block.
    pub features: features::FeatureParams,
    /// The signatures of coordination.
    pub signatures: signatures::SignatureParams,
    /// The shared-text signature (data with a text column).
    pub texts: texts::TextParams,
    /// The flag: which signatures of coordination, how strong.
    pub judge: judge::JudgeParams,
    /// Who stays in a flagged group.
    pub members: completion::MemberParams,
    /// The type descriptions and their confidence.
    pub classify: classify::ClassifyParams,
}

/// The smallest group reported when it is found outside Leiden's communities (by splitting a
/// community, bursts, twins or dense blocks): below this a handful of accounts that happen to
/// share a few posts would be too easy to find by chance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupParams {
    /// Fewest accounts.
    pub min_accounts: usize,
    /// Fewest posts.
    pub min_posts: usize,
}

impl Default for GroupParams {
    fn default() -> Self {
        GroupParams {
            min_accounts: 5,
            min_posts: 3,
        }
    }
}

/// What every stage needs besides its own parameters: the graph, the reference window, the
/// run's false discovery rate and seed.
pub struct Run<'g> {
    /// The liker–post graph.
    pub graph: &'g LikeGraph,
    /// The significant pairs (from the projection).
    pub significant: &'g [TestedPair],
    /// The same pairs by account: the pairs inside a group ([`PairIndex::within`]).
    pub pairs: &'g crate::colike::PairIndex<'g>,
    /// The reference window (burst searches; a group's timescale when its pairs give none).
    pub window: Window,
    /// The co-like windows, in the order given (a pair's `best` indexes them).
    pub windows: Vec<Window>,
    /// False discovery rate of every test.
    pub fdr: f64,
    /// The co-like sweep's viral-moment cap (`colike.max_post_likers`, 0 = none): a moment
    /// with more likes than this links no pair of its accounts.
    pub max_post_likers: usize,
    /// Seed of every randomised step.
    pub seed: u64,
    /// What an interaction is: the words of the reasons.
    pub interaction: crate::vocab::Interaction,
    /// The near-duplicate comment stage, when the data has texts.
    pub texts: Option<&'g crate::comments::TextStage>,
    /// Where notes go.
    pub ui: &'g Ui,
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
    /// Milliseconds each stage took (in the manifest's `timings_ms`, named `detect.<stage>`).
    #[serde(skip)]
    pub timings_ms: Vec<(&'static str, u64)>,
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
pub fn detect(run: &Run<'_>, params: &DetectParams) -> Detection {
    let mut watch = crate::clock::Stopwatch::start();
    let mut lap = |stage: &'static str| watch.lap(stage);
    let delays = expand::DelayCdf::build(run.graph, params.expand.max_delays);
    let arrivals = expand::DelayCdf::after_origins(run.graph, params.expand.max_delays);
    let builder = cluster::Builder {
        delays: &arrivals,
        graph: run.graph,
        context: features::Context {
            objects_are_accounts: run.interaction == crate::vocab::Interaction::Follow
                && run.graph.authors.is_empty(),
            ..features::Context::new(run.graph, run.window, &params.features)
        },
        block_share: params.communities.block_share,
        classify: &params.classify,
        signatures: &params.signatures,
        judge: &params.judge,
        gate: (run.fdr / run.graph.n_accounts().max(1) as f64).log10(),
        confirm: run.fdr.log10(),
        windows: &run.windows,
        reference: run.window,
        interaction: run.interaction,
        texts: run.texts.map(|stage| texts::TextContext {
            stage,
            params: &params.texts,
        }),
    };
    let found = communities::find(
        run,
        &builder,
        &params.communities,
        params.split.min_parent_accounts,
    );
    let (count, quality) = (found.count, found.quality);
    lap("detect.communities");
    let mut clusters = split::split_communities(run, &builder, found, params);
    lap("detect.split");
    let candidates = candidates::find(run, &clusters, params);
    lap("detect.candidates");
    admission::admit(run, &builder, &delays, candidates, &mut clusters, params);
    lap("detect.admission");
    if params.expand.enabled {
        completion::recruit(run, &builder, &delays, &mut clusters, &params.expand);
    }
    let min_size = params.communities.min_size();
    completion::keep_active(run, &builder, &mut clusters, &params.members, min_size);
    texts::complete(run, &builder, &mut clusters, &params.texts);
    let mut clusters = completion::leave_organic(run, &builder, clusters, min_size);
    lap("detect.completion");
    cores::describe(run, &mut clusters, &params.cores, min_size);
    let account_cluster = cores::number(&mut clusters, run.graph.n_accounts());
    lap("detect.cores");
    run.ui.note(format!(
        "{} communities in the significant {} graph; {} clusters of at least {} accounts, {} flagged",
        count,
        run.interaction.co_noun(),
        clusters.len(),
        params.communities.min_cluster_size,
        clusters.iter().filter(|c| c.flagged).count()
    ));
    Detection {
        clusters,
        account_cluster,
        communities: count,
        quality,
        timings_ms: watch.laps(),
    }
}
