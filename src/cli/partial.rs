//! `lockstep partial`: the per-partition steps of the cluster job in `spark/colike.py`.

use super::WindowList;
use clap::{Args, Subcommand};
use lockstep::input::TimeFormat;
use lockstep::parts::{self, TestOptions};
use lockstep::run::RunError;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
The steps `spark/colike.py` runs on each partition of its data (see the README, \"More than
one machine\"). Each reads Parquet files and writes Parquet files or one JSON line on stdout;
each is the projection's own code, so the job computes what `lockstep colike` computes.

A batch of likes (posts, colikes) has the columns account, post, time (text as in the input,
or typed) and account_likes (the account's likes in the whole data); all likes of each of its
posts are in it, and its rows come in the order of each account's first appearance in the
whole input.

Examples:
    lockstep partial plan --window 1h,inf
    lockstep partial posts batch.parquet --window 1h,inf --max-post-likers 50000
    lockstep partial colikes batch.parquet --window 1h,inf --accounts 22513 --out parts.parquet
    lockstep partial test sums.parquet --window 1h,inf --likes 70751 --twice-pairs 5210,9912 \\
        --out pairs.parquet
    lockstep partial qvalues chunk.parquet --first-rank 1 --tested 812000 --carry 0 --out q.parquet";

/// Arguments of `lockstep partial`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct PartialArgs {
    /// The step.
    #[command(subcommand)]
    pub step: Step,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N", global = true)]
    pub threads: Option<usize>,
}

/// Windows and the giant-post cap, as `lockstep colike` takes them.
#[derive(Debug, Args, Clone)]
pub struct Windows {
    /// Windows, comma-separated (30s, 10m, 1h, 2d, inf).
    #[arg(long, value_name = "W[,W2…]", default_value = "1h")]
    pub window: WindowList,
    /// At each window, count a like's co-likes only when at most this many likes of its post
    /// fall within that window of it (0 = no limit).
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub max_post_likers: usize,
    /// How to read times (as `lockstep colike --time-format`).
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub time_format: TimeFormat,
}

/// The steps.
#[derive(Debug, Subcommand)]
pub enum Step {
    /// Print the windows and buckets of a job (JSON).
    Plan(Windows),
    /// A batch of whole posts → like pairs within each bucket, giant-post counts (JSON).
    Posts {
        /// The batch (Parquet).
        batch: PathBuf,
        #[command(flatten)]
        windows: Windows,
    },
    /// A batch of whole posts → one row per pair of its accounts: co-likes, idf sums and leads
    /// per bucket, every |Δt| (Parquet); prints the pairs.
    Colikes {
        /// The batch (Parquet).
        batch: PathBuf,
        #[command(flatten)]
        windows: Windows,
        /// Accounts in the whole data (for idf).
        #[arg(long, value_name = "N")]
        accounts: usize,
        /// Output file (Parquet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Summed pairs (one row per pair) → the reported ones as `lockstep colike` writes them,
    /// with ln_pvalue and an empty qvalue (Parquet); prints the pairs tested.
    Test {
        /// The summed pairs (Parquet).
        sums: PathBuf,
        #[command(flatten)]
        windows: Windows,
        /// Likes in the whole data (L).
        #[arg(long, value_name = "L")]
        likes: u64,
        /// Twice the like pairs within each bucket over the whole data, comma-separated.
        #[arg(long, value_name = "N,N…", value_delimiter = ',')]
        twice_pairs: Vec<u64>,
        /// Report pairs with at least this many co-likes in the widest window.
        #[arg(long, value_name = "K", default_value_t = 2)]
        min_colikes: u32,
        /// Report pairs with a window-adjusted p-value at most this.
        #[arg(long, value_name = "P", default_value_t = 1.0)]
        report_pvalue: f64,
        /// Output file (Parquet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A chunk of ascending ln p-values → Benjamini–Hochberg q-values (Parquet); prints the
    /// carry for the chunks before it.
    Qvalues {
        /// The chunk (Parquet with an ln_pvalue column).
        input: PathBuf,
        /// Rank of the chunk's first p-value among all reported ones (1-based).
        #[arg(long, value_name = "R")]
        first_rank: u64,
        /// Pairs tested (m).
        #[arg(long, value_name = "M")]
        tested: u64,
        /// The carry of the chunks after this one (0 for the last).
        #[arg(long, value_name = "LN", default_value_t = 0.0, allow_negative_numbers = true)]
        carry: f64,
        /// Output file (Parquet); without it only the carry is printed.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), RunError> {
    let text = serde_json::to_string(value).map_err(|e| RunError::Output(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// Run it.
pub fn run(args: PartialArgs) -> Result<(), RunError> {
    match args.step {
        Step::Plan(w) => print_json(&parts::plan(&w.window.0)?),
        Step::Posts { batch, windows: w } => print_json(&parts::posts(
            &batch,
            &w.window.0,
            w.max_post_likers,
            &w.time_format,
        )?),
        Step::Colikes {
            batch,
            windows: w,
            accounts,
            out,
        } => {
            let pairs = parts::colikes(
                &batch,
                &w.window.0,
                w.max_post_likers,
                accounts,
                &w.time_format,
                &out,
            )?;
            print_json(&serde_json::json!({ "pairs": pairs }))
        }
        Step::Test {
            sums,
            windows: w,
            likes,
            twice_pairs,
            min_colikes,
            report_pvalue,
            out,
        } => {
            let options = TestOptions {
                windows: w.window.0,
                likes,
                twice_pairs,
                min_colikes,
                report_pvalue,
            };
            let tested = parts::test(&sums, &options, &out)?;
            print_json(&serde_json::json!({ "tested": tested }))
        }
        Step::Qvalues {
            input,
            first_rank,
            tested,
            carry,
            out,
        } => {
            let carry = parts::qvalues(&input, first_rank, tested, carry, out.as_deref())?;
            print_json(&serde_json::json!({ "carry": carry }))
        }
    }
}
