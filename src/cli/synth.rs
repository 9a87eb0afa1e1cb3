//! `lockstep synth`.

use super::RunArgs;
use clap::Args;
use lockstep::run::RunError;
use lockstep::synth::{self, Preset, SynthParams};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
    lockstep synth --out world --seed 1 --preset small
    lockstep synth --out null-world --preset null --seed 3
    lockstep synth --out big --preset large --scale 2

Writes DIR/likes.csv (account,post,time,author), DIR/truth.csv (account_id,role,group),
DIR/posts.csv (the truth about posts) and DIR/params.json. The model and every parameter are
described in data/README.md. Then:
    lockstep detect DIR/likes.csv --out run
    lockstep evaluate --truth DIR/truth.csv --accounts run/accounts.csv

Presets: small (the committed sample, ~70 k likes), medium (~1 M likes), large (~10 M likes),
null (medium-size organic world with no planted groups: anything flagged is a false positive),
stealth (medium size, farms hide behind heavy camouflage and use small parts of their pools).";

/// Arguments of `lockstep synth`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct SynthArgs {
    /// Output directory (created if needed).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Random seed: the same seed and preset give byte-identical files.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// World preset: small, medium, large, null, stealth.
    #[arg(long, value_name = "NAME", default_value = "small")]
    pub preset: Preset,
    /// Multiply the sizes (accounts, creators, posts) of the preset, keeping its shape.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub scale: f64,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Run it.
pub fn run(args: SynthArgs) -> Result<(), RunError> {
    let ui = args.run.ui();
    if !(args.scale > 0.0 && args.scale.is_finite()) {
        return Err(RunError::Usage("--scale must be a positive number".into()));
    }
    let params = SynthParams::preset(args.preset).scaled(args.scale);
    let world = synth::generate(&params, args.seed);
    synth::write(&world, &params, args.seed, &args.out)
        .map_err(|e| RunError::Output(format!("{}: {e}", args.out.display())))?;
    ui.note(format!(
        "wrote {} likes by {} accounts to {}",
        world.likes.len(),
        world.truth.len(),
        args.out.display()
    ));
    Ok(())
}
