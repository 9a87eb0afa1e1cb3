//! `lockstep detect`.

use super::{InputArgs, RunArgs, WindowList};
use clap::Args;
use lockstep::detect::Objective;
use lockstep::export::{ExportOptions, GraphKind, TableFormat};
use lockstep::params::Params;
use lockstep::run::{DetectJob, RunError, run_detect};
use lockstep::vocab::Interaction;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
    lockstep detect                                   the sample data in data/, results in out/
    lockstep detect likes.csv --out results
    lockstep detect part1.csv.gz part2.csv.gz --window 10m --out results
    lockstep detect follows.jsonl --interaction follow \\
        --account-col follower --post-col followed --out results
    lockstep detect likes.parquet --format csv,parquet --seed 7 --out results
    lockstep detect likes.csv --pairs pairs.parquet --out results    pairs from spark/colike.py

What it does:
    1. reads the interactions, keeps each account's earliest like of a post;
    2. counts, for every pair of accounts, the posts both liked within each window of the
       others (1m, 10m, 1h, 6h and 1d by default; exact, no time bins), tests each count
       against a null model that keeps every account's activity and every post's popularity
       and timing, keeps each pair's best window (Bonferroni over the windows), and controls
       the false discovery rate at --fdr (Benjamini–Hochberg);
    3. finds communities among the significant pairs (Leiden); adds groups that pairs miss —
       accounts taking part in the same late like bursts again and again (a farm whose orders
       each use a small part of its pool), accounts with near-identical sets of likes — and
       quiet accounts whose likes keep landing inside a group's bursts;
    4. flags a group only on evidence that organic co-activity cannot produce, each a test
       against an explicit organic reference (docs/method.md §4.3): bursts on the posts it
       dominates that neither the post's own arrival curve, nor the creator's audience, nor
       each member's own pace and daily rhythm explain (lockstep); the same accounts on
       creators whose other audiences do not meet (unrelated_creators); far more creators
       than accounts of the same activity (breadth); each post getting about the same number
       of members (pool); members liking each other's posts (reciprocity). The tests are
       gated at --fdr over the accounts;
       with a text column (comments, replies, captions) also on shared texts: members writing
       variants of the same suggested texts that the accounts commenting on the same posts
       do not write (shared_texts; groups found this way say found_by texts, and
       evidence/cluster-<id>-texts.csv quotes them);
       then describes each group (timing, authors, reciprocity, camouflage, the share of the
       posts' likes it supplies, its CopyCatch lockstep core) and names how a flagged group
       behaves — bot farm, paid click network, engagement pod, per-post subscription, or
       coordinated when the data's columns cannot tell; a type never decides the flag.
       Unflagged groups get an organic description (fandom, viral, topical);
    5. writes DIR/accounts.csv, clusters.csv, posts.csv, authors.csv, edges.csv, graph.gexf,
       graph.graphml, evidence/ (the like rows behind each flagged cluster), plots/,
       report.html and manifest.json (see docs/outputs.md). DIR is replaced only when
       everything is written.

Tips:
    - Run `lockstep inspect FILE` first to check which columns are picked and the time range.
    - Exports of Zeeschuimer, 4CAT, the TikTok Research API, twarc2 and Bluesky's getLikes are
      recognised without column flags (README, \"Exports of collection tools\"); --from NAME
      forces one, nested JSON fields are named by dotted paths (--account-col data.user.unique_id).
    - The default windows cover farms that deliver in seconds or minutes and click-workers
      that take hours; each cluster reports the timescale where its evidence is strongest
      (clusters.csv: timescale). --window 10m,1h narrows the search (faster, less memory).
    - clusters.csv says why a group is flagged (evidence, evidence_log10_p) and what was
      measured (lockstep_posts of served_posts, unrelated_ratio, breadth_ratio, quota_ratio).
    - Open report.html in a browser first: clusters, reasons, plots and evidence in one file.
    - Open graph.gexf in Gephi (File > Open): it comes laid out, coloured by cluster and sized
      by score; use Appearance > Partition > cluster_type, and filter on flagged = true.
      --graph bipartite shows the accounts × posts of flagged clusters instead, and --dynamic
      adds time spells so Gephi's timeline replays the bursts.
    - Not likes? --interaction follow|comment|share|repost writes the reasons, report, evidence
      and graph descriptions in those words (follows, co-follows, followed accounts…); the
      analysis and every column name stay the same. Follow data: --interaction follow
      --account-col follower --post-col followed (the followed account is the \"post\"; with
      no time column each followed account's row order is the time).
    - A flagged cluster is coordinated behaviour, not proof of who paid for it.";

/// Arguments of `lockstep detect`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct DetectArgs {
    /// Interaction files (CSV, TSV, JSONL, Parquet; .gz for compressed text). Default: the
    /// sample in data/likes.csv.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory (replaced atomically; an unrelated non-empty directory is refused).
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// What an interaction in the data is: like, follow, comment, share or repost. Sets the
    /// words of the reasons, report, evidence and graph files ("co-follows", "followed
    /// accounts"…); changes no number and no column name. [default: like]
    #[arg(long, value_name = "KIND", help_heading = "Input")]
    pub interaction: Option<Interaction>,
    /// Co-like windows, comma-separated: 30s, 10m, 1h, 2d, inf (a bare number is seconds, or
    /// positions without timestamps). Each pair is judged at its best window. [default:
    /// 1m,10m,1h,6h,1d; without a time column 10,100,inf]
    #[arg(long, value_name = "W[,W2…]", help_heading = "Co-likes")]
    pub window: Option<WindowList>,
    /// Report pairs with at least this many co-likes (in the widest window). [default: 3]
    #[arg(long, value_name = "K", help_heading = "Co-likes")]
    pub min_colikes: Option<u32>,
    /// False discovery rate of every test: significant pairs (Benjamini–Hochberg), recruits,
    /// groups. [default: 0.01]
    #[arg(long, value_name = "Q", help_heading = "Co-likes")]
    pub fdr: Option<f64>,
    /// At each window, count a like's co-likes only when at most this many likes of its post
    /// fall within that window of it (viral moments; narrower windows still count; the
    /// manifest reports capped_likes; 0 = no limit). [default: 2000]
    #[arg(long, value_name = "N", help_heading = "Co-likes")]
    pub max_post_likers: Option<usize>,
    /// Community objective: modularity or cpm (constant Potts model). [default: modularity]
    #[arg(long, value_name = "modularity|cpm", value_parser = parse_objective, help_heading = "Clusters")]
    pub objective: Option<Objective>,
    /// Resolution γ of the objective (for cpm: the minimum internal edge density). [default: 1]
    #[arg(long, value_name = "GAMMA", help_heading = "Clusters")]
    pub resolution: Option<f64>,
    /// Smallest cluster reported. [default: 3]
    #[arg(long, value_name = "N", help_heading = "Clusters")]
    pub min_cluster_size: Option<usize>,
    /// Also search this many FRAUDAR dense blocks among the likes inside late bursts of
    /// accounts no cluster explains (0 = off; exploratory: on the synthetic presets it found
    /// no group the other detectors missed). [default: 0]
    #[arg(long, value_name = "N", help_heading = "Clusters")]
    pub dense_blocks: Option<usize>,
    /// Random seed (Leiden refinement, MinHash, layout); the same seed gives byte-identical
    /// results. [default: 0]
    #[arg(long, value_name = "N", help_heading = "Clusters")]
    pub seed: Option<u64>,
    /// Read every tuning number from FILE (TOML, or JSON with a .json name): keys left out keep
    /// their defaults, an unknown key is an error; the flags above override the file. Start
    /// from `--print-params`.
    #[arg(long, value_name = "FILE", help_heading = "Parameters")]
    pub params: Option<PathBuf>,
    /// Detect from co-like pairs counted elsewhere: the output directory of
    /// `spark/colike.py` (Parquet pairs and _lockstep.json), made from these INPUT likes with
    /// the run's --window and --max-post-likers (and --min-colikes at most the run's). Every
    /// pair is re-tested here; only the significant ones are read back from the likes. The
    /// outputs are those of a full run.
    #[arg(long, value_name = "DIR", help_heading = "Co-likes")]
    pub pairs: Option<PathBuf>,
    /// Print every parameter of the analysis with its default (TOML, as --params reads it)
    /// and exit; with --params, the file's values.
    #[arg(long, help_heading = "Parameters")]
    pub print_params: bool,
    /// Table formats, comma-separated: csv, parquet.
    #[arg(
        long,
        value_name = "csv,parquet",
        default_value = "csv",
        value_delimiter = ',',
        help_heading = "Output"
    )]
    pub format: Vec<TableFormat>,
    /// Write CSV cells exactly as in the data, without neutralising spreadsheet formulas
    /// (=, +, -, @ at the start of a cell get a ' in front by default).
    #[arg(long, help_heading = "Output")]
    pub no_formula_escape: bool,
    /// Graph written to graph.gexf and graph.graphml: accounts (co-like graph) or bipartite
    /// (accounts × posts of the flagged clusters).
    #[arg(
        long,
        value_name = "accounts|bipartite",
        default_value = "accounts",
        help_heading = "Output"
    )]
    pub graph: GraphKind,
    /// At most this many edges in the graph files: flagged clusters first, then the strongest
    /// neighbours (Gephi slows down past ~100 k edges); 0 = no limit. Pruning is recorded in
    /// manifest.json.
    #[arg(long, value_name = "N", default_value_t = 50_000, help_heading = "Output")]
    pub max_edges: usize,
    /// Outside flagged clusters keep only each account's N strongest edges; 0 = all.
    #[arg(long, value_name = "N", default_value_t = 10, help_heading = "Output")]
    pub top_k_per_node: usize,
    /// Add time spells from the like times to graph.gexf, so Gephi's timeline replays the bursts.
    #[arg(long, help_heading = "Output")]
    pub dynamic: bool,
    /// Do not compute a layout (nodes then have no viz:position).
    #[arg(long, help_heading = "Output")]
    pub no_layout: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Parse `--objective`.
