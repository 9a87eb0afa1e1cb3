//! `lockstep colike`.

use super::{InputArgs, RunArgs, WindowList};
use clap::Args;
use lockstep::colike::ColikeParams;
use lockstep::run::{ColikeJob, RunError, run_colike};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
    lockstep colike likes.csv --window 1h --out pairs.csv
    lockstep colike likes.csv --window 30s,10m,1h,inf --min-colikes 2 --out pairs.parquet
    lockstep colike retweets.csv --window 60s --significant-only --out pairs.csv

Definition:
    For accounts a ≠ b and a window W, colikes_W(a, b) is the number of distinct posts both
    liked with |t(a,p) − t(b,p)| ≤ W, where t is each account's earliest like of the post.
    W = inf counts shared posts regardless of time; without a time column W counts positions
    in each post's like order. Windows slide exactly: there are no time bins.

Columns (docs/outputs.md has the full list):
    source, target, colikes (at the pair's best window), weight (IDF-weighted co-likes),
    colikes_<W> per window when several are given, jaccard, cosine, overlap, symmetry,
    source_first, target_first, median_dt, source_likes, target_likes, expected (null-model
    mean), pvalue, log10_pvalue, qvalue (Benjamini–Hochberg over all pairs with ≥ 1 co-like).

Tips:
    - The output is written to a temporary file and renamed, so a failed run leaves no file.
    - With --significant-only only pairs with qvalue ≤ --fdr are written.
    - .parquet keeps raw values and types; CSV text cells are protected against formulas.";

/// Arguments of `lockstep colike`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct ColikeArgs {
    /// Interaction files.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output file: .csv or .parquet.
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Windows, comma-separated (30s, 10m, 1h, 2d, inf); each pair's p-value is its best
    /// window's, Bonferroni-corrected over the windows.
    #[arg(long, value_name = "W[,W2…]", default_value = "1h", help_heading = "Co-likes")]
    pub window: WindowList,
    /// Write pairs with at least this many co-likes in the widest window.
    #[arg(long, value_name = "K", default_value_t = 2, help_heading = "Co-likes")]
    pub min_colikes: u32,
    /// False discovery rate for the q-value threshold of --significant-only.
    #[arg(long, value_name = "Q", default_value_t = 0.01, help_heading = "Co-likes")]
    pub fdr: f64,
    /// At each window, count a like's co-likes only when at most this many likes of its post
    /// fall within that window of it (counted and reported; 0 = no limit).
    #[arg(long, value_name = "N", default_value_t = 50_000, help_heading = "Co-likes")]
    pub max_post_likers: usize,
    /// Only write pairs with qvalue ≤ --fdr.
    #[arg(long, help_heading = "Co-likes")]
    pub significant_only: bool,
    /// Do not neutralise spreadsheet formulas in CSV cells.
    #[arg(long, help_heading = "Output")]
    pub no_formula_escape: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Run it.
pub fn run(args: ColikeArgs) -> Result<(), RunError> {
    if !(args.fdr > 0.0 && args.fdr <= 1.0) {
        return Err(RunError::Usage("--fdr must be in (0, 1]".into()));
    }
    let job = ColikeJob {
        inputs: args.inputs,
        load: args.input.load_options(),
        colike: ColikeParams {
            windows: args.window.0,
            min_colikes: args.min_colikes,
            max_post_likers: args.max_post_likers,
            // The projection alone writes every pair with --min-colikes co-likes.
            report_pvalue: 1.0,
            ..ColikeParams::default()
        },
        fdr: args.fdr,
        out: args.out,
        significant_only: args.significant_only,
        escape_formulas: !args.no_formula_escape,
    };
    run_colike(&job, &args.run.ui()).map(|_| ())
}
