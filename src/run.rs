//! Whole jobs the CLI calls: load, [`analyze`], write — outputs all-or-nothing, with a
//! manifest recording inputs, parameters as used, counts and timings.

use crate::analysis::{Analysis, AnalysisError, analyze};
use crate::colike::{self, ColikeError, ColikeParams, Projection, ProjectionSummary, TestedPair};
use crate::export::atomic::StagedDir;
use crate::export::{self, ExportOptions, TableFormat, TableWriter};
use crate::graph::LikeGraph;
use crate::input::{self, InputError, LoadOptions, LoadReport};
use crate::manifest::{Counts, Manifest, Parameters, RunInfo, RunRecord};
use crate::params::Params;
use crate::ui::Ui;
use crate::vocab::Interaction;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why a job failed; [`RunError::exit_code`] maps it to the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad input data (exit 2).
    #[error("{0}")]
    Input(#[from] InputError),
    /// Parameters that do not fit the data (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Writing outputs failed (exit 1).
    #[error("{0}")]
    Output(String),
}

impl RunError {
    /// 2 for bad input or parameters, 1 for failures writing output.
    pub fn exit_code(&self) -> i32 {
        match self {
            RunError::Input(_) | RunError::Usage(_) => 2,
            RunError::Output(_) => 1,
        }
    }
}

impl From<ColikeError> for RunError {
    fn from(e: ColikeError) -> Self {
        match e {
            ColikeError::Window(m) => RunError::Usage(m),
            ColikeError::Io(e) => RunError::Output(format!("temporary pair file: {e}")),
        }
    }
}

fn out_err(what: &str) -> impl Fn(std::io::Error) -> RunError + '_ {
    move |e| RunError::Output(format!("{what}: {e}"))
}

impl From<AnalysisError> for RunError {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::Parameters(m) => RunError::Usage(m),
            AnalysisError::Io(e) => RunError::Output(format!("temporary pair file: {e}")),
        }
    }
}

struct Timer {
    start: Instant,
    timings: BTreeMap<&'static str, u64>,
}

