//! The whole analysis in memory: projection → detection → scores, from a loaded graph and one
//! parameter tree. The CLI's `detect`, the tests and the benches all call [`analyze`]; writing
//! the results is [`crate::export`]'s job.

use crate::colike::{self, ColikeError, ProjectionSummary, TestedPair, Window};
use crate::detect::{self, Detection};
use crate::graph::LikeGraph;
use crate::params::Params;
use crate::score::{self, Scores};
use crate::ui::Ui;
use std::time::Instant;

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
    /// Milliseconds per stage (`colike`, `detect`, `score`): vary between identical runs.
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

/// Project, detect and score `graph` with `params`.
pub fn analyze(graph: &LikeGraph, params: &Params, ui: &Ui) -> Result<Analysis, AnalysisError> {
    params.validate().map_err(AnalysisError::Parameters)?;
    let params = &for_clock(params, graph.clock);
    let mut clock = Instant::now();
    let mut timings_ms = Vec::new();
    let mut lap = |stage: &'static str| {
        let now = Instant::now();
        timings_ms.push((stage, (now - clock).as_millis() as u64));
        clock = now;
    };
    let projection = colike::project(graph, &params.colike, params.fdr, ui)?;
    let significant = projection.significant()?;
    ui.note(format!(
        "{} account pairs share a {} within {}; {} reported (≥ {} {}), {} significant at FDR {}",
        projection.summary.tested_pairs,
        params.interaction.object(),
        params
            .colike
            .windows
            .iter()
            .filter_map(|w| w.resolve(graph.clock).ok().map(|r| (r, w)))
            .max_by_key(|x| x.0)
            .map_or_else(String::new, |x| x.1.to_string()),
        projection.summary.reported_pairs,
        params.colike.min_colikes,
        params.interaction.co_nouns(),
        significant.len(),
        params.fdr
    ));
    lap("colike");
    let reference = params
        .colike
        .reference_window
        .resolve(graph.clock)
        .unwrap_or(projection.windows[0]);
    let run = detect::Run {
        graph,
        significant: &significant,
        window: reference,
        windows: projection.windows.clone(),
        fdr: params.fdr,
        seed: params.seed,
        interaction: params.interaction,
        ui,
    };
    let detection = detect::detect(&run, &params.detect);
    lap("detect");
    let scores = score::score(graph, &detection, &significant, &params.score, params.interaction);
    lap("score");
    Ok(Analysis {
        params: params.clone(),
        windows: projection.windows.clone(),
        reference_window: reference,
        projection: projection.summary.clone(),
        significant,
        detection,
        scores,
        timings_ms,
    })
}
