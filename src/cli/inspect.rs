//! `lockstep inspect`.

use super::{InputArgs, RunArgs};
use clap::Args;
use lockstep::run::{RunError, load_graph};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
    lockstep inspect likes.csv
    lockstep inspect part*.csv.gz --json > summary.json
    lockstep inspect export.tsv --account-col liker_handle --time-format '%d/%m/%Y %H:%M'

Tips:
    - stdout names the export format recognised (Zeeschuimer, 4CAT, TikTok Research API,
      twarc2, Bluesky) and the column chosen for account, post, time, author and text, and why;
      fix a wrong pick with --account-col, --post-col, --time-col, --author-col, --text-col
      (dotted paths in nested JSON), or force a format with --from.
    - A warning names a post or account column that is unique per row, or an author column
      that varies within a post, with the columns that look likelier.
    - Duplicate (account, post) rows are merged (the earliest like is kept) and counted.
    - Each row's time resolution is counted (to the second, minute, hour, or date only): dates and
      rounded times are recognised per file (docs/method.md, \"Time resolution\").";

/// Arguments of `lockstep inspect`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct InspectArgs {
    /// Interaction files.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Length of the top-accounts, top-posts and top-authors lists.
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Run it.
pub fn run(args: InspectArgs) -> Result<(), RunError> {
    let ui = args.run.ui();
    let (graph, report) = load_graph(&args.inputs, &args.input.load_options(), &ui)?;
    let summary = lockstep::inspect::inspect(&graph, &report, args.top);
    if args.json {
        let text = serde_json::to_string_pretty(&summary).map_err(|e| RunError::Output(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", summary.to_text());
    }
    Ok(())
}
