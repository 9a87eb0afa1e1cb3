#!/usr/bin/env python3
"""Pair-for-pair agreement of `lockstep colike` with the QUT coordination-network-toolkit.

What it checks
--------------
lockstep's co-like count, for accounts a != b and a window W, is

    colikes_W(a, b) = #{ posts p liked by both : |t(a,p) - t(b,p)| <= W }

where t is the account's EARLIEST like of p (repeated (account, post) rows are merged).

The coordination-network-toolkit (CNT, `compute_networks`, 1.5.2) computes its co_retweet
network with this SQLite self-join (coordination_network_toolkit/compute_networks.py,
compute_co_retweet_parallel):

    select e_1.user_id, e_2.user_id, count(distinct e_1.message_id) as weight
    from edge e_1 join edge e_2
      on e_1.repost_id = e_2.repost_id
     and e_2.timestamp between e_1.timestamp - W and e_1.timestamp + W   -- inclusive
    group by e_1.user_id, e_2.user_id having weight >= min_edge_weight

and the export drops user_1 == user_2 rows (self-loops) unless --include_self_loops.
So CNT's network is DIRECTED: weight(A -> B) = number of A's *messages* that have at least one
message by B on the same repost_id within W. Messages are deduplicated on message_id only
(`insert or ignore`, message_id is the primary key); timestamps are stored as float(seconds).

Mapping used here
-----------------
1. The input (account, post, timestamp in integer epoch seconds) is deduplicated FIRST, keeping
   each (account, post)'s earliest timestamp, and both tools are given this same deduplicated
   table. (lockstep would do the merge itself; CNT would not, it would count A's repeated
   likes of p as several messages.)
2. Every deduplicated row becomes one CNT "retweet": message_id = unique row number,
   user_id = username = account, repost_id = post, reply_id/message/urls empty,
   timestamp = integer seconds, in CNT's real 8-column CSV layout
   (message_id,user_id,username,repost_id,reply_id,message,timestamp,urls).
3. After step 1 each account has at most one message per post, so weight(A -> B) =
   #{p : both liked p, |t_A - t_B| <= W} = weight(B -> A) = lockstep's undirected colikes(A, B).
   The script VERIFIES this symmetry on CNT's output (every A->B has a B->A of equal weight)
   rather than assuming it, then folds CNT's edges into unordered pairs.
4. CNT is run with `compute co_retweet --time_window W --min_edge_weight 1 --n_cpus N` and
   `export_network OUT co_retweet --output_format graphml` (its CSV export crashes);
   lockstep with `colike --window Ws --min-colikes 1 --max-post-likers 0` (guard off, so nothing
   is skipped). CNT's --time_window is an integer number of seconds and has no "infinite";
   for W = inf CNT gets the data's full time span (max t - min t), which is equivalent.
5. Optionally (--reference, default auto) a third, independent count is made in plain Python
   (per post, likes sorted by time, every pair within W), to arbitrate any disagreement.

Output: per window, the number of pairs of each tool, pairs only in one, pairs with different
counts (with examples), CNT asymmetries, timings, and a final line
`VERDICT <dataset> W=<w>: AGREE|DISAGREE ...`; an overall verdict at the end. Exit status 0 only
if everything agrees.

Usage
-----
    python3 bench/cnt_agreement.py INPUT.csv [--windows 60,3600,inf] [--lockstep BIN]
        [--workdir DIR] [--threads 2] [--reference auto|yes|no]
        [--account-col account --post-col post --time-col timestamp]

INPUT needs account, post and integer epoch-second timestamp columns (extra columns are
ignored). Without --lockstep (or $LOCKSTEP_BIN) the release binary is built with
`cargo build --release` (target dir: $CARGO_TARGET_DIR or <repo>/target).
Requires `compute_networks` (pip install coordination-network-toolkit==1.5.2) and networkx.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path(os.environ.get("BENCH_DATA", "/work/bench-data"))


# --------------------------------------------------------------------------- lockstep binary

def ensure_lockstep(explicit: str | None = None) -> Path:
    """The release binary: --lockstep, $LOCKSTEP_BIN, or built with cargo."""
    cand = explicit or os.environ.get("LOCKSTEP_BIN")
    if cand:
        p = Path(cand)
        if not p.is_file():
            sys.exit(f"lockstep binary not found: {p}")
        return p
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    print(f"# building lockstep: cargo build --release (target dir {target}) ...", file=sys.stderr)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    subprocess.run(["cargo", "build", "--release", "--bin", "lockstep"], cwd=REPO, env=env, check=True)
    p = target / "release" / "lockstep"
    if not p.is_file():
        sys.exit(f"build finished but {p} is missing")
    return p


# --------------------------------------------------------------------------- input

def parse_seconds(raw: str) -> int:
    v = float(raw)
    if v != int(v):
        raise ValueError(f"timestamp {raw!r} is not integer seconds (CNT needs integer seconds)")
    return int(v)


def load_dedup(path: Path, account_col: str, post_col: str, time_col: str):
    """Rows (account, post, t) with repeated (account, post) merged to the earliest t.

    Returned in the order of each key's first appearance in the file.
    Also returns the number of raw rows read.
    """
    earliest: dict[tuple[str, str], int] = {}
    n_raw = 0
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        for col in (account_col, post_col, time_col):
            if col not in (r.fieldnames or []):
                sys.exit(f"{path}: no column {col!r} (have {r.fieldnames})")
        for row in r:
            n_raw += 1
            key = (row[account_col], row[post_col])
            t = parse_seconds(row[time_col])
            old = earliest.get(key)
            if old is None or t < old:
                earliest[key] = t
    rows = [(a, p, t) for (a, p), t in earliest.items()]
    return rows, n_raw


def write_lockstep_csv(rows, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account", "post", "timestamp"])
        w.writerows(rows)


def write_cnt_csv(rows, path: Path) -> None:
    """CNT's real 8-column layout; every like is one retweet of `post`."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["message_id", "user_id", "username", "repost_id", "reply_id", "message",
                    "timestamp", "urls"])
        for i, (a, p, t) in enumerate(rows):
            w.writerow([f"m{i}", a, a, p, "", "", t, ""])


