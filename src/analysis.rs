//! The whole analysis in memory: projection → detection → scores, from a loaded graph and one
//! parameter tree. The CLI's `detect`, the tests and the benches all call [`analyze`]; writing
//! the results is [`crate::export`]'s job.

use crate::colike::{self, ColikeError, ProjectionSummary, TestedPair, Window};
use crate::detect::{self, Detection};
use crate::graph::LikeGraph;
use crate::params::Params;
use crate::score::{self, Scores};
use crate::text::count;
use crate::ui::Ui;

/// Everything an analysis measured.
#[derive(Debug)]
pub struct Analysis {
    /// The parameters used.
    pub params: Params,
    /// The windows resolved against the data's clock, in the order given.
    pub windows: Vec<Window>,
    /// The reference window (`colike.reference_window`, or the first window when it does not
    /// fit the clock): the timescale of block statements and burst searches.
    pub reference_window: Window,
    /// The projection's counts.
    pub projection: ProjectionSummary,
    /// The significant pairs, in account order.
    pub significant: Vec<TestedPair>,
    /// Clusters and their statements.
    pub detection: Detection,
    /// Account, post and author scores.
    pub scores: Scores,
    /// The near-duplicate comment stage, when the data has texts ([`crate::comments`]).
    pub texts: Option<crate::comments::TextStage>,
    /// Milliseconds per stage (`colike`, `texts` when the data has texts, `detect`, `score`):
    /// vary between identical runs.
    pub timings_ms: Vec<(&'static str, u64)>,
}

impl Analysis {
    /// The reference window (named `primary` before a run tested several windows).
    pub fn primary_window(&self) -> Window {
        self.reference_window
    }
}

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The parameters do not fit the data (a duration window on data without times).
    #[error("{0}")]
    Parameters(String),
    /// The temporary pair file failed.
    #[error("temporary pair file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<ColikeError> for AnalysisError {
    fn from(e: ColikeError) -> Self {
        match e {
            ColikeError::Window(m) => AnalysisError::Parameters(m),
            ColikeError::Io(e) => AnalysisError::Io(e),
        }
    }
}

/// The parameters as used on data with this clock: without a time column the default windows
/// (durations) cannot apply, so `colike.logical_windows` are used.
fn for_clock(params: &Params, clock: crate::clock::Clock) -> Params {
    let mut p = params.clone();
    if clock.is_logical() && p.colike.windows == crate::colike::ColikeParams::default().windows {
        p.colike.windows = p.colike.logical_windows.clone();
    }
    p
}

/// The one line the console says about the clusters: how many groups each detector gave, and
/// how many of them are flagged, so that no count reads as contradicting another.
fn clusters_note(detection: &Detection, params: &Params) -> String {
    use crate::detect::FoundBy;
    let clusters = &detection.clusters;
    let from_communities = clusters
        .iter()
        .filter(|c| matches!(c.found_by, FoundBy::Communities | FoundBy::SubCommunities))
        .count();
    let flagged = clusters.iter().filter(|c| c.flagged).count();
    let more = clusters.len() - from_communities;
    format!(
        "{} clusters of at least {} accounts: {} from the {} communities of the significant {} graph{}; {} flagged as coordinated (a test against organic behaviour failed), {} not flagged",
        count(clusters.len() as u64),
        params.detect.communities.min_cluster_size,
        count(from_communities as u64),
        count(detection.communities as u64),
        params.interaction.co_noun(),
        if more > 0 {
            format!(
                ", {} more from bursts, near-identical {} sets and dense blocks",
                count(more as u64),
                params.interaction.noun()
            )
        } else {
            String::new()
        },
        count(flagged as u64),
        count((clusters.len() - flagged) as u64)
    )
}

/// Project, detect and score `graph` with `params`.
pub fn analyze(graph: &LikeGraph, params: &Params, ui: &Ui) -> Result<Analysis, AnalysisError> {
    analyze_from(graph, params, None, ui)
}

/// Pairs counted elsewhere (`lockstep detect --pairs`): a cluster job's per-window counts and
/// its summary.
#[derive(Debug, Clone)]
pub struct Precomputed {
    /// The job's summary.
    pub summary: colike::partial::JobSummary,
    /// Its pairs.
    pub pairs: Vec<colike::partial::CountedPair>,
}

/// [`analyze`], the co-like pairs re-tested from `precomputed` counts instead of counted here
/// (the same significant pairs, bit for bit, when they were counted with the same windows
/// and cap: see [`colike::partial::precomputed`]).
pub fn analyze_precomputed(
    graph: &LikeGraph,
    params: &Params,
    precomputed: &Precomputed,
    ui: &Ui,
) -> Result<Analysis, AnalysisError> {
    analyze_from(graph, params, Some(precomputed), ui)
}

