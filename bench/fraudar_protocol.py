#!/usr/bin/env python3
"""The FRAUDAR evaluation protocol: lockstep's FRAUDAR against the reference implementation.

Hooi et al. (KDD 2016) evaluate FRAUDAR by injecting a fraud block into a real graph, with and
without camouflage, and scoring the detected block with precision, recall and F. This script:

1. loads a background bipartite graph (account × post):
   - ``likes``: the organic and fan accounts of the synthetic sample ``data/likes.csv`` (planted
     farms, pods etc. removed using ``data/truth.csv``, so the only fraud is what we inject);
   - ``german``: the CooRTweet ``german_elections.apt.csv`` (real, pseudonymised; account × url /
     hashtag / domain / image) from ``/work/shared/datasets/coortweet`` (or ``--german PATH``);
   - or any CSV whose first two columns are account and post;
2. shuffles rows and columns (seeded) and injects an m0 × n0 block of density p into the first
   m0 rows and n0 columns, with camouflage as in the reference ``injectCliqueCamo``:
   ``none`` (testIdx 0), ``random`` (testIdx 1: each fraud row likes every other column with
   probability p·n0 / (n − n0), i.e. about as many camouflage likes as fraud likes) or
   ``biased`` (testIdx 3: each fraud row adds int(n0·p) columns drawn from the other columns
   proportionally to their degree, without replacement over the degree-weighted population);
   the reference's own function is not called because ``random.sample`` on a numpy array fails
   on Python ≥ 3.11, and its per-cell Python loop is slow; the sampling rules are the same;
3. writes the edge list and runs lockstep (``benches/fraudar.rs`` via ``cargo bench --bench
   fraudar``, or a prebuilt binary with ``--ours-bin``) and the reference ``logWeightedAveDegree``
   (Hooi's ``greedy.py`` as shipped in PyPI ``rgmining-fraudar``: ``fraudar.export.greedy``) on the
   same matrix;
4. scores the first block of each against the injected one: row (account) precision, recall, F
   (reference ``getRowPrecision`` / ``getRowRecall`` / ``getRowFMeasure`` with idx 0) and rows +
   columns together (``getPrecision`` / ``getRecall`` / ``getFMeasure``), and whether the two
   implementations returned the identical block.

Usage::

    python3 -m venv /tmp/fvenv && /tmp/fvenv/bin/pip install rgmining-fraudar scipy
    /tmp/fvenv/bin/python bench/fraudar_protocol.py --trials 3 --markdown
    # or with a prebuilt harness:  --ours-bin target/release/deps/fraudar-<hash>

Times: ours is the wall time of ``fraudar_on`` inside the harness (the edge list already in
memory); the reference's is the wall time of ``logWeightedAveDegree`` on the scipy matrix.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
CAMOUFLAGE = {"none": 0, "random": 1, "biased": 3}  # reference testIdx


def load_background(name: str, german: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Edges (rows, cols) as int arrays, deduplicated, and a description."""
    if name == "likes":
        path = ROOT / "data" / "likes.csv"
        truth_path = ROOT / "data" / "truth.csv"
        keep = None
        if truth_path.exists():
            with open(truth_path, newline="") as f:
                keep = {r["account_id"] for r in csv.DictReader(f) if r["role"] in ("organic", "fan")}
        with open(path, newline="") as f:
            pairs = [(r["account"], r["post"]) for r in csv.DictReader(f) if keep is None or r["account"] in keep]
        desc = "data/likes.csv, organic + fan accounts only"
    else:
        path = german if name == "german" else Path(name)
        with open(path, newline="") as f:
            reader = csv.reader(f)
            next(reader)
            pairs = [(r[0], r[1]) for r in reader if len(r) >= 2]
        desc = "CooRTweet german_elections (account × object)" if name == "german" else str(path)
    acc: dict[str, int] = {}
    post: dict[str, int] = {}
    rows = np.fromiter((acc.setdefault(a, len(acc)) for a, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((post.setdefault(p, len(post)) for _, p in pairs), dtype=np.int64, count=len(pairs))
    key = np.unique(rows * (len(post) + 1) + cols)
    return key // (len(post) + 1), key % (len(post) + 1), desc


def inject(rows, cols, m0, n0, p, camo, rng):
    """Shuffle, then inject an m0 × n0 block of density p with camouflage (reference rules)."""
    m, n = int(rows.max()) + 1, int(cols.max()) + 1
    rperm, cperm = rng.permutation(m), rng.permutation(n)
    rows, cols = rperm[rows], cperm[cols]
    col_sum = np.bincount(cols, minlength=n)
    population = np.repeat(np.arange(n0, n), col_sum[n0:])
    new_r, new_c = [], []
    for i in range(m0):
        js = np.nonzero(rng.random(n0) < p)[0]
        new_r.append(np.full(len(js), i))
        new_c.append(js)
        if camo == "random":
            js = n0 + np.nonzero(rng.random(n - n0) < p * n0 / (n - n0))[0]
        elif camo == "biased":
            k = min(int(n0 * p), len(population))
            js = np.unique(rng.choice(population, size=k, replace=False))
        else:
            continue
        new_r.append(np.full(len(js), i))
        new_c.append(js)
    rows = np.concatenate([rows] + new_r)
    cols = np.concatenate([cols] + new_c)
    key = np.unique(rows * n + cols)
    return key // n, key % n, m, n


def scores(pred, actual):
    """The reference getPrecision/getRecall/getFMeasure (rows + cols) and the row-only ones."""
    def prf(inter, npred, nact):
        prec = inter / npred if npred else 0.0
        rec = inter / nact if nact else 0.0
        f = 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
        return prec, rec, f

    ri = len(pred[0] & actual[0])
    ci = len(pred[1] & actual[1])
    return {
        "rows": prf(ri, len(pred[0]), len(actual[0])),
        "cols": prf(ci, len(pred[1]), len(actual[1])),
        "all": prf(ri + ci, len(pred[0]) + len(pred[1]), len(actual[0]) + len(actual[1])),
    }


def run_ours(args, edge_file: Path, m: int, n: int) -> dict:
    extra = [str(edge_file), "--rows", str(m), "--cols", str(n), "--blocks", str(args.blocks)]
    if args.ours_bin:
        cmd = [args.ours_bin] + extra
    else:
        cmd = ["cargo", "bench", "-q", "--bench", "fraudar", "--manifest-path", args.manifest_path, "--"] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    blocks = [(set(b["rows"]), set(b["cols"]), b["score"]) for b in res["blocks"]] or [(set(), set(), 0.0)]
    return {"rows": blocks[0][0], "cols": blocks[0][1], "score": blocks[0][2], "seconds": res["seconds"],
            "blocks": blocks}


def run_reference(rows, cols, m, n) -> dict:
    from fraudar.export import greedy  # PyPI rgmining-fraudar: Hooi's greedy.py

    M = sparse.coo_matrix((np.ones(len(rows), dtype=int), (rows, cols)), shape=(m, n)).tocsc()
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        (rset, cset), score = greedy.logWeightedAveDegree(M)
    secs = time.perf_counter() - t
    return {"rows": set(int(x) for x in rset), "cols": set(int(x) for x in cset), "score": float(score), "seconds": secs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--background", default="likes,german", help="likes, german or CSV paths, comma separated")
    ap.add_argument("--german", type=Path, default=Path("/work/shared/datasets/coortweet/german_elections.apt.csv"))
    ap.add_argument("--block", default="200x200", help="m0xn0")
    ap.add_argument("--density", default="0.1", help="block densities p, comma separated")
    ap.add_argument("--camouflage", default="none,random,biased")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ours-bin", help="prebuilt benches/fraudar binary (default: cargo bench)")
    ap.add_argument("--manifest-path", default=str(ROOT / "Cargo.toml"))
    ap.add_argument("--blocks", type=int, default=1,
                    help="blocks ours detects (reference detectMultiple); the first is compared, and the "
                         "best row F among all is reported too")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    args = ap.parse_args()
    m0, n0 = (int(x) for x in args.block.lower().split("x"))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for bg in args.background.split(","):
            brow, bcol, desc = load_background(bg, args.german)
            print(f"# background {bg}: {desc}: {brow.max() + 1} accounts, {bcol.max() + 1} posts, "
                  f"{len(brow)} edges", file=sys.stderr)
            for p in (float(x) for x in args.density.split(",")):
                for camo in args.camouflage.split(","):
                    for trial in range(args.trials):
                        rng = np.random.default_rng([args.seed, trial, int(p * 1000), CAMOUFLAGE[camo]])
                        rows, cols, m, n = inject(brow, bcol, m0, n0, p, camo, rng)
                        truth = (set(range(m0)), set(range(n0)))
                        edge_file = Path(tmp) / "edges.txt"
                        np.savetxt(edge_file, np.column_stack([rows, cols]), fmt="%d")
                        ours = run_ours(args, edge_file, m, n)
                        rec = {"background": bg, "edges": int(len(rows)), "accounts": m, "posts": n,
                               "m0": m0, "n0": n0, "p": p, "camouflage": camo, "trial": trial,
                               "ours": {"scores": scores((ours["rows"], ours["cols"]), truth),
                                        "seconds": ours["seconds"], "score": ours["score"],
                                        "size": [len(ours["rows"]), len(ours["cols"])],
                                        "best_of_blocks": max(
                                            (scores((r, c), truth)["rows"][2], k)
                                            for k, (r, c, _) in enumerate(ours["blocks"]))}}
                        if not args.no_reference:
                            ref = run_reference(rows, cols, m, n)
                            rec["reference"] = {"scores": scores((ref["rows"], ref["cols"]), truth),
                                                "seconds": ref["seconds"], "score": ref["score"],
                                                "size": [len(ref["rows"]), len(ref["cols"])]}
                            rec["same_block"] = ours["rows"] == ref["rows"] and ours["cols"] == ref["cols"]
                        results.append(rec)
                        print(json.dumps(rec), file=sys.stderr)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=1))
    if args.markdown:
        print_table(results, not args.no_reference)
    return 0


def print_table(results, with_ref):
    groups: dict[tuple, list] = {}
    for r in results:
        groups.setdefault((r["background"], r["m0"], r["n0"], r["p"], r["camouflage"]), []).append(r)
    head = ("| background | block | p | camouflage | trials | ours rows P / R / F | ours rows+cols F | "
            "ours best row F in the first K blocks (block no.) | ours time (s)")
    sep = "|---|---|---|---|---|---|---|---|---"
    if with_ref:
        head += " | ref rows P / R / F | ref rows+cols F | ref time (s) | identical blocks"
        sep += "|---|---|---|---"
    print(head + " |")
    print(sep + "|")
    for (bg, m0, n0, p, camo), rs in groups.items():
        def mean(side, part, k):
            return float(np.mean([r[side]["scores"][part][k] for r in rs]))

        def prf(side):
            return f"{mean(side, 'rows', 0):.3f} / {mean(side, 'rows', 1):.3f} / {mean(side, 'rows', 2):.3f}"

        best = [r["ours"]["best_of_blocks"] for r in rs]
        where = ",".join(str(b[1] + 1) for b in best)
        line = (f"| {bg} | {m0}×{n0} | {p} | {camo} | {len(rs)} | {prf('ours')} | {mean('ours', 'all', 2):.3f} | "
                f"{np.mean([b[0] for b in best]):.3f} ({where}) | {np.mean([r['ours']['seconds'] for r in rs]):.4f}")
        if with_ref:
            same = sum(r["same_block"] for r in rs)
            line += (f" | {prf('reference')} | {mean('reference', 'all', 2):.3f} | "
                     f"{np.mean([r['reference']['seconds'] for r in rs]):.2f} | {same}/{len(rs)}")
        print(line + " |")


if __name__ == "__main__":
    sys.exit(main())