impl Timer {
    fn new() -> Self {
        Timer {
            start: Instant::now(),
            timings: BTreeMap::new(),
        }
    }
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.insert(stage, (now - self.start).as_millis() as u64);
        self.start = now;
    }
    /// Record stages timed elsewhere, and restart the clock.
    fn add(&mut self, stages: &[(&'static str, u64)]) {
        self.timings.extend(stages.iter().copied());
        self.start = Instant::now();
    }
}

/// Load and build the graph, with notes.
pub fn load_graph(
    inputs: &[PathBuf],
    load: &LoadOptions,
    ui: &Ui,
) -> Result<(LikeGraph, LoadReport), RunError> {
    load_graph_as(inputs, load, Interaction::Like, ui)
}

/// [`load_graph`], its note in the words of the interaction `w`.
pub fn load_graph_as(
    inputs: &[PathBuf],
    load: &LoadOptions,
    w: Interaction,
    ui: &Ui,
) -> Result<(LikeGraph, LoadReport), RunError> {
    let interactions = input::load(inputs, load, ui)?;
    let report = interactions.report.clone();
    let graph = LikeGraph::build(interactions).map_err(|e| RunError::Usage(e.to_string()))?;
    ui.note(format!(
        "{} {} by {} accounts on {} {}",
        graph.n_likes(),
        w.nouns(),
        graph.n_accounts(),
        graph.n_posts(),
        w.objects()
    ));
    Ok((graph, report))
}

/// A full `lockstep detect` job.
#[derive(Debug, Clone)]
pub struct DetectJob {
    /// Input files.
    pub inputs: Vec<PathBuf>,
    /// How to read them.
    pub load: LoadOptions,
    /// The analysis parameters (seed and FDR included).
    pub params: Params,
    /// Output options.
    pub export: ExportOptions,
    /// Output directory.
    pub out: PathBuf,
}

/// What a detect run found, for the closing message.
#[derive(Debug, Serialize)]
pub struct DetectSummary {
    /// Counts.
    pub counts: Counts,
    /// Significant pairs.
    pub significant_pairs: u64,
}

/// Run `detect`: load → analyze (co-likes → clusters → scores) → files.
pub fn run_detect(job: &DetectJob, ui: &Ui) -> Result<DetectSummary, RunError> {
    let mut timer = Timer::new();
    crate::export::atomic::check_target(&job.out).map_err(out_err("output directory"))?;
    let (graph, report) = load_graph_as(&job.inputs, &job.load, job.params.interaction, ui)?;
    timer.lap("load");
    let analysis = analyze(&graph, &job.params, ui)?;
    timer.add(&analysis.timings_ms);
    let staged = StagedDir::new(&job.out).map_err(out_err("output directory"))?;
    let results = export::Results::of(&graph, &analysis);
    let mut exported = export::write_results(staged.path(), &results, &job.export)
        .map_err(|e| RunError::Output(e.to_string()))?;
    timer.lap("export");
    let record = RunRecord {
        tool: "lockstep",
        version: env!("CARGO_PKG_VERSION"),
        command: "detect",
        inputs: &report,
        time_unit: graph.clock.unit_name(),
        parameters: Parameters {
            columns: &job.load.columns,
            time_format: &job.load.time_format,
            analysis: &analysis.params,
            export: &job.export,
        },
        seed: analysis.params.seed,
        counts: counts(&graph, &report, &analysis),
        projection: Some(&analysis.projection),
    };
    let out_error = |e: export::ExportError| RunError::Output(e.to_string());
    let evidence =
        export::evidence::write_evidence(staged.path(), &results, &record, job.export.escape_formulas)
            .map_err(out_error)?;
    exported.files.extend(evidence);
    exported
        .files
        .extend(export::report::write_report(staged.path(), &results, &record).map_err(out_error)?);
    timer.lap("report");
    let manifest = Manifest {
        record: &record,
        outputs: Some(&exported),
        run: RunInfo {
            threads: rayon::current_num_threads(),
            timings_ms: timer.timings,
        },
    };
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    staged.commit().map_err(out_err("output directory"))?;
    let c = &record.counts;
    ui.note(format!(
        "wrote {} ({} clusters, {} flagged, {} accounts flagged)",
        job.out.display(),
        c.clusters,
        c.flagged_clusters,
        c.flagged_accounts
    ));
    Ok(DetectSummary {
        significant_pairs: analysis.significant.len() as u64,
        counts: record.counts,
    })
}

/// The counts of a run.
fn counts(graph: &LikeGraph, report: &LoadReport, analysis: &Analysis) -> Counts {
    let clusters = &analysis.detection.clusters;
    Counts {
        rows: report.rows,
        likes: graph.n_likes() as u64,
        accounts: graph.n_accounts() as u64,
        posts: graph.n_posts() as u64,
        authors: graph.authors.len() as u64,
        duplicates_merged: report.duplicates_merged,
        communities: analysis.detection.communities as u64,
        clusters: clusters.len() as u64,
        flagged_clusters: clusters.iter().filter(|c| c.flagged).count() as u64,
        flagged_accounts: analysis.scores.accounts.iter().filter(|s| s.flagged).count() as u64,
    }
}

/// Write pretty JSON to a file.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), RunError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| RunError::Output(e.to_string()))?;
    std::fs::write(path, text + "\n").map_err(out_err("manifest"))
}

/// Pairs per table batch written by `colike` (one Parquet row group each).
const PAIRS_PER_BATCH: usize = 1 << 16;

/// A `lockstep colike` job: the projection alone, to one table file.
#[derive(Debug, Clone)]
pub struct ColikeJob {
    /// Input files.
    pub inputs: Vec<PathBuf>,
    /// How to read them.
    pub load: LoadOptions,
    /// Projection parameters.
    pub colike: ColikeParams,
    /// False discovery rate of the q-value threshold.
    pub fdr: f64,
    /// Output file (CSV or Parquet by extension).
    pub out: PathBuf,
    /// Only write significant pairs.
    pub significant_only: bool,
    /// Neutralise spreadsheet formulas in CSV.
    pub escape_formulas: bool,
}