fn analyze_from(
    graph: &LikeGraph,
    params: &Params,
    precomputed: Option<&Precomputed>,
    ui: &Ui,
) -> Result<Analysis, AnalysisError> {
    params.validate().map_err(AnalysisError::Parameters)?;
    let params = &for_clock(params, graph.clock);
    let mut watch = crate::clock::Stopwatch::start();
    let mut lap = |stage: &'static str| watch.lap(stage);
    let (significant, summary, windows) = match precomputed {
        None => {
            let projection = colike::project(graph, &params.colike, params.fdr, ui)?;
            let significant = ui.stage("significant pairs", || projection.significant())?;
            (
                significant,
                projection.summary.clone(),
                projection.windows.clone(),
            )
        }
        Some(p) => ui.stage("significant pairs", || {
            colike::partial::precomputed(graph, &params.colike, params.fdr, &p.summary, &p.pairs)
        })?,
    };
    ui.note(format!(
        "{} account pairs share a {} within {}; {} reported (≥ {} {}), {} significant at FDR {}",
        count(summary.tested_pairs),
        params.interaction.object(),
        params
            .colike
            .windows
            .iter()
            .filter_map(|w| w.resolve(graph.clock).ok().map(|r| (r, w)))
            .max_by_key(|x| x.0)
            .map_or_else(String::new, |x| x.1.to_string()),
        count(summary.reported_pairs),
        params.colike.min_colikes,
        params.interaction.co_nouns(),
        count(significant.len() as u64),
        params.fdr
    ));
    silent_zero(&summary, params, graph, ui);
    lap("colike");
    let texts = crate::comments::analyse(graph, &windows, &params.comments, params.fdr, params.seed);
    if let Some(t) = &texts {
        let s = &t.summary;
        ui.note(format!(
            "texts: {} comments ({} without words), {} families of near-duplicates, {} written by several accounts; {} account pairs share one, {} significant at FDR {}",
            s.comments, s.comments_without_words, s.families, s.shared_families, s.pairs.tested, s.pairs.significant, params.fdr
        ));
        lap("texts");
    }
    let reference = params
        .colike
        .reference_window
        .resolve(graph.clock)
        .unwrap_or(windows[0]);
    let pairs = crate::colike::PairIndex::new(&significant);
    let run = detect::Run {
        graph,
        significant: &significant,
        pairs: &pairs,
        window: reference,
        windows: windows.clone(),
        fdr: params.fdr,
        max_post_likers: params.colike.max_post_likers,
        seed: params.seed,
        interaction: params.interaction,
        texts: texts.as_ref(),
        // The stage's own line below says what its steps found.
        ui: &ui.without_notes(),
    };
    let detection = ui.stage("finding clusters", || detect::detect(&run, &params.detect));
    ui.note(clusters_note(&detection, params));
    lap("detect");
    let scores = ui.stage("scoring", || {
        score::score(graph, &detection, &significant, &params.score, params.interaction)
    });
    lap("score");
    watch.extend(&detection.timings_ms);
    Ok(Analysis {
        params: params.clone(),
        windows,
        reference_window: reference,
        projection: summary,
        significant,
        detection,
        scores,
        texts,
        timings_ms: watch.laps(),
    })
}

/// Say why a projection found nothing: 0 pairs is never a silent result.
fn silent_zero(s: &ProjectionSummary, params: &Params, graph: &LikeGraph, ui: &Ui) {
    let w = params.interaction;
    if s.tested_pairs == 0 {
        ui.warn(format!(
            "no two accounts share a {} within the windows, so no pair can be tested: {} {} on {} {} ({:.2} per {}). If that is not what the data holds, the post column is probably a row or comment id (lockstep inspect shows how often posts repeat; --post-col names another column)",
            w.object(),
            graph.n_likes(),
            w.nouns(),
            graph.n_posts(),
            w.objects(),
            graph.n_likes() as f64 / graph.n_posts().max(1) as f64,
            w.object()
        ));
    } else if s.significant_pairs == 0 {
        ui.warn(format!(
            "{} account pairs share a {}, but no pair's {} exceed what chance predicts at FDR {}: no group can be found from pairs (groups may still come from bursts, near-identical sets or shared texts)",
            s.tested_pairs,
            w.object(),
            w.co_nouns(),
            params.fdr
        ));
    }
}
