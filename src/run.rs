//! Whole jobs the CLI calls: load, [`analyze`], write — outputs all-or-nothing, with a
//! manifest recording inputs, parameters as used, counts and timings.

use crate::analysis::{Analysis, AnalysisError, analyze};
use crate::clock::Stopwatch;
use crate::colike::{self, ColikeError, ColikeParams, Projection, ProjectionSummary, TestedPair};
use crate::export::atomic::{StagedDir, StagedFile, Tidied};
use crate::export::{self, ExportOptions, TableFormat, TableWriter};
use crate::graph::LikeGraph;
use crate::input::{self, InputError, LoadOptions, LoadReport};
use crate::manifest::{Counts, Manifest, Parameters, RunInfo, RunRecord};
use crate::params::Params;
use crate::text::count;
use crate::ui::Ui;
use crate::vocab::Interaction;
use serde::Serialize;
use std::path::{Path, PathBuf};

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
    let graph = ui
        .stage("building the graph", || LikeGraph::build(interactions))
        .map_err(|e| RunError::Usage(e.to_string()))?;
    ui.note(format!(
        "{} {} by {} accounts on {} {}",
        count(graph.n_likes() as u64),
        w.nouns(),
        count(graph.n_accounts() as u64),
        count(graph.n_posts() as u64),
        w.objects()
    ));
    Ok((graph, report))
}

/// Steps of the bar over writing a detect run: the tables and graph files
/// ([`export::RESULT_STEPS`]), then evidence, report, manifest and the commit.
const WRITING_STEPS: u64 = export::RESULT_STEPS + 4;

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
    /// Word the run by the interaction of the recognised export format (comments for a
    /// comment export) when neither `--interaction` nor the parameter file named one.
    pub interaction_from_format: bool,
    /// Co-like pairs counted elsewhere (`--pairs`: a cluster job's output) instead of here.
    pub pairs: Option<PathBuf>,
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
    let mut timer = Stopwatch::start();
    // Staged first: an output that cannot be written fails now, not after the analysis.
    let staged = StagedDir::new(&job.out).map_err(out_err("output directory"))?;
    note_tidied(staged.tidied(), ui);
    let (graph, report) = load_graph_as(&job.inputs, &job.load, job.params.interaction, ui)?;
    timer.lap("load");
    let mut params = job.params.clone();
    if let Some(w) = format_interaction(&report).filter(|_| job.interaction_from_format)
        && w != params.interaction
    {
        ui.note(format!(
            "the inputs are {} exports: reasons and report speak of {} (--interaction sets it)",
            w.noun(),
            w.nouns()
        ));
        params.interaction = w;
    }
    let analysis = match &job.pairs {
        None => analyze(&graph, &params, ui)?,
        Some(path) => {
            let precomputed = crate::analysis::Precomputed {
                summary: input::pairs::read_summary(path)?,
                pairs: input::pairs::read(path, &params.colike.windows, &graph.accounts)?,
            };
            ui.note(format!(
                "{}: {} precomputed pairs",
                path.display(),
                count(precomputed.pairs.len() as u64)
            ));
            crate::analysis::analyze_precomputed(&graph, &params, &precomputed, ui)?
        }
    };
    timer.extend(&analysis.timings_ms);
    let results = export::Results::of(&graph, &analysis);
    // One bar over the writing: the tables, graph files, evidence, report and the commit.
    let bar = ui.bar(WRITING_STEPS, "writing", "steps");
    let step = |what: &str| {
        bar.set_message(format!("writing {what}"));
        bar.inc(1);
    };
    let mut exported = export::write_results(staged.path(), &results, &job.export, &step)
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
    step("evidence");
    let evidence =
        export::evidence::write_evidence(staged.path(), &results, &record, job.export.escape_formulas)
            .map_err(out_error)?;
    exported.files.extend(evidence);
    step("report");
    exported
        .files
        .extend(export::report::write_report(staged.path(), &results, &record).map_err(out_error)?);
    timer.lap("report");
    let manifest = Manifest {
        record: &record,
        outputs: Some(&exported),
        run: RunInfo {
            threads: rayon::current_num_threads(),
            timings_ms: timer.laps().into_iter().collect(),
        },
    };
    step("manifest");
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    step("the output");
    let committed = staged.commit().map_err(out_err("output directory"))?;
    bar.finish_and_clear();
    if let Some((old, why)) = committed.leftover {
        ui.warn(format!(
            "the previous output, moved to {}, could not be removed ({why}); the next run retries",
            old.display()
        ));
    }
    let c = &record.counts;
    ui.note(format!(
        "wrote {} ({} clusters, {} flagged as coordinated, {} accounts in them)",
        job.out.display(),
        count(c.clusters),
        count(c.flagged_clusters),
        count(c.flagged_accounts)
    ));
    Ok(DetectSummary {
        significant_pairs: analysis.significant.len() as u64,
        counts: record.counts,
    })
}

/// Say what was tidied in the output's folder before staging.
fn note_tidied(tidied: &Tidied, ui: &Ui) {
    if let Some(old) = &tidied.restored {
        ui.warn(format!(
            "an earlier run was interrupted while replacing its output: the previous output was put back from {}",
            old.display()
        ));
    }
    if !tidied.removed.is_empty() {
        ui.note(format!(
            "removed {} leftover{} of interrupted runs ({})",
            tidied.removed.len(),
            if tidied.removed.len() == 1 { "" } else { "s" },
            tidied
                .removed
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (path, why) in &tidied.failed {
        ui.warn(format!("could not remove the leftover {}: {why}", path.display()));
    }
}

/// The interaction of the inputs' export format, when every file has the same one.
fn format_interaction(report: &LoadReport) -> Option<Interaction> {
    let mut kinds = report
        .files
        .iter()
        .map(|f| f.source_format.map(|s| s.interaction()));
    let first = kinds.next()??;
    kinds.all(|k| k == Some(first)).then_some(first)
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
    let started = std::time::Instant::now();
    // Staged first: an output that cannot be written fails now, not after the projection.
    let staged = StagedFile::new(&job.out).map_err(out_err("output file"))?;
    note_tidied(staged.tidied(), ui);
    let (graph, _report) = load_graph(&job.inputs, &job.load, ui)?;
    let loaded = started.elapsed().as_secs_f64();
    let projection = colike::project(&graph, &job.colike, job.fdr, ui)?;
    let projected = started.elapsed().as_secs_f64();
    let mut writer = TableWriter::create(
        staged.path(),
        TableFormat::from_path(&job.out),
        job.escape_formulas,
    )
    .map_err(|e| RunError::Output(e.to_string()))?;
    let written = write_pairs(job, &graph, &projection, &mut writer)?;
    writer.finish().map_err(|e| RunError::Output(e.to_string()))?;
    staged.commit().map_err(out_err("output file"))?;
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
