//! FRAUDAR bench harness (`harness = false`): runs `lockstep::detect::fraudar` on an edge list and
//! prints one JSON line with the blocks and wall times. Used by `bench/fraudar_protocol.py`.
//!
//! ```text
//! cargo bench --bench fraudar -- EDGES [--blocks 1] [--log-constant 5] [--rows N] [--cols N]
//! cargo bench --bench fraudar -- --synthetic LIKES [--seed 1] [--twins [--twins-hashes 64] [--twins-bands 16]]
//! ```
//! `EDGES` holds one `row col` pair per line (whitespace or comma separated; lines that do not
//! start with a number are skipped); the path may also come from `FRAUDAR_EDGES`. `--rows` and
//! `--cols` default to the largest id + 1.
//!
//! `--synthetic LIKES` instead builds a heavy-tailed random like graph of that many likes
//! (accounts = likes / 20, posts = likes / 50, post popularity ∝ 1 / rank, account activity ∝
//! 1 / rank^0.5) with a 300 × 300 block of density 0.2 planted on random ids, builds a
//! `LikeGraph` and times `fraudar` on it (and `twins` with `--twins`); it reports the peak
//! resident memory of the process as well.
#![cfg_attr(test, allow(dead_code))]

use std::io::{BufRead, BufReader};
use std::time::Instant;

use lockstep::detect::fraudar::{DenseBlock, FraudarParams, fraudar, fraudar_on};
use lockstep::detect::twins::{TwinParams, twins};
use lockstep::graph::LikeGraph;
use lockstep::input::{Clock, Like, NO_AUTHOR, Origin};
use lockstep::rng::mix64 as splitmix64;

fn main() {
    if let Err(e) = run() {
        eprintln!("fraudar bench: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut path = std::env::var("FRAUDAR_EDGES").ok();
    let mut params = FraudarParams {
        blocks: 1,
        ..Default::default()
    };
    let (mut rows, mut cols): (Option<usize>, Option<usize>) = (None, None);
    let mut synthetic: Option<usize> = None;
    let mut seed = 1u64;
    let mut with_twins = false;
    let mut twin_params = TwinParams::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--blocks" => params.blocks = parse(&value("--blocks")?)?,
            "--log-constant" => params.log_constant = parse(&value("--log-constant")?)?,
            "--rows" => rows = Some(parse(&value("--rows")?)?),
            "--cols" => cols = Some(parse(&value("--cols")?)?),
            "--synthetic" => synthetic = Some(parse(&value("--synthetic")?)?),
            "--seed" => seed = parse(&value("--seed")?)?,
            "--twins" => with_twins = true,
            "--twins-hashes" => twin_params.num_hashes = parse(&value("--twins-hashes")?)?,
            "--twins-bands" => twin_params.bands = parse(&value("--twins-bands")?)?,
            other if !other.starts_with("--") => path = Some(other.to_string()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if let Some(likes) = synthetic {
        return run_synthetic(likes, seed, &params, with_twins.then_some(&twin_params));
    }
    let path = path.ok_or("no edge list given (argument or FRAUDAR_EDGES)")?;
    let t0 = Instant::now();
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let mut it = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty());
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            continue;
        };
        edges.push((a, b));
    }
    let load = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let blocks = fraudar_on(rows.unwrap_or(0), cols.unwrap_or(0), &edges, &params);
    let secs = t1.elapsed().as_secs_f64();
    println!(
        "{{\"edges\":{},\"load_seconds\":{load:.6},\"seconds\":{secs:.6},\"blocks\":[{}]}}",
        edges.len(),
        blocks.iter().map(block_json).collect::<Vec<_>>().join(",")
    );
    Ok(())
}

fn block_json(b: &DenseBlock) -> String {
    let list = |v: &[u32]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",");
    format!(
        "{{\"rows\":[{}],\"cols\":[{}],\"score\":{},\"likes\":{}}}",
        list(&b.accounts),
        list(&b.posts),
        b.score,
        b.likes
    )
}