# --------------------------------------------------------------------------- CNT

def _cnt(cmd: list[str]) -> None:
    """Run a CNT command quietly. (Its process pool prints a harmless 'Bad file descriptor'
    traceback at interpreter exit; stderr is shown only if the command fails.)"""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"CNT failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")


def cnt_preprocess(db: Path, cnt_csv: Path) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    _cnt(["compute_networks", str(db), "preprocess", "--format", "csv", str(cnt_csv)])
    return time.perf_counter() - t0


def cnt_compute_export(db: Path, window_s: int, graphml: Path, threads: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    _cnt(["compute_networks", str(db), "compute", "co_retweet",
          "--time_window", str(window_s), "--min_edge_weight", "1", "--n_cpus", str(threads)])
    t1 = time.perf_counter()
    _cnt(["compute_networks", str(db), "export_network", str(graphml), "co_retweet",
          "--output_format", "graphml"])
    return t1 - t0, time.perf_counter() - t1


def read_cnt_graphml(path: Path) -> dict[tuple[str, str], int]:
    import networkx as nx
    g = nx.read_graphml(str(path))
    if not g.is_directed():
        raise SystemExit(f"{path}: expected a directed graph from CNT")
    return {(str(u), str(v)): int(d["weight"]) for u, v, d in g.edges(data=True)}


def fold_directed(directed: dict[tuple[str, str], int]):
    """Unordered pairs from A->B / B->A; lists of asymmetric pairs."""
    pairs: dict[tuple[str, str], int] = {}
    missing_reverse = []
    unequal = []
    for (u, v), w in directed.items():
        if u == v:
            continue
        back = directed.get((v, u))
        if back is None:
            missing_reverse.append((u, v, w))
        elif back != w and u < v:
            unequal.append((u, v, w, back))
        key = (u, v) if u < v else (v, u)
        # keep the A->B weight of the ordered key (the two are equal when symmetric)
        if u < v or key not in pairs:
            pairs[key] = w
    return pairs, missing_reverse, unequal


# --------------------------------------------------------------------------- lockstep

def lockstep_window_arg(w: int | None) -> str:
    return "inf" if w is None else f"{w}s"


def run_lockstep(binary: Path, csv_in: Path, window: int | None, out: Path, threads: int,
                 min_k: int = 1) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(binary), "colike", str(csv_in), "--window", lockstep_window_arg(window),
                    "--min-colikes", str(min_k), "--max-post-likers", "0",
                    "--account-col", "account", "--post-col", "post", "--time-col", "timestamp",
                    "--no-formula-escape", "--threads", str(threads), "-q", "--out", str(out)],
                   check=True)
    return time.perf_counter() - t0


