//! Synthetic worlds: size and speed of each preset, and the parameter table of data/README.md.
//!
//! `cargo bench --bench synth` prints the stats of the presets named in `SYNTH_PRESETS`
//! (default: small) with generation and writing times; `cargo bench --bench synth -- params`
//! prints every parameter of every preset as a Markdown table.

use lockstep::synth::{PostKind, Preset, Role, SynthParams, generate, write};
use std::collections::HashMap;

fn main() {
    if std::env::args().any(|a| a == "params") {
        print_param_table();
    } else {
        print_stats();
    }
}

fn print_stats() {
    let names = std::env::var("SYNTH_PRESETS").unwrap_or_else(|_| "small".into());
    for name in names.split(',') {
        let preset: Preset = name.parse().unwrap();
        let p = SynthParams::preset(preset);
        let t0 = std::time::Instant::now();
        let w = generate(&p, 42);
        let t_gen = t0.elapsed();
        let d = tempfile::tempdir().unwrap();
        let t1 = std::time::Instant::now();
        write(&w, &p, 42, d.path()).unwrap();
        let t_write = t1.elapsed();
        let size = std::fs::metadata(d.path().join("likes.csv")).unwrap().len();
        println!(
            "== {name}: {} likes, {} accounts, {} posts, {} groups, likes.csv {} bytes, generate {:.2?}, write {:.2?}",
            w.likes.len(),
            w.truth.len(),
            w.stats.posts,
            w.groups.len(),
            size,
            t_gen,
            t_write
        );
        println!("{}", serde_json::to_string_pretty(&w.stats.roles).unwrap());
        println!("{}", serde_json::to_string_pretty(&w.stats.post_kinds).unwrap());
        println!(
            "after end {}, duplicates {}",
            w.stats.likes_after_end, w.stats.duplicates_merged
        );
        let mut given = vec![0usize; w.accounts.len()];
        for l in &w.likes {
            given[l.account as usize] += 1;
        }
        let mut g: Vec<usize> = given.into_iter().filter(|&n| n > 0).collect();
        g.sort_unstable();
        let q = |v: &[usize], f: f64| v[((v.len() - 1) as f64 * f) as usize];
        println!(
            "likes per liker: p10 {} p50 {} p90 {} p99 {} max {}",
            q(&g, 0.1),
            q(&g, 0.5),
            q(&g, 0.9),
            q(&g, 0.99),
            g[g.len() - 1]
        );
        let mut pl: Vec<usize> = w
            .posts
            .iter()
            .map(|x| x.likes as usize)
            .filter(|&n| n > 0)
            .collect();
        pl.sort_unstable();
        println!(
            "likes per post: p10 {} p50 {} p90 {} p99 {} max {}",
            q(&pl, 0.1),
            q(&pl, 0.5),
            q(&pl, 0.9),
            q(&pl, 0.99),
            pl[pl.len() - 1]
        );
        let mut by: HashMap<(Role, PostKind), Vec<f64>> = HashMap::new();
        for l in &w.likes {
            let x = &w.posts[l.post as usize];
            let d = (l.time_ms - x.published_ms) as f64 / 60_000.0;
            by.entry((w.accounts[l.account as usize].role, x.kind))
                .or_default()
                .push(d);
        }
        let mut keys: Vec<_> = by.keys().copied().collect();
        keys.sort();
        for k in keys {
            let v = by.get_mut(&k).unwrap();
            let n = v.len();
            let m = median(v);
            println!("delay {:?}/{:?}: n {n} median {m:.1} min", k.0, k.1);
        }
        if name == "small" {
            for gs in &w.stats.groups {
                println!(
                    "{} {} accounts {} likes {}",
                    gs.group, gs.role, gs.accounts, gs.likes
                );
            }
        }
    }
}

fn print_param_table() {
    fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&key, x, out);
                }
            }
            serde_json::Value::Array(a) => {
                let parts: Vec<String> = a
                    .iter()
                    .map(|x| match x {
                        serde_json::Value::Object(m) => {
                            m.values().map(|y| y.to_string()).collect::<Vec<_>>().join(":")
                        }
                        other => other.to_string(),
                    })
                    .collect();
                out.push((prefix.to_string(), parts.join(" ")));
            }
            other => out.push((
                prefix.to_string(),
                other.to_string().trim_matches('"').to_string(),
            )),
        }
    }
    let cols: Vec<Vec<(String, String)>> = Preset::ALL
        .iter()
        .map(|&p| {
            let mut out = Vec::new();
            flatten(
                "",
                &serde_json::to_value(SynthParams::preset(p)).unwrap(),
                &mut out,
            );
            out
        })
        .collect();
    println!("| parameter | small | medium | large | null | stealth |");
    println!("|---|---|---|---|---|---|");
    for (i, (k, _)) in cols[0].iter().enumerate() {
        let vals: Vec<&str> = cols.iter().map(|c| c[i].1.as_str()).collect();
        println!("| `{k}` | {} |", vals.join(" | "));
    }
}

/// Median of a sample (upper middle for even lengths); 0 when empty.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
