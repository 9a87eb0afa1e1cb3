//! The run record: what was read, with which parameters, and what was found — typed, built
//! once. Evidence files and the report cite the [`RunRecord`]; `manifest.json` is the record
//! plus the files written and the timings ([`Manifest`]), written last.

use crate::colike::ProjectionSummary;
use crate::export::{ExportOptions, ExportSummary};
use crate::input::{ColumnSpec, LoadReport, TimeFormat};
use crate::params::Params;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of a run.
#[derive(Debug, Default, Clone, Serialize)]
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

/// Every parameter of a run: how the inputs were read, the analysis tree as used, the outputs.
#[derive(Debug, Serialize)]
pub struct Parameters<'a> {
    /// Column choices given (detected ones are in `inputs.files[].columns`).
    pub columns: &'a ColumnSpec,
    /// How times were read.
    pub time_format: &'a TimeFormat,
    /// The analysis parameters as used (seed, fdr, colike, detect, score).
    #[serde(flatten)]
    pub analysis: &'a Params,
    /// Output options.
    pub export: &'a ExportOptions,
}

/// What a run read, with which parameters, and what it found.
#[derive(Debug, Serialize)]
pub struct RunRecord<'a> {
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
    pub parameters: Parameters<'a>,
    /// Seed.
    pub seed: u64,
    /// Counts.
    pub counts: Counts,
    /// The projection's own counts (tested, reported, significant pairs, skipped likes).
    pub projection: Option<&'a ProjectionSummary>,
}

/// Thread count and timings (vary between identical runs).
#[derive(Debug, Default, Serialize)]
pub struct RunInfo {
    /// Worker threads.
    pub threads: usize,
    /// Milliseconds per stage.
    pub timings_ms: BTreeMap<&'static str, u64>,
}

/// `manifest.json`: the run record, the files written and the timings.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    /// The run record.
    #[serde(flatten)]
    pub record: &'a RunRecord<'a>,
    /// Files written and XML cleaning.
    pub outputs: Option<&'a ExportSummary>,
    /// The only part that differs between identical runs: threads and stage timings.
    pub run: RunInfo,
}

impl RunRecord<'_> {
    /// Input file paths, as cited in the evidence.
    pub fn source_names(&self) -> Vec<String> {
        self.inputs
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect()
    }

    /// The record as JSON, for writers that list it generically (the report's tables).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
