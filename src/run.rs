//! Whole jobs the CLI calls: each walks the pipeline stages in order and writes its outputs
//! all-or-nothing, with a manifest recording inputs, parameters, counts and timings.

use crate::colike::{self, ColikeError, ColikeParams, ProjectionSummary};
use crate::detect::{self, DetectParams};
use crate::export::atomic::StagedDir;
use crate::export::{self, ExportOptions, ExportSummary, TableFormat, TableWriter};
use crate::graph::LikeGraph;
use crate::input::{self, Clock, InputError, LoadOptions, LoadReport};
use crate::score;
use crate::ui::Ui;
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

/// Counts of a run, recorded in the manifest.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    /// Data rows read.
    pub rows: u64,
    /// Likes after merging duplicates.
    pub likes: u64,
    /// Distinct accounts.
    pub accounts: u64,
    /// Distinct posts.
    pub posts: u64,
    /// Distinct authors.
    pub authors: u64,
    /// Duplicate (account, post) rows merged.
    pub duplicates_merged: u64,
    /// Communities found.
    pub communities: u64,
    /// Clusters reported.
    pub clusters: u64,
    /// Clusters flagged.
    pub flagged_clusters: u64,
    /// Accounts flagged.
    pub flagged_accounts: u64,
}

/// The run record written as `manifest.json`.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    /// Always "lockstep".
    pub tool: &'static str,
    /// Crate version.
    pub version: &'static str,
    /// Subcommand.
    pub command: &'static str,
    /// Inputs with their SHA-256.
    pub inputs: &'a LoadReport,
    /// "seconds" for real timestamps, "positions" in logical time: the unit of every
    /// time-difference column.
    pub time_unit: &'static str,
    /// Every parameter.
    pub parameters: BTreeMap<&'static str, serde_json::Value>,
    /// Seed.
    pub seed: u64,
    /// Counts.
    pub counts: Counts,
    /// The projection's own counts (tested, reported, significant pairs, skipped likes).
    pub projection: Option<&'a ProjectionSummary>,
    /// Files written and XML cleaning.
    pub outputs: Option<&'a ExportSummary>,
    /// The only part that differs between identical runs: threads and stage timings.
    pub run: RunInfo,
}

/// Thread count and timings (vary between identical runs).
#[derive(Debug, Default, Serialize)]
pub struct RunInfo {
    /// Worker threads.
    pub threads: usize,
    /// Milliseconds per stage.
    pub timings_ms: BTreeMap<&'static str, u64>,
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
}

fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn time_unit(clock: Clock) -> &'static str {
    match clock {
        Clock::Timestamps => "seconds",
        Clock::Logical => "positions",
    }
}

