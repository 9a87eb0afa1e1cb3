//! Leiden bench harness (`harness = false`): runs `lockstep::detect::leiden` on an edge-list CSV
//! and prints one JSON line with the quality and wall times. Used by `bench/leiden_vs_leidenalg.py`.
//!
//! ```text
//! cargo bench --bench leiden -- EDGES.csv [--quality modularity|cpm] [--resolution 1.0]
//!     [--seed 0] [--max-iterations 0] [--randomness 0.01] [--nodes N] [--membership-out PATH]
//! ```
//! The edge list is `u,v,w` per line (an optional non-numeric header is skipped); the path may also
//! come from the `LEIDEN_EDGES` environment variable. `--nodes` defaults to the largest id + 1.
#![cfg_attr(test, allow(dead_code))]

use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

use lockstep::detect::leiden::{LeidenParams, Quality, UndirectedGraph, leiden, modularity, quality};

fn main() {
    if let Err(e) = run() {
        eprintln!("leiden bench: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut path = std::env::var("LEIDEN_EDGES").ok();
    let (mut kind, mut resolution, mut seed) = ("modularity".to_string(), 1.0f64, 0u64);
    let (mut max_iterations, mut randomness) = (0usize, 0.01f64);
    let mut nodes: Option<usize> = None;
    let mut membership_out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--quality" => kind = value("--quality")?,
            "--resolution" => resolution = parse(&value("--resolution")?)?,
            "--seed" => seed = parse(&value("--seed")?)?,
            "--max-iterations" => max_iterations = parse(&value("--max-iterations")?)?,
            "--randomness" => randomness = parse(&value("--randomness")?)?,
            "--nodes" => nodes = Some(parse(&value("--nodes")?)?),
            "--membership-out" => membership_out = Some(value("--membership-out")?),
            other if !other.starts_with("--") => path = Some(other.to_string()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let path = path.ok_or("no edge list given (argument or LEIDEN_EDGES)")?;
    let quality_fn = match kind.as_str() {
        "modularity" => Quality::Modularity { resolution },
        "cpm" => Quality::Cpm { resolution },
        other => return Err(format!("unknown quality {other}")),
    };

    let t0 = Instant::now();
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        let fields: Vec<&str> = line.trim().split(',').collect();
        if line.trim().is_empty() || (i == 0 && fields[0].trim().parse::<u32>().is_err()) {
            continue;
        }
        let [u, v, w] = fields[..] else {
            return Err(format!("line {}: expected u,v,w", i + 1));
        };
        edges.push((parse(u)?, parse(v)?, parse(w)?));
    }
    let n = nodes.unwrap_or_else(|| {
        edges
            .iter()
            .map(|&(u, v, _)| u.max(v) as usize + 1)
            .max()
            .unwrap_or(0)
    });
    let graph = UndirectedGraph::try_from_edges(n, &edges).map_err(|e| e.to_string())?;
    let load_seconds = t0.elapsed().as_secs_f64();

    let params = LeidenParams {
        quality: quality_fn,
        seed,
        max_iterations,
        randomness,
    };
    let t1 = Instant::now();
    let membership = leiden(&graph, &params);
    let seconds = t1.elapsed().as_secs_f64();

    let communities = membership.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    if let Some(out) = membership_out {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&out).map_err(|e| format!("{out}: {e}"))?);
        for c in &membership {
            writeln!(f, "{c}").map_err(|e| format!("{out}: {e}"))?;
        }
    }
    println!(
        "{{\"nodes\":{},\"edges\":{},\"total_weight\":{},\"quality_kind\":\"{}\",\"resolution\":{},\"seed\":{},\
         \"quality\":{},\"modularity\":{},\"communities\":{},\"seconds\":{},\"load_seconds\":{}}}",
        graph.n_nodes(),
        graph.n_edges(),
        graph.total_weight(),
        kind,
        resolution,
        seed,
        quality(&graph, &membership, &quality_fn),
        modularity(&graph, &membership),
        communities,
        seconds,
        load_seconds
    );
    Ok(())
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse().map_err(|_| format!("cannot parse {s:?}"))
}