/// Run `colike`: write every reported pair (or only significant ones) with all attributes.
pub fn run_colike(job: &ColikeJob, ui: &Ui) -> Result<ProjectionSummary, RunError> {
    let started = Instant::now();
    let (graph, _report) = load_graph(&job.inputs, &job.load, ui)?;
    let loaded = started.elapsed().as_secs_f64();
    let projection = colike::project(&graph, &job.colike, job.fdr, ui)?;
    let projected = started.elapsed().as_secs_f64();
    let parent = match job.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".lockstep-")
        .suffix(".partial")
        .tempfile_in(&parent)
        .map_err(out_err("output file"))?;
    let mut writer = TableWriter::create(temp.path(), TableFormat::from_path(&job.out), job.escape_formulas)
        .map_err(|e| RunError::Output(e.to_string()))?;
    let written = write_pairs(job, &graph, &projection, &mut writer)?;
    writer.finish().map_err(|e| RunError::Output(e.to_string()))?;
    temp.persist(&job.out)
        .map_err(|e| RunError::Output(format!("{}: {}", job.out.display(), e.error)))?;
    let total = started.elapsed().as_secs_f64();
    ui.note(format!(
        "wrote {} pairs to {} ({} tested, {} significant at FDR {}); {:.1} s: load {:.1}, co-likes {:.1}, write {:.1}",
        written,
        job.out.display(),
        projection.summary.tested_pairs,
        projection.summary.significant_pairs,
        job.fdr,
        total,
        loaded,
        projected - loaded,
        total - projected
    ));
    Ok(projection.summary)
}

/// A pipeline: a reader thread turns the spilled pairs into tables while this thread encodes,
/// compresses and writes the previous one. Order is kept: bytes do not change. Returns the
/// pairs written.
fn write_pairs(
    job: &ColikeJob,
    graph: &LikeGraph,
    projection: &Projection,
    writer: &mut TableWriter,
) -> Result<u64, RunError> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<export::table::Table, RunError>>(2);
    let mut written = 0u64;
    std::thread::scope(|scope| -> Result<(), RunError> {
        scope.spawn(move || read_pairs(job, graph, projection, &tx));
        for table in rx {
            let table = table?;
            written += table.rows() as u64;
            writer
                .write(&table)
                .map_err(|e| RunError::Output(e.to_string()))?;
        }
        Ok(())
    })?;
    Ok(written)
}

/// Read the spilled pairs back, keep the ones asked for, and send them as tables of
/// [`PAIRS_PER_BATCH`] rows (an empty table when there are none, so the CSV has its header).
fn read_pairs(
    job: &ColikeJob,
    graph: &LikeGraph,
    projection: &Projection,
    tx: &std::sync::mpsc::SyncSender<Result<export::table::Table, RunError>>,
) {
    let send_batch = |batch: &mut Vec<TestedPair>| {
        let table = export::pairs_table(graph, &job.colike.windows, batch, None);
        batch.clear();
        tx.send(Ok(table)).is_ok()
    };
    let pairs = match projection.pairs() {
        Ok(pairs) => pairs,
        Err(e) => {
            let _ = tx.send(Err(out_err("temporary pair file")(e)));
            return;
        }
    };
    let ln_fdr = job.fdr.ln();
    let mut batch: Vec<TestedPair> = Vec::with_capacity(PAIRS_PER_BATCH);
    let mut sent_any = false;
    for (i, rec) in pairs.enumerate() {
        let record = match rec {
            Ok(record) => record,
            Err(e) => {
                let _ = tx.send(Err(out_err("temporary pair file")(e)));
                return;
            }
        };
        let ln_q = projection.ln_q[i];
        if job.significant_only && ln_q > ln_fdr {
            continue;
        }
        batch.push(TestedPair {
            record,
            q: ln_q.exp(),
        });
        if batch.len() == PAIRS_PER_BATCH {
            if !send_batch(&mut batch) {
                return;
            }
            sent_any = true;
        }
    }
    if !batch.is_empty() || !sent_any {
        send_batch(&mut batch);
    }
}
