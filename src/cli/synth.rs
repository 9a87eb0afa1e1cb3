//! `lockstep synth`.

use super::RunArgs;
use clap::Args;
use lockstep::run::RunError;
use lockstep::synth::{self, Interaction, Preset, SynthParams};
use std::path::{Path, PathBuf};

const AFTER_HELP: &str = "\
Examples:
    lockstep synth --out world --seed 1 --preset small
    lockstep synth --out null-world --preset null --seed 3
    lockstep synth --out big --preset large --scale 2
    lockstep synth --out r7 --preset random --seed 7          every parameter drawn from seed 7
    lockstep synth --out f1 --preset random --interaction follow --seed 1 --no-times
    lockstep synth --preset random --seed 7 --print-params > cell.json
    lockstep synth --out cell --params cell.json --seed 7

Writes DIR/likes.csv (account,post,time,author), DIR/truth.csv (account_id,role,group),
DIR/posts.csv (the truth about posts) and DIR/params.json. A follow world writes
DIR/follows.csv (follower,followed,time) and DIR/followed.csv (account_id,kind) instead of
likes.csv and posts.csv. The model and every parameter are described in data/README.md. Then:
    lockstep detect DIR/likes.csv --out run
    lockstep evaluate --truth DIR/truth.csv --accounts run/accounts.csv

Presets: small (the committed sample, ~70 k likes), medium (~1 M likes), large (~10 M likes),
null (medium-size organic world with no planted groups: anything flagged is a false positive),
stealth (medium size, farms hide behind heavy camouflage and use small parts of their pools),
random (~0.7-1 M likes, every behaviour parameter drawn from a wide range by the seed, each
planted kind present or not by a draw), random-null (random with no planted group).

--params FILE reads every parameter from a JSON file: the output of --print-params, or a
world's params.json; --scale, --interaction, --no-times and the share options then apply on
top of it.";

/// Arguments of `lockstep synth`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct SynthArgs {
    /// Output directory (created if needed).
    #[arg(short, long, value_name = "DIR", required_unless_present = "print_params")]
    pub out: Option<PathBuf>,
    /// Random seed: the same seed and parameters give byte-identical files (and, for the
    /// random presets, the same drawn parameters).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// World preset: small, medium, large, null, stealth, random, random-null.
    #[arg(long, value_name = "NAME", default_value = "small", conflicts_with = "params")]
    pub preset: Preset,
    /// Read every parameter from this JSON file (--print-params output or a params.json).
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Print the parameters as JSON (after --scale and the other options) and exit.
    #[arg(long)]
    pub print_params: bool,
    /// What a row is: like (likes.csv) or follow (follows.csv: the followed account plays the
    /// part of the post; bot farms sell followers).
    #[arg(long, value_name = "KIND")]
    pub interaction: Option<Interaction>,
    /// Write no time column (rows stay in time order: row order is logical time).
    #[arg(long)]
    pub no_times: bool,
    /// Share of rows written with the date only (2024-03-05); the truth is unchanged.
    #[arg(long, value_name = "F")]
    pub date_only_share: Option<f64>,
    /// Share of rows written rounded down to the hour.
    #[arg(long, value_name = "F")]
    pub hour_rounded_share: Option<f64>,
    /// Multiply the sizes (accounts, creators, posts) of the preset, keeping its shape.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub scale: f64,
    /// Make a comment world instead (DIR/comments.csv: account,post,time,author,text): organic
    /// commenters, fandoms, universal crowds and viral posts, and 1-3 comment farms posting
    /// variants of suggested texts over hours, every size and behaviour drawn from the seed
    /// (--preset and the like options do not apply; --params reads a comment world's
    /// parameters, as --print-params writes them).
    #[arg(long)]
    pub comments: bool,
    /// With --comments: plant no farm (anything flagged is a false positive).
    #[arg(long, requires = "comments")]
    pub no_farm: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

/// With `--print-params`, print `params` as JSON and give no directory; otherwise `--out`.
fn destination<'a>(
    args: &'a SynthArgs,
    params: &impl serde::Serialize,
) -> Result<Option<&'a Path>, RunError> {
    if args.print_params {
        let text = serde_json::to_string_pretty(params).map_err(|e| RunError::Output(e.to_string()))?;
        println!("{text}");
        return Ok(None);
    }
    args.out
        .as_deref()
        .map(Some)
        .ok_or_else(|| RunError::Usage("--out DIR is required".into()))
}

/// Reads a parameter file: a bare parameter object, or a params.json with one under `params`.
fn read_params(path: &Path) -> Result<SynthParams, RunError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| RunError::Usage(format!("{}: not valid JSON: {e}", path.display())))?;
    let inner = match value.get("params") {
        Some(p) if p.is_object() => p.clone(),
        _ => value,
    };
    serde_json::from_value(inner).map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))
}

/// The parameters asked for on the command line.
fn params(args: &SynthArgs) -> Result<SynthParams, RunError> {
    if !(args.scale > 0.0 && args.scale.is_finite()) {
        return Err(RunError::Usage("--scale must be a positive number".into()));
    }
    let mut p = match &args.params {
        Some(path) => read_params(path)?,
        None => SynthParams::preset_for_seed(args.preset, args.seed, args.interaction.unwrap_or_default()),
    };
    if args.interaction == Some(Interaction::Follow) {
        p = p.into_follow();
    } else if args.interaction == Some(Interaction::Like) {
        p.interaction = Interaction::Like;
    }
    if args.no_times {
        p.no_times = true;
    }
    if let Some(x) = args.date_only_share {
        p.date_only_share = x;
    }
    if let Some(x) = args.hour_rounded_share {
        p.hour_rounded_share = x;
    }
    let p = p.scaled(args.scale);
    p.validate().map_err(RunError::Usage)?;
    Ok(p)
}

/// Run it.
pub fn run(args: SynthArgs) -> Result<(), RunError> {
    let ui = args.run.ui();
    if args.comments {
        return comments(&args, &ui);
    }
    let params = params(&args)?;
    let Some(out) = destination(&args, &params)? else {
        return Ok(());
    };
    let world = synth::generate(&params, args.seed);
    synth::write(&world, &params, args.seed, out)
        .map_err(|e| RunError::Output(format!("{}: {e}", out.display())))?;
    let what = match params.interaction {
        Interaction::Like => "likes",
        Interaction::Follow => "follows",
    };
    ui.note(format!(
        "wrote {} {what} by {} accounts to {}",
        world.likes.len(),
        world.truth.len(),
        out.display()
    ));
    Ok(())
}

/// `--comments`: a comment world.
fn comments(args: &SynthArgs, ui: &lockstep::ui::Ui) -> Result<(), RunError> {
    let params = match &args.params {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| RunError::Usage(format!("{}: not valid JSON: {e}", path.display())))?;
            let inner = value
                .get("params")
                .filter(|p| p.is_object())
                .cloned()
                .unwrap_or(value);
            serde_json::from_value(inner).map_err(|e| RunError::Usage(format!("{}: {e}", path.display())))?
        }
        None => synth::comments::CommentParams::for_seed(args.seed, !args.no_farm),
    };
    let Some(out) = destination(args, &params)? else {
        return Ok(());
    };
    let world = synth::comments::generate(&params, args.seed);
    synth::comments::write(&world, &params, args.seed, out)
        .map_err(|e| RunError::Output(format!("{}: {e}", out.display())))?;
    ui.note(format!(
        "wrote {} comments by {} accounts ({} farms) to {}",
        world.comments.len(),
        world.account_names.len(),
        world.templates.len(),
        out.display()
    ));
    Ok(())
}