/// Peak resident memory in MB (Linux), if known.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn run_synthetic(
    n_likes: usize,
    seed: u64,
    params: &FraudarParams,
    twin_params: Option<&TwinParams>,
) -> Result<(), String> {
    let n_accounts = (n_likes / 20).max(400);
    let n_posts = (n_likes / 50).max(400);
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(1);
        splitmix64(state)
    };
    let unit = |x: u64| (x >> 11) as f64 / (1u64 << 53) as f64;
    // Inverse-CDF draws: popularity ∝ 1/rank (log-uniform rank), activity ∝ rank^-0.5.
    let post_of = |u: f64| ((n_posts as f64).powf(u) as usize).min(n_posts) as u32 - 1;
    let account_of = |u: f64| ((u * u * n_accounts as f64) as usize).min(n_accounts - 1) as u32;
    let t0 = Instant::now();
    let mut likes: Vec<Like> = Vec::with_capacity(n_likes + 20_000);
    let start = 1_700_000_000_000i64;
    for i in 0..n_likes {
        let a = account_of(unit(next()));
        let p = post_of(unit(next()));
        let t = start + (next() % (30 * 86_400_000)) as i64;
        likes.push(Like {
            account: a,
            post: p,
            time: t,
            origin: Origin::new(0, i as u64 + 2),
        });
    }
    // The planted block: 300 random accounts × 300 random posts, density 0.2.
    let block_accounts: Vec<u32> = (0..300).map(|_| (next() % n_accounts as u64) as u32).collect();
    let block_posts: Vec<u32> = (0..300).map(|_| (next() % n_posts as u64) as u32).collect();
    for &a in &block_accounts {
        for &p in &block_posts {
            if unit(next()) < 0.2 {
                likes.push(Like {
                    account: a,
                    post: p,
                    time: start + (next() % 600_000) as i64,
                    origin: Origin::new(0, 0),
                });
            }
        }
    }
    // One like per (account, post), as the loader guarantees.
    likes.sort_unstable_by_key(|l| (l.post, l.account, l.time));
    likes.dedup_by_key(|l| (l.post, l.account));
    let names = |n: usize, p: &str| {
        (0..n)
            .map(|i| format!("{p}{i}").into())
            .collect::<Vec<Box<str>>>()
    };
    let graph = LikeGraph::from_parts(
        names(n_accounts, "a"),
        names(n_posts, "p"),
        vec![],
        vec![NO_AUTHOR; n_posts],
        Clock::Timestamps,
        likes,
    )
    .map_err(|e| e.to_string())?;
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let blocks = fraudar(&graph, params);
    let secs = t1.elapsed().as_secs_f64();
    let mut truth_a = block_accounts.clone();
    truth_a.sort_unstable();
    truth_a.dedup();
    let mut truth_p = block_posts.clone();
    truth_p.sort_unstable();
    truth_p.dedup();
    let (hit_a, hit_p) = blocks.first().map_or((0, 0), |b| {
        (
            b.accounts
                .iter()
                .filter(|a| truth_a.binary_search(a).is_ok())
                .count(),
            b.posts
                .iter()
                .filter(|p| truth_p.binary_search(p).is_ok())
                .count(),
        )
    });
    let twins_secs = twin_params.map(|tp| {
        let t = Instant::now();
        let groups = twins(&graph, tp);
        (t.elapsed().as_secs_f64(), groups.len())
    });
    println!(
        "{{\"likes\":{},\"accounts\":{},\"posts\":{},\"build_seconds\":{build:.3},\"fraudar_seconds\":{secs:.3},\
         \"first_block\":{{\"accounts\":{},\"posts\":{},\"planted_accounts_found\":{hit_a},\"planted_posts_found\":{hit_p},\
         \"planted_accounts\":{},\"planted_posts\":{}}},\"twins\":{},\"peak_rss_mb\":{}}}",
        graph.n_likes(),
        n_accounts,
        n_posts,
        blocks.first().map_or(0, |b| b.accounts.len()),
        blocks.first().map_or(0, |b| b.posts.len()),
        truth_a.len(),
        truth_p.len(),
        twins_secs.map_or("null".to_string(), |(s, g)| format!(
            "{{\"seconds\":{s:.3},\"groups\":{g}}}"
        )),
        peak_rss_mb().map_or("null".to_string(), |m| format!("{m:.0}")),
    );
    Ok(())
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("cannot read {s:?}"))
}