/// Load and build the graph, with notes.
pub fn load_graph(
    inputs: &[PathBuf],
    load: &LoadOptions,
    ui: &Ui,
) -> Result<(LikeGraph, LoadReport), RunError> {
    let interactions = input::load(inputs, load, ui)?;
    let report = interactions.report.clone();
    let graph = LikeGraph::build(interactions).map_err(|e| RunError::Usage(e.to_string()))?;
    ui.note(format!(
        "{} likes by {} accounts on {} posts",
        graph.n_likes(),
        graph.n_accounts(),
        graph.n_posts()
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
    /// Projection parameters.
    pub colike: ColikeParams,
    /// Detection parameters (its seed is the run's seed).
    pub detect: DetectParams,
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

/// Run `detect`: load → graph → co-like projection → communities → scores → files.
pub fn run_detect(job: &DetectJob, ui: &Ui) -> Result<DetectSummary, RunError> {
    let mut timer = Timer::new();
    crate::export::atomic::check_target(&job.out).map_err(out_err("output directory"))?;
    let (graph, report) = load_graph(&job.inputs, &job.load, ui)?;
    timer.lap("load");
    let projection = colike::project(&graph, &job.colike, ui)?;
    let significant = projection.significant().map_err(out_err("temporary pair file"))?;
    ui.note(format!(
        "{} account pairs share a post within {}; {} reported (≥ {} co-likes), {} significant at FDR {}",
        projection.summary.tested_pairs,
        job.colike.windows[0],
        projection.summary.reported_pairs,
        job.colike.min_colikes,
        significant.len(),
        job.colike.fdr
    ));
    timer.lap("colike");
    let detect_params = DetectParams {
        fdr: job.colike.fdr,
        ..job.detect.clone()
    };
    let detection = detect::detect(&graph, &significant, projection.windows[0], &detect_params, ui);
    timer.lap("detect");
    let scores = score::score(&graph, &detection, &significant);
    timer.lap("score");
    let staged = StagedDir::new(&job.out).map_err(out_err("output directory"))?;
    let results = export::Results {
        graph: &graph,
        windows: &job.colike.windows,
        significant: &significant,
        detection: &detection,
        scores: &scores,
    };
    let mut exported = export::write_results(staged.path(), &results, &job.export)
        .map_err(|e| RunError::Output(e.to_string()))?;
    timer.lap("export");
    let counts = Counts {
        rows: report.rows,
        likes: graph.n_likes() as u64,
        accounts: graph.n_accounts() as u64,
        posts: graph.n_posts() as u64,
        authors: graph.authors.len() as u64,
        duplicates_merged: report.duplicates_merged,
        communities: detection.communities as u64,
        clusters: detection.clusters.len() as u64,
        flagged_clusters: detection.clusters.iter().filter(|c| c.flagged).count() as u64,
        flagged_accounts: scores.accounts.iter().filter(|s| s.flagged).count() as u64,
    };
    let mut parameters = BTreeMap::new();
    parameters.insert("columns", to_json(&job.load.columns));
    parameters.insert("time_format", to_json(&job.load.time_format));
    parameters.insert("colike", to_json(&job.colike));
    parameters.insert("detect", to_json(&job.detect));
    parameters.insert("export", to_json(&job.export));
    let mut manifest = Manifest {
        tool: "lockstep",
        version: env!("CARGO_PKG_VERSION"),
        command: "detect",
        inputs: &report,
        time_unit: time_unit(graph.clock),
        parameters,
        seed: job.detect.seed,
        counts,
        projection: Some(&projection.summary),
        outputs: None,
        run: RunInfo::default(),
    };
    // Evidence and the report cite the run (inputs with hashes, parameters, counts).
    let run_json = to_json(&manifest);
    let evidence =
        export::evidence::write_evidence(staged.path(), &results, &run_json, job.export.escape_formulas)
            .map_err(|e| RunError::Output(e.to_string()))?;
    exported.files.extend(evidence);
    let report_files = export::report::write_report(staged.path(), &results, &run_json)
        .map_err(|e| RunError::Output(e.to_string()))?;
    exported.files.extend(report_files);
    timer.lap("report");
    manifest.outputs = Some(&exported);
    manifest.run = RunInfo {
        threads: rayon::current_num_threads(),
        timings_ms: timer.timings,
    };
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    staged.commit().map_err(out_err("output directory"))?;
    ui.note(format!(
        "wrote {} ({} clusters, {} flagged, {} accounts flagged)",
        job.out.display(),
        manifest.counts.clusters,
        manifest.counts.flagged_clusters,
        manifest.counts.flagged_accounts
    ));
    Ok(DetectSummary {
        significant_pairs: significant.len() as u64,
        counts: manifest.counts,
    })
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
    let (graph, _report) = load_graph(&job.inputs, &job.load, ui)?;
    let loaded = started.elapsed().as_secs_f64();
    let projection = colike::project(&graph, &job.colike, ui)?;
    let projected = started.elapsed().as_secs_f64();
    let format = TableFormat::from_path(&job.out);
    let parent = match job.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".lockstep-")
        .suffix(".partial")
        .tempfile_in(&parent)
        .map_err(out_err("output file"))?;
    let mut writer = TableWriter::create(temp.path(), format, job.escape_formulas)
        .map_err(|e| RunError::Output(e.to_string()))?;
    let ln_fdr = job.colike.fdr.ln();
    // A pipeline: a reader thread turns the spilled pairs into tables while this thread
    // encodes, compresses and writes the previous one. Order is kept: bytes do not change.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<export::table::Table, RunError>>(2);
    let mut written = 0u64;
    std::thread::scope(|scope| -> Result<(), RunError> {
        let (graph, projection) = (&graph, &projection);
        scope.spawn(move || {
            let send_batch = |batch: &mut Vec<(colike::PairRecord, f64)>| {
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
            let mut batch: Vec<(colike::PairRecord, f64)> = Vec::with_capacity(PAIRS_PER_BATCH);
            let mut sent_any = false;
            for (i, rec) in pairs.enumerate() {
                let rec = match rec {
                    Ok(rec) => rec,
                    Err(e) => {
                        let _ = tx.send(Err(out_err("temporary pair file")(e)));
                        return;
                    }
                };
                let ln_q = projection.ln_q[i];
                if job.significant_only && ln_q > ln_fdr {
                    continue;
                }
                batch.push((rec, ln_q.exp()));
                if batch.len() == PAIRS_PER_BATCH {
                    if !send_batch(&mut batch) {
                        return;
                    }
                    sent_any = true;
                }
            }
            // An empty table still gives the CSV its header.
            if !batch.is_empty() || !sent_any {
                send_batch(&mut batch);
            }
        });
        for table in rx {
            let table = table?;
            written += table.rows() as u64;
            writer
                .write(&table)
                .map_err(|e| RunError::Output(e.to_string()))?;
        }
        Ok(())
    })?;
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
        job.colike.fdr,
        total,
        loaded,
        projected - loaded,
        total - projected
    ));
    Ok(projection.summary)
}
