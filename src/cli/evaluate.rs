//! `lockstep evaluate`.

use clap::Args;
use lockstep::run::RunError;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
    lockstep synth --out world --preset medium --seed 2
    lockstep detect world/likes.csv --out run
    lockstep evaluate --truth world/truth.csv --accounts run/accounts.csv

Positives are the coordinated roles (bot_farm, click_worker, pod_member, subscription_bot);
organic accounts and fans are negatives. Per role: recall. Overall: precision, recall and F1
over flagged accounts, and the false-positive rate among organic accounts and among fans.
With a cluster_type column in accounts.csv, typed figures say whether each group got the
right type.

False-positive rates are also given per look-alike: heavy users (truth group `heavy`),
members of topical communities (groups `community-<k>`), and organic accounts that liked
(followed) at least one viral post (account). The last needs the world's rows and items:
likes.csv and posts.csv (or follows.csv and followed.csv) next to the truth file are used
when present, or name them with --likes and --posts.";

/// Arguments of `lockstep evaluate`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct EvaluateArgs {
    /// truth.csv written by `lockstep synth` (account_id,role,group).
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,
    /// accounts.csv written by `lockstep detect`.
    #[arg(long, value_name = "FILE")]
    pub accounts: PathBuf,
    /// The world's rows (likes.csv or follows.csv), to find the likers of viral posts
    /// (default: next to the truth file).
    #[arg(long, value_name = "FILE", requires = "posts")]
    pub likes: Option<PathBuf>,
    /// The world's items (posts.csv or followed.csv) with their kind.
    #[arg(long, value_name = "FILE", requires = "likes")]
    pub posts: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Run it.
pub fn run(args: EvaluateArgs) -> Result<(), RunError> {
    use lockstep::evaluate::{WorldFiles, evaluate_with};
    let world = match (args.likes, args.posts) {
        (Some(rows), Some(items)) => Some(WorldFiles { rows, items }),
        _ => WorldFiles::beside(&args.truth),
    };
    let eval = evaluate_with(&args.truth, &args.accounts, world.as_ref())
        .map_err(|e| RunError::Usage(e.to_string()))?;
    if args.json {
        let text = serde_json::to_string_pretty(&eval).map_err(|e| RunError::Output(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", eval.to_table());
    }
    Ok(())
}