def read_lockstep_pairs(path: Path) -> dict[tuple[str, str], int]:
    pairs: dict[tuple[str, str], int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = row["source"], row["target"]
            key = (a, b) if a < b else (b, a)
            if key in pairs:
                raise SystemExit(f"{path}: pair {key} written twice")
            pairs[key] = int(row["colikes"])
    return pairs


# --------------------------------------------------------------------------- reference

def like_pairs_within(rows, window: int | None) -> int:
    """Number of (like, like) pairs on the same post within the window: the reference's cost."""
    by_post = defaultdict(list)
    for a, p, t in rows:
        by_post[p].append(t)
    total = 0
    for ts in by_post.values():
        ts.sort()
        if window is None:
            total += len(ts) * (len(ts) - 1) // 2
            continue
        j = 0
        for i, t in enumerate(ts):
            while ts[j] < t - window:
                j += 1
            total += i - j
    return total


def reference_pairs(rows, window: int | None) -> dict[tuple[str, str], int]:
    """Independent plain-Python count of the definition."""
    by_post = defaultdict(list)
    for a, p, t in rows:
        by_post[p].append((t, a))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for likes in by_post.values():
        likes.sort()
        n = len(likes)
        for i in range(n):
            ti, ai = likes[i]
            for j in range(i + 1, n):
                tj, aj = likes[j]
                if window is not None and tj - ti > window:
                    break
                if ai != aj:
                    counts[(ai, aj) if ai < aj else (aj, ai)] += 1
    return dict(counts)


# --------------------------------------------------------------------------- comparison

def compare(name_a: str, a: dict, name_b: str, b: dict, examples: int = 5) -> tuple[bool, list[str]]:
    lines = []
    only_a = [k for k in a if k not in b]
    only_b = [k for k in b if k not in a]
    diff = [k for k in a if k in b and a[k] != b[k]]
    lines.append(f"  {name_a} vs {name_b}: {len(a):,} vs {len(b):,} pairs; "
                 f"only in {name_a}: {len(only_a):,}; only in {name_b}: {len(only_b):,}; "
                 f"same pair, different count: {len(diff):,}")
    for k in sorted(only_a)[:examples]:
        lines.append(f"    only {name_a}: {k[0]} {k[1]} count={a[k]}")
    for k in sorted(only_b)[:examples]:
        lines.append(f"    only {name_b}: {k[0]} {k[1]} count={b[k]}")
    for k in sorted(diff)[:examples]:
        lines.append(f"    differ: {k[0]} {k[1]} {name_a}={a[k]} {name_b}={b[k]}")
    return not (only_a or only_b or diff), lines


def weight_histogram(pairs: dict) -> str:
    h = defaultdict(int)
    for w in pairs.values():
        h[w if w < 5 else 5] += 1
    return ", ".join(f"{'>=5' if k == 5 else k}:{v:,}" for k, v in sorted(h.items()))


# --------------------------------------------------------------------------- main

def parse_windows(s: str) -> list[int | None]:
    out = []
    for part in s.split(","):
        part = part.strip().lower()
        if part in ("inf", "infinite"):
            out.append(None)
        else:
            out.append(int(part))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", type=Path)
    ap.add_argument("--windows", default="60,3600,inf",
                    help="comma-separated windows in integer seconds, or inf (default 60,3600,inf)")
    ap.add_argument("--lockstep", help="lockstep binary (default $LOCKSTEP_BIN or cargo build --release)")
    ap.add_argument("--workdir", type=Path, help="scratch dir (default $BENCH_DATA/agreement/<input stem>)")
    ap.add_argument("--threads", type=int, default=2, help="threads for both tools (default 2)")
    ap.add_argument("--reference", choices=["auto", "yes", "no"], default="auto",
                    help="also count in plain Python (auto: when <= 20 M like pairs)")
    ap.add_argument("--account-col", default="account")
    ap.add_argument("--post-col", default="post")
    ap.add_argument("--time-col", default="timestamp")
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()

    if not shutil.which("compute_networks"):
        sys.exit("compute_networks not on PATH: pip install coordination-network-toolkit==1.5.2")
    binary = ensure_lockstep(args.lockstep)
    stem = args.input.name.split(".")[0]
    work = args.workdir or DEFAULT_WORK / "agreement" / stem
    work.mkdir(parents=True, exist_ok=True)

    rows, n_raw = load_dedup(args.input, args.account_col, args.post_col, args.time_col)
    accounts = {a for a, _, _ in rows}
    posts = {p for _, p, _ in rows}
    tmin = min(t for _, _, t in rows)
    tmax = max(t for _, _, t in rows)
    print(f"# {args.input}: {n_raw:,} rows -> {len(rows):,} after merging repeated (account, post) "
          f"(earliest kept); {len(accounts):,} accounts, {len(posts):,} posts, "
          f"time span {tmax - tmin:,} s")
    dedup_csv = work / f"{stem}.dedup.csv"
    cnt_csv = work / f"{stem}.cnt.csv"
    write_lockstep_csv(rows, dedup_csv)
    write_cnt_csv(rows, cnt_csv)

    db = work / f"{stem}.cnt.db"
    t_pre = cnt_preprocess(db, cnt_csv)
    print(f"# CNT preprocess: {t_pre:.1f} s (once for all windows)")
    print(f"# lockstep: {binary}")

    all_ok = True
    for window in parse_windows(args.windows):
        label = "inf" if window is None else f"{window}s"
        cnt_w = (tmax - tmin) if window is None else window
        print(f"\n## window {label}" + (f" (CNT --time_window {cnt_w} = full time span)"
                                         if window is None else ""))
        graphml = work / f"{stem}.cnt.{label}.graphml"
        t_comp, t_exp = cnt_compute_export(db, cnt_w, graphml, args.threads)
        t0 = time.perf_counter()
        directed = read_cnt_graphml(graphml)
        t_read = time.perf_counter() - t0
        cnt_pairs, missing_rev, unequal = fold_directed(directed)
        print(f"  CNT: compute {t_comp:.1f} s, export {t_exp:.1f} s, (GraphML read {t_read:.1f} s); "
              f"{len(directed):,} directed edges -> {len(cnt_pairs):,} unordered pairs")
        sym_ok = not missing_rev and not unequal
        print(f"  CNT symmetry (A->B == B->A): {'yes' if sym_ok else 'NO'}; "
              f"edges without reverse: {len(missing_rev):,}; reverse with other weight: {len(unequal):,}")
        for u, v, w in missing_rev[: args.examples]:
            print(f"    no reverse: {u} -> {v} weight {w}")
        for u, v, w, b in unequal[: args.examples]:
            print(f"    asymmetric: {u} -> {v} {w}, back {b}")

        out = work / f"{stem}.lockstep.{label}.csv"
        t_ls = run_lockstep(binary, dedup_csv, window, out, args.threads)
        ls_pairs = read_lockstep_pairs(out)
        print(f"  lockstep: {t_ls:.2f} s; {len(ls_pairs):,} pairs")
        print(f"  co-like histogram lockstep: {weight_histogram(ls_pairs)}")
        print(f"  co-like histogram CNT:      {weight_histogram(cnt_pairs)}")

        ok, lines = compare("lockstep", ls_pairs, "CNT", cnt_pairs, args.examples)
        print("\n".join(lines))
        ok = ok and sym_ok

        ref_note = ""
        do_ref = args.reference == "yes"
        if args.reference == "auto":
            cost = like_pairs_within(rows, window)
            do_ref = cost <= 20_000_000
            if not do_ref:
                ref_note = f" (python reference skipped: {cost:,} like pairs)"
        if do_ref:
            t0 = time.perf_counter()
            ref = reference_pairs(rows, window)
            print(f"  python reference: {time.perf_counter() - t0:.1f} s; {len(ref):,} pairs")
            ok_l, lines_l = compare("lockstep", ls_pairs, "reference", ref, args.examples)
            ok_c, lines_c = compare("CNT", cnt_pairs, "reference", ref, args.examples)
            print("\n".join(lines_l + lines_c))
            ref_note = (f" (python reference: lockstep {'=' if ok_l else '!='}, "
                        f"CNT {'=' if ok_c else '!='})")
            ok = ok and ok_l and ok_c
        print(f"VERDICT {stem} W={label}: {'AGREE' if ok else 'DISAGREE'} — lockstep {len(ls_pairs):,} "
              f"pairs, CNT {len(cnt_pairs):,} pairs{ref_note}")
        all_ok &= ok

    windows = parse_windows(args.windows)
    if len(windows) > 1:
        # One multi-window lockstep run must give the same counts as the single-window runs.
        out = work / f"{stem}.lockstep.multi.csv"
        arg = ",".join(lockstep_window_arg(w) for w in windows)
        t0 = time.perf_counter()
        subprocess.run([str(binary), "colike", str(dedup_csv), "--window", arg, "--min-colikes", "1",
                        "--max-post-likers", "0", "--account-col", "account", "--post-col", "post",
                        "--time-col", "timestamp", "--no-formula-escape", "--threads",
                        str(args.threads), "-q", "--out", str(out)], check=True)
        t_multi = time.perf_counter() - t0
        with open(out, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            header = next(r)
            cols = [i for i, h in enumerate(header) if h.startswith("colikes_")]
            multi = [dict() for _ in windows]
            for row in r:
                a, b = row[0], row[1]
                key = (a, b) if a < b else (b, a)
                for k, i in enumerate(cols):
                    if int(row[i]) > 0:
                        multi[k][key] = int(row[i])
        print(f"\n## one lockstep run with --window {arg} ({t_multi:.2f} s; columns "
              f"{', '.join(header[i] for i in cols)})")
        ok_multi = len(cols) == len(windows)
        for k, w in enumerate(windows[: len(cols)]):
            label = "inf" if w is None else f"{w}s"
            single = read_lockstep_pairs(work / f"{stem}.lockstep.{label}.csv")
            ok, lines = compare(f"multi[{header[cols[k]]}]", multi[k], f"single[{label}]", single,
                                args.examples)
            print("\n".join(lines))
            ok_multi &= ok
        print(f"VERDICT {stem} multi-window: {'AGREE' if ok_multi else 'DISAGREE'}")
        all_ok &= ok_multi

    print(f"\nOVERALL {stem}: {'AGREE' if all_ok else 'DISAGREE'}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
