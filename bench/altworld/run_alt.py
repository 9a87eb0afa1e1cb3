#!/usr/bin/env python3
"""run_alt — score a lockstep binary on altworld worlds.

For each seed: generate a world with altworld.py (cached under --work), run
    BIN detect WORLD/likes.csv --out RUN -q [extra detect args]
    BIN evaluate --truth WORLD/truth.csv --accounts RUN/accounts.csv --json
and compute, from RUN/accounts.csv and the world's own files:
    precision / recall / F1 over the coordinated roles, recall per planted role,
    false-positive rates among fans, heavy users, non-coordinated likers of a viral post,
    customers of services (organic creators who bought likes) and all other organic accounts.
Prints one markdown table row per world and a pooled row per seed set.

    python3 run_alt.py --seeds 1,2
    python3 run_alt.py --seeds 1-5 --bin /path/lockstep --gen-args "--scale 0.5" -- --window 30m
    python3 run_alt.py --seeds 1,2 --gen-args "--interaction follow"

Everything after `--` is passed to `detect`.
"""
import argparse
import csv
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COORD = ["bot_farm", "click_worker", "pod_member", "subscription_bot"]
# disjoint negative classes, in this order of precedence
NEG = ["fan", "heavy", "viral_liker", "customer", "other_organic"]
TRUE = {"1", "true", "yes", "y", "t"}
MIN_ACTIVE = 3   # "active" coordinated accounts: at least this many planted (non-camouflage) actions


def parse_seeds(s):
    out = []
    for part in s.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def read_col(path, col=0):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r, None)
        return [row[col] for row in r if row]


def world(seed, gen_args, work):
    # the cache key covers the generator's source too, so an edited generator never reuses stale worlds
    with open(os.path.join(HERE, "altworld.py"), "rb") as f:
        src = f.read()
    tag = hashlib.sha1(" ".join(gen_args).encode() + src).hexdigest()[:8]
    d = os.path.join(work, "worlds", f"{tag}-s{seed}")
    meta = os.path.join(d, "meta.json")
    if not os.path.exists(meta):
        t = time.time()
        subprocess.run([sys.executable, os.path.join(HERE, "altworld.py"), "--seed", str(seed), "--out", d] + gen_args,
                       check=True)
        print(f"  generated {d} in {time.time() - t:.1f}s", file=sys.stderr)
    with open(meta) as f:
        return d, json.load(f)


