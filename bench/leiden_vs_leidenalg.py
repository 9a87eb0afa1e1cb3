#!/usr/bin/env python3
"""Cross-check lockstep's Leiden (src/detect/leiden.rs) against leidenalg.

Generates weighted graphs (planted partitions with integer weights 1-5, and LFR-like graphs with
power-law degrees and community sizes), writes them as `u,v,w` CSV, runs our implementation
through the `leiden` bench harness (benches/leiden.rs, built in release mode) and leidenalg
(ModularityVertexPartition / CPMVertexPartition, n_iterations=-1) with the same seeds, and prints a
table: nodes, edges, quality ours vs leidenalg (relative difference %), time ours vs leidenalg.

Qualities are on the same scale: normalised modularity (leidenalg ModularityVertexPartition,
or RBConfigurationVertexPartition / 2m for a resolution != 1) and 2*H for CPM (leidenalg
CPMVertexPartition.quality()). As a consistency check, our membership is also re-scored by
leidenalg ("ours@la" column must equal "ours").

Requirements: `pip install leidenalg igraph`; a Rust toolchain. Usage:

    python3 bench/leiden_vs_leidenalg.py                      # sizes 1k, 20k, 200k
    python3 bench/leiden_vs_leidenalg.py --sizes 1000,20000 --seeds 0,1,2 --cpm-resolution 0.05
    python3 bench/leiden_vs_leidenalg.py --ours-bin target/release/deps/leiden-<hash>
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import igraph as ig
import leidenalg as la

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ------------------------------------------------------------------------------------------------
# Graph generators (pure Python, seeded)
# ------------------------------------------------------------------------------------------------


def _add_edge(edges, u, v, rng):
    if u == v:
        return False
    key = (u, v) if u < v else (v, u)
    if key in edges:
        return False
    edges[key] = rng.randint(1, 5)
    return True


def planted_partition(n, block_size, k_in, k_out, seed):
    """Blocks of `block_size` nodes; expected internal degree k_in, external k_out; weights 1-5."""
    rng = random.Random(seed)
    edges = {}
    blocks = [list(range(s, min(s + block_size, n))) for s in range(0, n, block_size)]
    for nodes in blocks:
        s = len(nodes)
        if s < 2:
            continue
        m_in = min(round(k_in * s / 2), s * (s - 1) // 2)
        added = 0
        while added < m_in:
            added += _add_edge(edges, rng.choice(nodes), rng.choice(nodes), rng)
    m_out = round(k_out * n / 2)
    added = 0
    while added < m_out:
        u, v = rng.randrange(n), rng.randrange(n)
        if u // block_size != v // block_size:
            added += _add_edge(edges, u, v, rng)
    return n, edges


def _power_law(rng, lo, hi, exponent):
    """Continuous power law p(x) ~ x^-exponent on [lo, hi], by inverse CDF."""
    a = 1.0 - exponent
    u = rng.random()
    return (lo**a + u * (hi**a - lo**a)) ** (1.0 / a)


def lfr_like(n, seed, mu=0.3, k_min=5, k_max=None, tau1=2.5, tau2=1.5, c_min=20, c_max=None):
    """LFR-like benchmark: power-law degrees (tau1) and community sizes (tau2), mixing mu;
    internal and external stubs are matched at random (self-loops / multi-edges dropped)."""
    rng = random.Random(seed)
    k_max = k_max or max(k_min + 1, int(n**0.5) * 2)
    c_max = c_max or max(c_min + 1, min(n // 4, 1000))
    degree = [int(_power_law(rng, k_min, k_max, tau1)) for _ in range(n)]
    sizes, total = [], 0
    while total < n:
        s = int(_power_law(rng, c_min, c_max, tau2))
        s = min(s, n - total)
        sizes.append(s)
        total += s
    order = list(range(n))
    rng.shuffle(order)
    comm = [0] * n
    members = []
    pos = 0
    for c, s in enumerate(sizes):
        members.append(order[pos : pos + s])
        for v in order[pos : pos + s]:
            comm[v] = c
        pos += s
    edges = {}
    external_stubs = []
    for c, nodes in enumerate(members):
        stubs = []
        for v in nodes:
            k_in = min(round((1.0 - mu) * degree[v]), len(nodes) - 1)
            stubs.extend([v] * k_in)
            external_stubs.extend([v] * (degree[v] - k_in))
        rng.shuffle(stubs)
        for i in range(0, len(stubs) - 1, 2):
            _add_edge(edges, stubs[i], stubs[i + 1], rng)
    rng.shuffle(external_stubs)
    for i in range(0, len(external_stubs) - 1, 2):
        u, v = external_stubs[i], external_stubs[i + 1]
        if comm[u] != comm[v]:
            _add_edge(edges, u, v, rng)
    return n, edges


def write_csv(path, edges):
    with open(path, "w") as f:
        f.write("u,v,w\n")
        for (u, v), w in edges.items():
            f.write(f"{u},{v},{w}\n")


# ------------------------------------------------------------------------------------------------
# Runners
# ------------------------------------------------------------------------------------------------


def build_ours(manifest_path):
    """Build the `leiden` bench in release mode and return the executable path."""
    cmd = ["cargo", "bench", "--bench", "leiden", "--no-run", "--message-format=json"]
    if manifest_path:
        cmd += ["--manifest-path", manifest_path]
    out = subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.PIPE, text=True).stdout
    exe = None
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "leiden" and msg.get("executable"):
            exe = msg["executable"]
    if exe is None:
        sys.exit("could not find the `leiden` bench executable (is the [[bench]] target in Cargo.toml?)")
    return exe


def run_ours(exe, csv, n, kind, resolution, seed, membership_path, max_iterations=0):
    cmd = [exe, csv, "--nodes", str(n), "--quality", kind, "--resolution", str(resolution),
           "--seed", str(seed), "--max-iterations", str(max_iterations), "--membership-out", membership_path]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    with open(membership_path) as f:
        result["membership"] = [int(x) for x in f.read().split()]
    return result


def la_partition(g, kind, resolution, membership=None):
    """A leidenalg partition object whose quality is on our scale (see scale_la)."""
    if kind == "modularity":
        if resolution == 1.0:
            return la.ModularityVertexPartition(g, initial_membership=membership, weights="weight")
        return la.RBConfigurationVertexPartition(
            g, initial_membership=membership, weights="weight", resolution_parameter=resolution)
    return la.CPMVertexPartition(g, initial_membership=membership, weights="weight", resolution_parameter=resolution)


def scale_la(q, g, kind, resolution):
    if kind == "modularity" and resolution != 1.0:
        return q / (2.0 * sum(g.es["weight"]))
    return q


def run_leidenalg(g, kind, resolution, seed, n_iterations=-1):
    if kind == "modularity":
        if resolution == 1.0:
            ptype, kw = la.ModularityVertexPartition, {}
        else:
            ptype, kw = la.RBConfigurationVertexPartition, {"resolution_parameter": resolution}
    else:
        ptype, kw = la.CPMVertexPartition, {"resolution_parameter": resolution}
    t0 = time.perf_counter()
    part = la.find_partition(g, ptype, weights="weight", n_iterations=n_iterations, seed=seed, **kw)
    seconds = time.perf_counter() - t0
    return scale_la(part.quality(), g, kind, resolution), seconds, len(part)


# ------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,20000,200000", help="node counts, comma separated")
    ap.add_argument("--families", default="planted,lfr", help="graph families: planted, lfr")
    ap.add_argument("--seeds", default="0,1,2", help="algorithm seeds (both implementations)")
    ap.add_argument("--graph-seed", type=int, default=42)
    ap.add_argument("--modularity-resolution", type=float, default=1.0)
    ap.add_argument("--cpm-resolution", type=float, default=0.05)
    ap.add_argument("--qualities", default="modularity,cpm")
    ap.add_argument("--la-iterations", type=int, default=-1,
                    help="leidenalg n_iterations (-1: until no improvement, as ours with max_iterations=0)")
    ap.add_argument("--ours-iterations", type=int, default=0, help="our max_iterations (0: until stable)")
    ap.add_argument("--ours-bin", help="prebuilt bench executable (default: build with cargo)")
    ap.add_argument("--manifest-path", help="Cargo.toml to build the bench from (default: the repo's)")
    ap.add_argument("--workdir", help="where to write CSVs (default: a temporary directory)")
    ap.add_argument("--json", help="also write all results to this JSON file")
    ap.add_argument("--reuse-leidenalg", help="JSON written by --json earlier: reuse its leidenalg results "
                    "(quality, time, communities) for the same graph, quality, resolution and seed")
    args = ap.parse_args()
    reuse = {}
    if args.reuse_leidenalg:
        with open(args.reuse_leidenalg) as f:
            for r in json.load(f):
                reuse[(r["graph"], r["edges"], r["quality"], r["resolution"], r["seed"], r.get("la_iterations", -1))] = r

    exe = args.ours_bin or build_ours(args.manifest_path)
    seeds = [int(s) for s in args.seeds.split(",")]
    workdir = args.workdir or tempfile.mkdtemp(prefix="leiden_bench_")
    os.makedirs(workdir, exist_ok=True)
    rows, records = [], []
    fails = 0
    for family in args.families.split(","):
        for n in [int(s) for s in args.sizes.split(",")]:
            t0 = time.perf_counter()
            if family == "planted":
                n, edges = planted_partition(n, 50, k_in=12, k_out=3, seed=args.graph_seed)
            elif family == "lfr":
                n, edges = lfr_like(n, seed=args.graph_seed)
            else:
                sys.exit(f"unknown family {family}")
            name = f"{family}-{n}"
            csv = os.path.join(workdir, f"{name}.csv")
            write_csv(csv, edges)
            g = ig.Graph(n=n, edges=list(edges.keys()), edge_attrs={"weight": list(edges.values())})
            print(f"# {name}: {n} nodes, {len(edges)} edges (generated in {time.perf_counter() - t0:.1f}s)",
                  file=sys.stderr, flush=True)
            for kind in args.qualities.split(","):
                res = args.modularity_resolution if kind == "modularity" else args.cpm_resolution
                ours_q, ours_t, ours_k, ours_check, la_q, la_t, la_k = [], [], [], [], [], [], []
                reused = False
                for seed in seeds:
                    o = run_ours(exe, csv, n, kind, res, seed, os.path.join(workdir, f"{name}.membership"),
                                 args.ours_iterations)
                    check = scale_la(la_partition(g, kind, res, o["membership"]).quality(), g, kind, res)
                    key = (name, len(edges), kind, res, seed, args.la_iterations)
                    if key in reuse:
                        r = reuse[key]
                        q, t, k = r["leidenalg"], r["leidenalg_seconds"], r["leidenalg_communities"]
                        reused = True
                    else:
                        q, t, k = run_leidenalg(g, kind, res, seed, args.la_iterations)
                    ours_q.append(o["quality"]); ours_t.append(o["seconds"]); ours_k.append(o["communities"])
                    ours_check.append(check); la_q.append(q); la_t.append(t); la_k.append(k)
                    records.append({"graph": name, "nodes": n, "edges": len(edges), "quality": kind,
                                    "resolution": res, "seed": seed, "ours": o["quality"], "ours_at_la": check,
                                    "ours_seconds": o["seconds"], "ours_communities": o["communities"],
                                    "leidenalg": q, "leidenalg_seconds": t, "leidenalg_communities": k,
                                    "la_iterations": args.la_iterations, "la_reused": key in reuse})
                mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
                oq, lq = mean(ours_q), mean(la_q)
                diff = 100.0 * (oq - lq) / abs(lq) if lq != 0 else math.nan
                fails += diff < -1.0
                consistent = max(abs(a - b) for a, b in zip(ours_q, ours_check)) <= 1e-9 * max(1.0, abs(oq))
                rows.append((name, n, len(edges), f"{kind}({res:g})", oq, lq, diff,
                             "yes" if consistent else "NO", f"{mean(ours_k):.0f}/{mean(la_k):.0f}",
                             mean(ours_t), f"{mean(la_t):.3f}" + ("*" if reused else "")))
                print(f"#   {kind}: ours {oq:.6f} leidenalg {lq:.6f} ({diff:+.3f}%)", file=sys.stderr, flush=True)

    header = ("graph", "nodes", "edges", "quality", "ours", "leidenalg", "diff %", "ours@la",
              "comms ours/la", "t ours s", "t la s")
    print(f"\nmean over seeds {seeds}; ours max_iterations={args.ours_iterations}, leidenalg "
          f"n_iterations={args.la_iterations}; quality: normalised modularity, or 2H for CPM (leidenalg scale)\n")
    fmt = "{:<15} {:>7} {:>8} {:<16} {:>14} {:>14} {:>8} {:>7} {:>13} {:>9} {:>9}"
    print(fmt.format(*header))
    for r in rows:
        print(fmt.format(r[0], r[1], r[2], r[3], f"{r[4]:.6g}", f"{r[5]:.6g}", f"{r[6]:+.3f}", r[7], r[8],
                         f"{r[9]:.3f}", r[10]))
    if any(r[10].endswith("*") for r in rows):
        print(f"* leidenalg results reused from {args.reuse_leidenalg}")
    print(f"\n{fails} row(s) more than 1% below leidenalg")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
