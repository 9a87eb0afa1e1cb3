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
right type.";

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
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Run it.
pub fn run(args: EvaluateArgs) -> Result<(), RunError> {
    let eval = lockstep::evaluate::evaluate(&args.truth, &args.accounts)
        .map_err(|e| RunError::Usage(e.to_string()))?;
    if args.json {
        let text = serde_json::to_string_pretty(&eval).map_err(|e| RunError::Output(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", eval.to_table());
    }
    Ok(())
}