pub fn parse_objective(s: &str) -> Result<Objective, String> {
    match s.to_ascii_lowercase().as_str() {
        "modularity" => Ok(Objective::Modularity),
        "cpm" => Ok(Objective::Cpm),
        _ => Err("use modularity or cpm".into()),
    }
}

/// The analysis parameters: defaults, then --params FILE, then the flags.
fn params(args: &DetectArgs) -> Result<Params, RunError> {
    let mut p = match &args.params {
        Some(file) => Params::from_file(file).map_err(RunError::Usage)?,
        None => Params::default(),
    };
    if let Some(w) = &args.window {
        p.colike.windows = w.0.clone();
    }
    set(&mut p.colike.min_colikes, args.min_colikes);
    set(&mut p.fdr, args.fdr);
    set(&mut p.colike.max_post_likers, args.max_post_likers);
    set(&mut p.detect.communities.objective, args.objective);
    set(&mut p.detect.communities.resolution, args.resolution);
    set(&mut p.detect.communities.min_cluster_size, args.min_cluster_size);
    set(&mut p.detect.dense_blocks.blocks, args.dense_blocks);
    set(&mut p.seed, args.seed);
    set(&mut p.interaction, args.interaction);
    if !(p.fdr > 0.0 && p.fdr <= 1.0) {
        return Err(RunError::Usage("--fdr must be in (0, 1]".into()));
    }
    Ok(p)
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// Run it.
pub fn run(args: DetectArgs) -> Result<(), RunError> {
    let ui = args.run.ui();
    let params = params(&args)?;
    if args.print_params {
        print!("{}", params.to_toml());
        return Ok(());
    }
    let inputs = if args.inputs.is_empty() {
        let sample = super::sample_input().ok_or_else(|| {
            RunError::Usage(
                "no INPUT given and the sample data/likes.csv was not found; give an interaction file".into(),
            )
        })?;
        ui.note(format!("no INPUT given: using the sample {}", sample.display()));
        vec![sample]
    } else {
        args.inputs
    };
    // The parameter file leaves the interaction to the data when it does not name one.
    let interaction_unset = match &args.params {
        None => true,
        Some(file) => std::fs::read_to_string(file).is_ok_and(|t| !t.contains("interaction")),
    };
    let mut formats = args.format;
    formats.dedup();
    let job = DetectJob {
        inputs,
        load: args.input.load_options(),
        export: ExportOptions {
            formats,
            escape_formulas: !args.no_formula_escape,
            graph: args.graph,
            max_edges: args.max_edges,
            top_k_per_node: args.top_k_per_node,
            dynamic: args.dynamic,
            layout: !args.no_layout,
            seed: params.seed,
        },
        interaction_from_format: args.interaction.is_none() && interaction_unset,
        params,
        out: args.out,
        pairs: args.pairs,
    };
    run_detect(&job, &ui).map(|_| ())
}
