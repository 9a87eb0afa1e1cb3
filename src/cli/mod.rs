//! The command-line shell: argument parsing only. Each subcommand lives in its own file and
//! calls the library.

pub mod colike;
pub mod detect;
pub mod evaluate;
pub mod inspect;
pub mod partial;
pub mod synth;

use clap::{Args, Parser, Subcommand};
use lockstep::input::{ColumnSpec, Format, LoadOptions, TimeFormat};
use std::path::PathBuf;

const ABOUT: &str = "Find like farms and bot networks in interaction data.";

const LONG_ABOUT: &str = "\
lockstep finds groups of accounts that act on the same posts at nearly the same time — bot
farms, paid click-workers, engagement pods, \"N likes per post\" subscriptions — in a table of
interactions (account, post, time, optionally the post's author). It reports who acts in
lockstep, which posts and creators benefited, how sure it is (p-values with false discovery
rate control against a null model), the evidence behind each claim, and writes a network that
opens in Gephi.

An interaction does not have to be a like: follows (the \"post\" is the followed account),
comments, shares or URLs work the same way.

Start with:
    lockstep inspect likes.csv          what is in the file, which columns were picked
    lockstep detect likes.csv --out out  the whole analysis, results in out/
    lockstep detect --help              every option, with tips";

/// lockstep: coordinated-behaviour detection for journalists and researchers.
#[derive(Debug, Parser)]
#[command(name = "lockstep", version, about = ABOUT, long_about = LONG_ABOUT, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find coordinated accounts: co-like projection → clusters → tables and Gephi files.
    Detect(detect::DetectArgs),
    /// The co-like projection alone: one row per account pair, with weights and p-values.
    Colike(colike::ColikeArgs),
    /// Summarise interaction files: rows, accounts, posts, time range, degrees, top items.
    Inspect(inspect::InspectArgs),
    /// Make a synthetic world with planted coordinated groups and its ground truth.
    Synth(synth::SynthArgs),
    /// Score a detect run's accounts.csv against a synthetic truth.csv.
    Evaluate(evaluate::EvaluateArgs),
    /// The per-partition steps of the cluster job spark/colike.py (Parquet in, Parquet out).
    Partial(partial::PartialArgs),
}

/// How to read the input files (shared by detect, colike and inspect).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Column with the acting account (default: detected from account, user_id, username, liker…).
    #[arg(long, value_name = "NAME")]
    pub account_col: Option<String>,
    /// Column with the post acted on (default: detected from post, post_id, video, item, object_id, url…).
    #[arg(long, value_name = "NAME")]
    pub post_col: Option<String>,
    /// Column with the time (default: detected from time, timestamp, created_at, liked_at…).
    #[arg(long, value_name = "NAME")]
    pub time_col: Option<String>,
    /// Column with the post's author (default: detected from author, creator, owner, post_author…).
    #[arg(long, value_name = "NAME")]
    pub author_col: Option<String>,
    /// Ignore any time column: use each post's row order as logical time.
    #[arg(long)]
    pub no_time: bool,
    /// Column (or dotted JSON path) with the text of each interaction — a comment, a reply, a
    /// caption — compared for near-duplicates (default: detected from text, comment, body,
    /// message, content, caption; a recognised export names its own).
    #[arg(long, value_name = "NAME")]
    pub text_col: Option<String>,
    /// Ignore any text column (no near-duplicate comment analysis).
    #[arg(long)]
    pub no_text: bool,
    /// Read no author column (when the detected one holds the acting account).
    #[arg(long)]
    pub no_author: bool,
    /// Read every input as this collection tool's export instead of recognising it from its
    /// fields: zeeschuimer-tiktok-comments, zeeschuimer-tiktok, zeeschuimer-instagram,
    /// zeeschuimer-x, 4cat-tiktok-comments, 4cat-x, 4cat-instagram, tiktok-api-videos,
    /// tiktok-api-liked-videos, twarc2-tweets, twarc2-users, twarc2-csv, bluesky-likes.
    #[arg(long, value_name = "NAME")]
    pub from: Option<lockstep::input::SourceFormat>,
    /// The account whose likes a TikTok Research API liked-videos file lists (default: from
    /// the file name, liked_videos_NAME.json).
    #[arg(long, value_name = "NAME")]
    pub queried_user: Option<String>,
    /// How to read times: auto, iso, epoch (seconds), epoch-ms, or a strftime pattern
    /// such as '%d/%m/%Y %H:%M'. auto decides per file from the first value.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub time_format: TimeFormat,
    /// Read every input as this format instead of going by the extension
    /// (.csv, .tsv, .jsonl/.ndjson, .parquet; .gz for compressed text).
    #[arg(long, value_name = "csv|tsv|jsonl|parquet")]
    pub input_format: Option<Format>,
    /// Field delimiter for CSV (default: sniffed from the header: , ; tab |).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err("the delimiter must be one ASCII character (or \\t)".into()),
    }
}

impl InputArgs {
    /// The library's load options.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            columns: ColumnSpec {
                account: self.account_col.clone(),
                post: self.post_col.clone(),
                time: self.time_col.clone(),
                author: self.author_col.clone(),
                no_time: self.no_time,
                text: self.text_col.clone(),
                no_text: self.no_text,
                no_author: self.no_author,
                from: self.from,
                queried_user: self.queried_user.clone(),
            },
            time_format: self.time_format.clone(),
            format: self.input_format,
            delimiter: self.delimiter,
        }
    }
}

/// Options every long-running subcommand has.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Run")]
pub struct RunArgs {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No notes or progress bars on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

impl RunArgs {
    /// The Ui for these options.
    pub fn ui(&self) -> lockstep::ui::Ui {
        if self.quiet {
            lockstep::ui::Ui::silent()
        } else {
            lockstep::ui::Ui::stderr()
        }
    }
}

/// The sample data shipped in `data/`: found from the working directory, or the source tree.
pub fn sample_input() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from("data/likes.csv"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/likes.csv"),
    ];
    candidates.into_iter().find(|p| p.is_file())
}

/// A comma-separated list of windows (`30s,10m,1h,inf`).
#[derive(Debug, Clone)]
pub struct WindowList(pub Vec<lockstep::colike::WindowSpec>);

impl std::str::FromStr for WindowList {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        lockstep::colike::window::parse_list(s).map(WindowList)
    }
}
