#!/usr/bin/env python3
"""Speed and memory of `lockstep colike` against the coordination-network-toolkit (CNT).

For each input and window it runs the release `lockstep colike` and (where feasible) CNT's
co_retweet network, each under `/usr/bin/time -v`, and prints a markdown table:
input, rows, window, tool, wall s, peak MB, pairs, plus the CNT/lockstep wall-time ratio and
whether both tools produced the same edges.

Inputs (cached in $BENCH_DATA, default /work/bench-data; nothing is written into the repo):
  russian  ../shared/datasets/coortweet/russian_coord_tweets.apt.csv (35 k rows)
  german   ../shared/datasets/coortweet/german_elections.apt.csv     (195 k rows)
  synth1m  `lockstep synth --preset large --seed 1 --scale 0.1`      (~1 M likes)
  synth10m `lockstep synth --preset large --seed 1`                  (~10 M likes)
(generated once with the binary under test; delete the directory to regenerate).

What is timed
  lockstep: one `lockstep colike INPUT --window W --min-colikes K --threads T -q --out F.csv`
            on the raw input (lockstep reads, parses timestamps and merges repeated
            (account, post) rows itself).
  CNT:      `compute_networks DB preprocess` + `compute co_retweet --time_window W
            --min_edge_weight K --n_cpus T` + `export_network OUT co_retweet --output_format
            graphml`, summed. Its input is prepared beforehand, untimed: the same likes with
            repeated (account, post) rows merged (earliest kept) in CNT's 8-column CSV layout
            (see cnt_agreement.py for the mapping and its verification).
  Peak MB is /usr/bin/time's "Maximum resident set size": for CNT, which runs worker processes,
  that is the largest single process, not the sum over processes.
  "pairs" is unordered account pairs with >= K co-likes; for CNT, directed edges / 2 (the
  network is symmetric after the merge). "same edges" compares both outputs pair for pair
  (pair and count) when both ran.

Targets checked (printed at the end): lockstep >= 20x faster than CNT with the same edges;
10 M likes at a 1 h window in < 30 s and < 2 GB peak RSS.

Usage
  python3 bench/colike_bench.py [--inputs russian,german,synth1m,synth10m] [--threads 2]
        [--min-colikes 2] [--cnt-on-10m] [--lockstep BIN] [--repeat N]
CNT is skipped on synth10m unless --cnt-on-10m (see README: it is projected at well over an hour).
Without --lockstep / $LOCKSTEP_BIN the release binary is built with cargo (see cnt_agreement.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cnt_agreement as ca  # noqa: E402

REPO = ca.REPO
DATA = ca.DEFAULT_WORK
SHARED = Path(os.environ.get("LOCKSTEP_SHARED", REPO.parent / "shared"))
TIME = "/usr/bin/time"


# --------------------------------------------------------------------------- measurement

def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


WAIT_IDLE = None  # set from --wait-idle: max 1-min load average before a timed command


def wait_idle(limit_s: float = 900.0) -> None:
    """Wait (up to limit_s) until the 1-minute load average is below WAIT_IDLE."""
    if WAIT_IDLE is None:
        return
    t0 = time.time()
    while loadavg() > WAIT_IDLE and time.time() - t0 < limit_s:
        time.sleep(10)


def timed(cmd: list[str], log: Path) -> dict:
    """Run under /usr/bin/time -v; wall s, user+sys CPU s, peak RSS MB, load average before.

    The command's output (and time's report) goes to `log`.
    """
    if not Path(TIME).exists():
        sys.exit("/usr/bin/time missing: apt-get install time")
    wait_idle()
    load = loadavg()
    with open(log, "w") as f:
        r = subprocess.run([TIME, "-v", *cmd], stdout=f, stderr=subprocess.STDOUT)
    text = log.read_text(errors="replace")
    if r.returncode != 0:
        sys.exit(f"command failed ({r.returncode}): {' '.join(cmd)}\n--- {log} ---\n{text[-3000:]}")
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    wall = 0.0
    for p in m.group(1).split(":"):
        wall = wall * 60 + float(p)
    user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
    sys_ = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return {"wall": wall, "cpu": user + sys_, "mb": rss_kb / 1024, "load": load}


def count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n


# --------------------------------------------------------------------------- inputs

def synth_input(binary: Path, scale: float) -> Path:
    tag = "synth-large-seed1" + ("" if scale == 1.0 else f"-scale{scale:g}")
    d = DATA / tag
    likes = d / "likes.csv"
    if not likes.is_file():
        print(f"# generating {d} (lockstep synth --preset large --seed 1 --scale {scale:g}) ...",
              file=sys.stderr)
        t0 = time.perf_counter()
        subprocess.run([str(binary), "synth", "--out", str(d), "--preset", "large", "--seed", "1",
                        "--scale", str(scale), "-q"], check=True)
        print(f"# generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return likes


def iso_seconds(raw: str) -> int:
    v = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if v.tzinfo is None:
        v = v.replace(tzinfo=dt.timezone.utc)
    s = v.timestamp()
    if s != int(s):
        raise ValueError(f"{raw!r} has sub-second precision; CNT needs integer seconds")
    return int(s)


def cnt_input(name: str, src: Path, time_col: str) -> tuple[Path, int]:
    """CNT's 8-column CSV of the merged likes (cached); returns (path, rows)."""
    out = DATA / "cnt" / f"{name}.cnt.csv"
    if out.is_file():
        return out, count_lines(out) - 1
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"# converting {src} -> {out} (merge repeated (account, post), earliest kept)",
          file=sys.stderr)
    earliest: dict[tuple[str, str], int] = {}
    with open(src, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        iso = None
        for row in r:
            raw = row[time_col]
            if iso is None:
                iso = not re.fullmatch(r"-?\d+(\.\d+)?", raw.strip())
            t = iso_seconds(raw) if iso else ca.parse_seconds(raw)
            key = (row["account"], row["post"])
            old = earliest.get(key)
            if old is None or t < old:
                earliest[key] = t
    tmp = out.with_suffix(".tmp")
    ca.write_cnt_csv([(a, p, t) for (a, p), t in earliest.items()], tmp)
    tmp.rename(out)
    return out, len(earliest)


# --------------------------------------------------------------------------- runs

def run_lockstep(binary, name, src, window, k, threads, extra, fmt="csv") -> dict:
    out = DATA / "runs" / f"{name}.{window}.lockstep.{fmt}"
    log = DATA / "runs" / f"{name}.{window}.lockstep.log"
    cmd = [str(binary), "colike", str(src), "--window", window, "--min-colikes", str(k),
           "--threads", str(threads), "--out", str(out), *extra]
    m = timed(cmd, log)
    text = log.read_text(errors="replace")
    wrote = re.search(r"wrote (\d+) pairs", text)
    pairs = int(wrote.group(1)) if wrote else count_lines(out) - 1
    skipped = re.search(r"skipped pair enumeration for (\d+) likes on (\d+) posts", text)
    return {"tool": "lockstep", **m, "pairs": pairs, "out": out, "log": log,
            "skipped": f"{skipped.group(1)} likes on {skipped.group(2)} posts" if skipped else None}


def run_cnt(name, cnt_csv, window_s, k, threads) -> dict:
    db = DATA / "runs" / f"{name}.{window_s}.cnt.db"
    graphml = DATA / "runs" / f"{name}.{window_s}.cnt.graphml"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    stages = [
        ("preprocess", ["compute_networks", str(db), "preprocess", "--format", "csv", str(cnt_csv)]),
        ("compute", ["compute_networks", str(db), "compute", "co_retweet", "--time_window",
                     str(window_s), "--min_edge_weight", str(k), "--n_cpus", str(threads)]),
        ("export", ["compute_networks", str(db), "export_network", str(graphml), "co_retweet",
                    "--output_format", "graphml"]),
    ]
    walls, mbs, cpu, load = {}, [], 0.0, None
    for stage, cmd in stages:
        m = timed(cmd, DATA / "runs" / f"{name}.{window_s}.cnt.{stage}.log")
        walls[stage] = m["wall"]
        mbs.append(m["mb"])
        cpu += m["cpu"]
        load = m["load"] if load is None else max(load, m["load"])
    con = sqlite3.connect(db)
    directed = con.execute("select count(*) from co_retweet_network where user_1 != user_2").fetchone()[0]
    con.close()
    db.unlink(missing_ok=True)  # can be large
    return {"tool": "CNT", "wall": sum(walls.values()), "cpu": cpu, "load": load, "mb": max(mbs),
            "pairs": directed // 2,
            "directed": directed, "stages": walls, "out": graphml}


def same_edges(ls_out: Path, cnt_graphml: Path) -> str:
    ls = ca.read_lockstep_pairs(ls_out)
    cnt, missing, unequal = ca.fold_directed(ca.read_cnt_graphml(cnt_graphml))
    ok, lines = ca.compare("lockstep", ls, "CNT", cnt)
    if missing or unequal:
        ok = False
        lines.append(f"  CNT asymmetric edges: {len(missing)} without reverse, {len(unequal)} unequal")
    if not ok:
        print("\n".join(lines), file=sys.stderr)
    return "yes" if ok else "NO"


# --------------------------------------------------------------------------- main

def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1048576:.0f} GiB RAM, {platform.platform()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", default="russian,german,synth1m,synth10m")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--min-colikes", type=int, default=2,
                    help="K for lockstep --min-colikes and CNT --min_edge_weight (default 2, both tools' default)")
    ap.add_argument("--cnt-on-10m", action="store_true", help="also run CNT on synth10m (hours)")
    ap.add_argument("--no-cnt", action="store_true", help="lockstep only")
    ap.add_argument("--lockstep", help="binary (default $LOCKSTEP_BIN or cargo build --release)")
    ap.add_argument("--repeat", type=int, default=1, help="lockstep runs per cell; the fastest is kept")
    ap.add_argument("--lockstep-args", default="", help="extra arguments for lockstep colike")
    ap.add_argument("--format-10m", choices=["csv", "parquet"], default="parquet",
                    help="lockstep output format on synth10m (default parquet: the CSV would be tens of GB)")
    ap.add_argument("--guard-10m", type=int, default=1000, metavar="N",
                    help="also run synth10m with --max-post-likers N (0 = don't; default 1000)")
    ap.add_argument("--keep-outputs", action="store_true", help="keep pair files over 1 GB")
    ap.add_argument("--wait-idle", type=float, metavar="LOAD",
                    help="before each timed command wait (max 15 min) until the 1-min load average < LOAD")
    args = ap.parse_args()
    global WAIT_IDLE
    WAIT_IDLE = args.wait_idle

    binary = ca.ensure_lockstep(args.lockstep)
    (DATA / "runs").mkdir(parents=True, exist_ok=True)
    coortweet = SHARED / "datasets" / "coortweet"
    # name -> (source, time column, windows [(lockstep, CNT seconds)], run CNT?)
    plans = {
        "russian": (coortweet / "russian_coord_tweets.apt.csv", "timestamp",
                    [("60s", 60), ("1h", 3600)], True),
        "german": (coortweet / "german_elections.apt.csv", "timestamp",
                   [("60s", 60), ("1h", 3600)], True),
        "synth1m": (None, "time", [("1h", 3600)], True),
        "synth10m": (None, "time", [("1h", 3600)], args.cnt_on_10m),
    }
    extra = args.lockstep_args.split()
    rows_out = []
    print(f"# machine: {machine()}", file=sys.stderr)
    for name in args.inputs.split(","):
        src, time_col, windows, with_cnt = plans[name]
        if src is None:
            src = synth_input(binary, 1.0 if name == "synth10m" else 0.1)
        n_rows = count_lines(src) - 1
        extra_cols = ["--post-col", "post"] if name == "german" else []  # it also has post_id
        cnt_csv = None
        if with_cnt and not args.no_cnt:
            cnt_csv, n_merged = cnt_input(name, src, time_col)
        fmt = args.format_10m if name == "synth10m" else "csv"
        variants = [("", [])]
        if name == "synth10m" and args.guard_10m > 0:
            variants.append((f" (--max-post-likers {args.guard_10m})",
                             ["--max-post-likers", str(args.guard_10m)]))
        for wl, ws in windows:
            for vi, (vlabel, vargs) in enumerate(variants):
                best = None
                for _ in range(args.repeat):
                    r = run_lockstep(binary, name + (f".v{vi}" if vi else ""), src, wl,
                                     args.min_colikes, args.threads, extra_cols + extra + vargs, fmt)
                    if best is None or r["wall"] < best["wall"]:
                        best = r
                best["label"] = "lockstep" + vlabel
                best["fmt"] = fmt
                print(f"# {name} {wl} {best['label']}: {best['wall']:.2f} s wall, {best['cpu']:.1f} s CPU, "
                      f"{best['mb']:.0f} MB, {best['pairs']:,} pairs"
                      + (f"; guard skipped {best['skipped']}" if best["skipped"] else ""), file=sys.stderr)
                cell = {"input": name, "rows": n_rows, "window": wl, "ls": best, "cnt": None}
                if cnt_csv is not None and vi == 0:
                    c = run_cnt(name, cnt_csv, ws, args.min_colikes, args.threads)
                    c["merged_rows"] = n_merged
                    st = c["stages"]
                    print(f"# {name} {wl} CNT: {c['wall']:.1f} s (preprocess {st['preprocess']:.1f}, "
                          f"compute {st['compute']:.1f}, export {st['export']:.1f}) {c['mb']:.0f} MB "
                          f"{c['pairs']:,} pairs", file=sys.stderr)
                    c["same"] = same_edges(best["out"], c["out"])
                    cell["cnt"] = c
                    if not args.keep_outputs and c["out"].stat().st_size > 1 << 30:
                        c["out"].unlink()
                elif name == "synth10m" and vi == 0 and not args.no_cnt:
                    cell["cnt_note"] = "CNT skipped (projected > 1 h; --cnt-on-10m to force)"
                if not args.keep_outputs and best["out"].exists() and best["out"].stat().st_size > 1 << 30:
                    best["out"].unlink()
                rows_out.append(cell)

    print(f"\nMeasured {dt.date.today().isoformat()} on {machine()}; lockstep --threads "
          f"{args.threads}, CNT --n_cpus {args.threads}; K = {args.min_colikes} "
          f"(lockstep --min-colikes, CNT --min_edge_weight). 'load' is the 1-min load average "
          f"just before the run (other work on the machine inflates wall times).\n")
    print("| input | rows | window | tool | out | wall s | CPU s | peak MB | pairs | load | CNT/lockstep wall | same edges |")
    print("|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for c in rows_out:
        ls = c["ls"]
        note = f" guard skipped {ls['skipped']}" if ls["skipped"] else ""
        print(f"| {c['input']} | {c['rows']:,} | {c['window']} | {ls['label']} | {ls['fmt']} | {ls['wall']:.2f} | "
              f"{ls['cpu']:.2f} | {ls['mb']:.0f} | {ls['pairs']:,} | {ls['load']:.1f} | |{note} |")
        if c["cnt"]:
            cn = c["cnt"]
            st = cn["stages"]
            print(f"| {c['input']} | {cn['merged_rows']:,} merged | {c['window']} | CNT "
                  f"(pre {st['preprocess']:.1f} + comp {st['compute']:.1f} + exp {st['export']:.1f}) | graphml | "
                  f"{cn['wall']:.1f} | {cn['cpu']:.1f} | {cn['mb']:.0f} | {cn['pairs']:,} | "
                  f"{cn['load']:.1f} | {cn['wall'] / ls['wall']:.1f}× | {cn['same']} |")
        elif c.get("cnt_note"):
            print(f"| {c['input']} | | {c['window']} | CNT | | – | – | – | – | | | {c['cnt_note']} |")

    print("\nTargets:")
    ratios = [c["cnt"]["wall"] / c["ls"]["wall"] for c in rows_out if c["cnt"]]
    same = all(c["cnt"]["same"] == "yes" for c in rows_out if c["cnt"])
    if ratios:
        print(f"- >= 20x faster than CNT with the same edges: min ratio {min(ratios):.1f}x, "
              f"same edges everywhere: {'yes' if same else 'NO'} -> "
              f"{'MET' if min(ratios) >= 20 and same else 'MISSED'}")
    for c in rows_out:
        if c["input"] == "synth10m" and c["window"] == "1h":
            ls = c["ls"]
            ok = ls["wall"] < 30 and ls["mb"] < 2048
            print(f"- 10 M likes, 1 h window, {ls['label']}: {ls['wall']:.1f} s (< 30), "
                  f"{ls['mb']:.0f} MB (< 2048) -> "
                  f"{'MET' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
