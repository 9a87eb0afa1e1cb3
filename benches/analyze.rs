//! The whole analysis on a file (`harness = false`): load, then [`lockstep::analysis::analyze`]
//! — the function `lockstep detect` runs — with the default parameters or a `--params` file,
//! and the time of each stage. Nothing is written.
//!
//! `cargo bench --bench analyze -- LIKES.csv [PARAMS.toml]`

use lockstep::analysis::analyze;
use lockstep::input::LoadOptions;
use lockstep::params::Params;
use lockstep::ui::Ui;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(input) = args.first() else {
        eprintln!("usage: cargo bench --bench analyze -- LIKES.csv [PARAMS.toml]");
        return;
    };
    let params = match args.get(1) {
        Some(file) => Params::from_file(&PathBuf::from(file)).expect("parameter file"),
        None => Params::default(),
    };
    let ui = Ui::silent();
    let t0 = Instant::now();
    let (graph, _) =
        lockstep::run::load_graph(&[PathBuf::from(input)], &LoadOptions::default(), &ui).expect("input");
    let loaded = t0.elapsed();
    let analysis = analyze(&graph, &params, &ui).expect("analysis");
    let stages: Vec<String> = analysis
        .timings_ms
        .iter()
        .map(|(stage, ms)| format!("{stage} {ms} ms"))
        .collect();
    println!(
        "{input}: {} likes; load {:.2?}; {}; {} significant pairs, {} clusters, {} flagged",
        graph.n_likes(),
        loaded,
        stages.join(", "),
        analysis.significant.len(),
        analysis.detection.clusters.len(),
        analysis.detection.clusters.iter().filter(|c| c.flagged).count()
    );
}