def classify(wd, meta):
    """account -> (role, negative class or None)."""
    truth = {}
    with open(os.path.join(wd, "truth.csv"), newline="") as f:
        for row in csv.DictReader(f):
            truth[row["account_id"]] = row["role"]
    heavy = set(read_col(os.path.join(wd, "heavy.csv")))
    viral = set(read_col(os.path.join(wd, "viral.csv")))
    customers = set(meta.get("customers", []))
    vlikers = set()
    fn = meta.get("file", "likes.csv")
    with open(os.path.join(wd, fn), newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            if row[1] in viral:
                vlikers.add(row[0])
    active = set()
    ap = os.path.join(wd, "actions.csv")
    if os.path.exists(ap):
        with open(ap, newline="") as f:
            active = {row["account_id"] for row in csv.DictReader(f) if int(row["planted_actions"]) >= MIN_ACTIVE}
    cls = {}
    for a, role in truth.items():
        if role in COORD:
            cls[a] = (role, None, a in active)
        elif role == "fan":
            cls[a] = (role, "fan", False)
        elif a in heavy:
            cls[a] = (role, "heavy", False)
        elif a in vlikers:
            cls[a] = (role, "viral_liker", False)
        elif a in customers:
            cls[a] = (role, "customer", False)
        else:
            cls[a] = (role, "other_organic", False)
    return cls


def flagged_set(run):
    out = set()
    with open(os.path.join(run, "accounts.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if str(row.get("flagged", "")).strip().lower() in TRUE:
                out.add(row["account_id"])
    return out


def score(cls, flagged):
    c = {k: [0, 0] for k in COORD + NEG + ["active"]}   # [flagged, total]
    for a, (role, neg, act) in cls.items():
        for k in [neg or role] + (["active"] if act else []):
            c[k][1] += 1
            if a in flagged:
                c[k][0] += 1
    return c


def metrics(c):
    tp = sum(c[k][0] for k in COORD)
    pos = sum(c[k][1] for k in COORD)
    fp = sum(c[k][0] for k in NEG)
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / pos if pos else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if tp else (0.0 if pos else float("nan"))
    m = {"precision": prec, "recall": rec, "f1": f1, "flagged": tp + fp, "fp": fp}
    for k in COORD + NEG + ["active"]:
        m[k] = c[k][0] / c[k][1] if c[k][1] else float("nan")
    return m


def fmt(x, pct=False):
    if x != x:
        return "–"
    return f"{100 * x:.2f}%" if pct else f"{x:.3f}"


def header():
    cols = ["world", "rows", "P", "R", "F1", "flagged", f"R active≥{MIN_ACTIVE}"] + [f"R {k}" for k in ["farm", "click", "pod", "sub"]] + \
           [f"FPR {k}" for k in ["fan", "heavy", "viral", "customer", "organic"]] + ["detect s"]
    return "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)


def line(name, rows, m, c, secs):
    rec = [f"{fmt(m[k])} ({c[k][1]})" if c[k][1] else "–" for k in COORD]
    fpr = [f"{fmt(m[k], True)} ({c[k][1]})" for k in NEG]
    return "| " + " | ".join([name, str(rows), fmt(m["precision"]), fmt(m["recall"]), fmt(m["f1"]), str(m["flagged"]),
                             f"{fmt(m['active'])} ({c['active'][1]})"]
                             + rec + fpr + [secs]) + " |"


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2", help="e.g. 1,2 or 1-5")
    ap.add_argument("--bin", default="/work/main/target/release/lockstep")
    ap.add_argument("--work", default="/tmp/altworld-work", help="cache of worlds and runs")
    ap.add_argument("--gen-args", default="", help="extra altworld.py arguments, e.g. '--scale 0.5 --kinds farm'")
    ap.add_argument("--label", default="", help="name of this run (directory under WORK/runs)")
    ap.add_argument("--json-out", default=None, help="also write all figures to this JSON file")
    a = ap.parse_args(argv)
    gen = shlex.split(a.gen_args)
    seeds = parse_seeds(a.seeds)
    follow = "follow" in gen
    rtag = a.label or hashlib.sha1((a.bin + " ".join(gen + extra)).encode()).hexdigest()[:8]
    lines, pooled, report = [], {k: [0, 0] for k in COORD + NEG + ["active"]}, []
    total_rows = 0
    for s in seeds:
        wd, meta = world(s, gen, a.work)
        run = os.path.join(a.work, "runs", rtag, os.path.basename(wd))
        os.makedirs(os.path.dirname(run), exist_ok=True)
        inp = os.path.join(wd, meta.get("file", "likes.csv"))
        cmd = [a.bin, "detect", inp, "--out", run, "-q"]
        if follow:
            cmd += ["--account-col", "follower", "--post-col", "followed"]
            if "--no-times" in gen:
                cmd += ["--no-time"]
        cmd += extra
        t = time.time()
        subprocess.run(cmd, check=True)
        secs = time.time() - t
        ev = subprocess.run([a.bin, "evaluate", "--truth", os.path.join(wd, "truth.csv"),
                             "--accounts", os.path.join(run, "accounts.csv"), "--json"],
                            capture_output=True, text=True)
        try:
            evj = json.loads(ev.stdout)
        except ValueError:
            evj = {"error": (ev.stdout + ev.stderr)[-500:]}
        cls = classify(wd, meta)
        c = score(cls, flagged_set(run))
        m = metrics(c)
        for k in pooled:
            pooled[k][0] += c[k][0]
            pooled[k][1] += c[k][1]
        total_rows += meta["rows"]
        lines.append(line(f"seed {s}", meta["rows"], m, c, f"{secs:.1f}"))
        report.append({"seed": s, "world": wd, "run": run, "rows": meta["rows"], "detect_seconds": secs,
                       "counts": c, "metrics": m, "evaluate": evj})
        print(f"  seed {s}: F1 {fmt(m['f1'])} (lockstep evaluate: {json.dumps(evj)[:300]})", file=sys.stderr)
    mp = metrics(pooled)
    print(f"\n### altworld — {a.bin} — gen args '{a.gen_args}' — detect args '{' '.join(extra)}'\n")
    print(header())
    for ln in lines:
        print(ln)
    print(line(f"**pooled {a.seeds}**", total_rows, mp, pooled, ""))
    print("\nR = recall (accounts of that role in the data); FPR = share flagged among non-coordinated accounts of that"
          " class (count). Classes are disjoint: fan > heavy > viral liker > customer > other organic.\n"
          f"R active≥{MIN_ACTIVE}: recall among coordinated accounts with at least {MIN_ACTIVE} planted"
          " (non-camouflage) actions (bots used once or twice are near-undetectable).")
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump({"worlds": report, "pooled": {"counts": pooled, "metrics": mp}}, f, indent=1)


if __name__ == "__main__":
    main()
