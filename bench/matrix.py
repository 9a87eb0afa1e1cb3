#!/usr/bin/env python3
"""Robustness matrix: detection on randomised worlds, cell by cell.

A cell is a planted behaviour × an organic look-alike × an intensity:

  behaviour   farm, click, pod, subscription (like worlds), followers (follow worlds: farms
              selling followers)
  look-alike  fans, viral, heavy, topical (the cell's look-alike is made strong, the others
              light; follow worlds have no fans, so followers × fans is skipped)
  intensity   low, mid, high: how hard the behaviour hides (smaller groups and order shares,
              slower and longer deliveries, more camouflage, lower compliance…)

For each cell and seed the script takes the parameters of `lockstep synth --preset random
--seed S` (every parameter drawn from the seed), keeps only the cell's behaviour, draws the
cell's behaviour, look-alike and intensity parameters within the cell's bands (a random
generator seeded by seed and cell), writes them to a parameter file and runs
`lockstep synth --params FILE --seed S`, then `lockstep detect` and `lockstep evaluate --json`.
Worlds are cached in --work (a world is remade when its parameters or the binary change).

Usage:
  bench/matrix.py --seeds 101,102 [--bin target/release/lockstep] [--work /tmp/lockstep-matrix]
                  [--behaviours farm,click] [--lookalikes fans,viral] [--intensities high]
                  [--scale 0.5] [--keep-coarse-times] [--follow-no-times [--logical-window 10]]
                  [--json results.json] [-- extra detect args]

Prints one markdown table per cell (one row per seed, then the mean) and a summary table
(one row per cell). Columns: precision, recall of the planted kind, false-positive rates
among fans, heavy users, organic likers of viral posts, members of topical communities and
all organic accounts, and the detect time. Use a release binary (`cargo build --release`);
at --scale 0.5 a world has about 0.3-0.6 M rows.
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time

BEHAVIOURS = ["farm", "click", "pod", "subscription", "followers"]
LOOKALIKES = ["fans", "viral", "heavy", "topical"]
INTENSITIES = ["low", "mid", "high"]

# The planted role each behaviour is scored on, and how many groups of it a world gets.
ROLE = {"farm": "bot_farm", "click": "click_worker", "pod": "pod_member",
        "subscription": "subscription_bot", "followers": "bot_farm"}
COUNT = {"farm": ("farms", "count", 3), "click": ("click_workers", "networks", 2),
         "pod": ("pods", "count", 4), "subscription": ("subscriptions", "count", 3),
         "followers": ("farms", "count", 3)}

# Bands per behaviour and intensity: (section, field) -> (low, high) drawn uniformly
# (integers stay integers; `_min`/`_max` pairs are drawn in the band and sorted), or a fixed
# value. Harder = smaller groups and shares, longer and later deliveries, more camouflage.
U = tuple
FARM = {
    "low": {"pool_min": U((100, 300)), "pool_max": U((100, 300)), "order_share_min": U((0.6, 1.0)),
            "order_share_max": U((0.6, 1.0)), "burst_minutes_min": U((1.0, 10.0)),
            "burst_minutes_max": U((1.0, 10.0)), "camouflage_share": U((0.0, 0.1)),
            "order_delay_median_hours": U((1.0, 24.0)), "camouflage_rhythm": False},
    "mid": {"pool_min": U((40, 200)), "pool_max": U((40, 200)), "order_share_min": U((0.3, 0.6)),
            "order_share_max": U((0.3, 0.6)), "burst_minutes_min": U((10.0, 60.0)),
            "burst_minutes_max": U((10.0, 60.0)), "camouflage_share": U((0.2, 0.4)),
            "order_delay_median_hours": U((0.2, 48.0))},
    "high": {"pool_min": U((10, 60)), "pool_max": U((10, 60)), "order_share_min": U((0.1, 0.3)),
             "order_share_max": U((0.1, 0.3)), "burst_minutes_min": U((60.0, 360.0)),
             "burst_minutes_max": U((60.0, 360.0)), "camouflage_share": U((0.4, 0.6)),
             "camouflage_random_share": U((0.5, 1.0)), "camouflage_rhythm": True,
             "order_delay_median_hours": U((0.05, 72.0))},
}
BANDS = {
    "farm": {k: {("farms", f): v for f, v in d.items()} for k, d in FARM.items()},
    "followers": {k: {("farms", f): v for f, v in d.items() if f != "order_delay_median_hours"}
                  for k, d in FARM.items()},
    "click": {
        "low": {("click_workers", "workers_min"): (80, 200), ("click_workers", "workers_max"): (80, 200),
                ("click_workers", "completion_min"): (0.8, 1.0), ("click_workers", "completion_max"): (0.8, 1.0),
                ("click_workers", "participation"): (0.9, 1.0),
                ("click_workers", "pickup_delay_median_hours"): (1.0, 2.0),
                ("click_workers", "pickup_spread_hours"): (6.0, 12.0)},
        "mid": {("click_workers", "workers_min"): (30, 80), ("click_workers", "workers_max"): (30, 80),
                ("click_workers", "completion_min"): (0.5, 0.8), ("click_workers", "completion_max"): (0.5, 0.8),
                ("click_workers", "participation"): (0.7, 0.9),
                ("click_workers", "pickup_delay_median_hours"): (3.0, 6.0),
                ("click_workers", "pickup_spread_hours"): (12.0, 24.0)},
        "high": {("click_workers", "workers_min"): (10, 30), ("click_workers", "workers_max"): (10, 30),
                 ("click_workers", "completion_min"): (0.3, 0.6), ("click_workers", "completion_max"): (0.3, 0.6),
                 ("click_workers", "participation"): (0.5, 0.7),
                 ("click_workers", "pickup_delay_median_hours"): (6.0, 12.0),
                 ("click_workers", "pickup_spread_hours"): (24.0, 48.0),
                 ("click_workers", "gap_median_seconds"): (120.0, 600.0)},
    },
    "pod": {
        "low": {("pods", "members_min"): (20, 50), ("pods", "members_max"): (20, 50),
                ("pods", "compliance_min"): (0.85, 1.0), ("pods", "compliance_max"): (0.85, 1.0),
                ("pods", "delay_median_minutes"): (5.0, 20.0), ("pods", "delay_max_minutes"): 60.0},
        "mid": {("pods", "members_min"): (10, 25), ("pods", "members_max"): (10, 25),
                ("pods", "compliance_min"): (0.6, 0.85), ("pods", "compliance_max"): (0.6, 0.85),
                ("pods", "delay_median_minutes"): (20.0, 90.0), ("pods", "delay_max_minutes"): 360.0},
        "high": {("pods", "members_min"): (5, 10), ("pods", "members_max"): (5, 10),
                 ("pods", "compliance_min"): (0.4, 0.6), ("pods", "compliance_max"): (0.4, 0.6),
                 ("pods", "delay_median_minutes"): (60.0, 240.0), ("pods", "delay_max_minutes"): 1440.0},
    },
    "subscription": {
        "low": {("subscriptions", "likes_per_post_min"): (100, 200), ("subscriptions", "likes_per_post_max"): (100, 200),
                ("subscriptions", "pool_factor_min"): (1.0, 1.5), ("subscriptions", "pool_factor_max"): (1.0, 1.5),
                ("subscriptions", "spread_minutes"): (1.0, 10.0), ("subscriptions", "camouflage_share"): (0.0, 0.1)},
        "mid": {("subscriptions", "likes_per_post_min"): (40, 100), ("subscriptions", "likes_per_post_max"): (40, 100),
                ("subscriptions", "pool_factor_min"): (1.5, 2.5), ("subscriptions", "pool_factor_max"): (1.5, 2.5),
                ("subscriptions", "spread_minutes"): (10.0, 60.0), ("subscriptions", "camouflage_share"): (0.2, 0.4)},
        "high": {("subscriptions", "likes_per_post_min"): (10, 40), ("subscriptions", "likes_per_post_max"): (10, 40),
                 ("subscriptions", "pool_factor_min"): (2.5, 4.0), ("subscriptions", "pool_factor_max"): (2.5, 4.0),
                 ("subscriptions", "spread_minutes"): (60.0, 240.0), ("subscriptions", "camouflage_share"): (0.4, 0.6),
                 ("subscriptions", "clients_min"): (1, 3), ("subscriptions", "clients_max"): (1, 3)},
    },
}

# Look-alikes: the cell's one strong, the others light.
STRONG = {
    "fans": {("fans", "fans_min"): (200, 1000), ("fans", "fans_max"): (200, 1000),
             ("fans", "share_min"): (0.5, 0.95), ("fans", "share_max"): (0.5, 0.95),
             ("fans", "delay_median_min_minutes"): (1.0, 10.0), ("fans", "delay_median_max_minutes"): (1.0, 10.0),
             ("fans", "fans_total"): (4000, 7000)},
    "viral": {("viral", "posts"): (12, 20), ("viral", "reach_min"): (0.15, 0.3), ("viral", "reach_max"): (0.15, 0.3),
              ("viral", "delay_median_hours"): (1.0, 3.0)},
    "heavy": {("heavy", "count"): (80, 150), ("heavy", "likes_min"): (2000, 6000), ("heavy", "likes_max"): (2000, 6000)},
    "topical": {("communities", "count"): (6, 12), ("communities", "members_min"): (100, 300),
                ("communities", "members_max"): (100, 300), ("communities", "creators_min"): (4, 10),
                ("communities", "creators_max"): (4, 10), ("communities", "share_min"): (0.2, 0.5),
                ("communities", "share_max"): (0.2, 0.5), ("communities", "delay_median_min_hours"): (0.5, 4.0),
                ("communities", "delay_median_max_hours"): (0.5, 4.0), ("communities", "delay_sigma"): (0.8, 1.2),
                ("organic", "off_topic_share"): (0.03, 0.08)},
}
LIGHT = {
    "fans": {("fans", "fans_min"): (100, 200), ("fans", "fans_max"): (100, 200), ("fans", "fans_total"): (200, 400)},
    "viral": {("viral", "posts"): (1, 2), ("viral", "reach_min"): (0.02, 0.05), ("viral", "reach_max"): (0.02, 0.05)},
    "heavy": {("heavy", "count"): (3, 8), ("heavy", "likes_min"): (1000, 1500), ("heavy", "likes_max"): (1000, 1500)},
    "topical": {("communities", "count"): 0},
}


def draw(rng, band):
    """A value in a band: uniform in (lo, hi) keeping integer type, or the fixed value."""
    if isinstance(band, tuple):
        lo, hi = band
        if isinstance(lo, int) and isinstance(hi, int):
            return rng.randint(lo, hi)
        return round(rng.uniform(lo, hi), 3)
    return band


# Numbers of look-alike accounts or groups: the bands are for --scale 1 and follow the scale.
SCALED = {("fans", "fans_total"), ("heavy", "count"), ("communities", "count")}


def apply(p, rng, bands, scale):
    values = {key: draw(rng, band) for key, band in sorted(bands.items(), key=lambda kv: kv[0])}
    for key in SCALED & values.keys():
        if values[key]:
            values[key] = max(1, round(values[key] * scale))
    for (sec, field), v in values.items():
        if field == "fans_total":
            continue
        p.setdefault(sec, {})[field] = v
    # Order every `_min`/`_max` pair.
    for (sec, field) in list(values):
        if field.endswith("_min"):
            mx = field[:-4] + "_max"
            if mx in p.get(sec, {}) and p[sec][field] > p[sec][mx]:
                p[sec][field], p[sec][mx] = p[sec][mx], p[sec][field]
    if ("fans", "fans_total") in values:
        mean = (p["fans"]["fans_min"] + p["fans"]["fans_max"]) / 2
        p["fans"]["fandoms"] = max(1, round(values[("fans", "fans_total")] / mean))


def compose(base, behaviour, lookalike, intensity, seed, scale, keep_coarse, no_times):
    """The cell's parameters from the random preset's draws for this seed."""
    p = json.loads(json.dumps(base))
    rng = random.Random(f"{seed}/{behaviour}/{lookalike}/{intensity}")
    p["preset"] = f"matrix:{behaviour}/{lookalike}/{intensity}"
    for sec, field in [("farms", "count"), ("click_workers", "networks"), ("pods", "count"),
                       ("subscriptions", "count")]:
        p[sec][field] = 0
    sec, field, n = COUNT[behaviour]
    p[sec][field] = n
    apply(p, rng, BANDS[behaviour][intensity], scale)
    if behaviour != "followers":
        # A like world's communities block may be absent when the draw left it at zero.
        p.setdefault("communities", {"count": 0, "members_min": 30, "members_max": 30, "creators_min": 3,
                                     "creators_max": 3, "share_min": 0.1, "share_max": 0.1,
                                     "delay_median_min_hours": 1.0, "delay_median_max_hours": 1.0,
                                     "delay_sigma": 1.0})
    for name in LOOKALIKES:
        if behaviour == "followers" and name == "fans":
            continue
        apply(p, rng, STRONG[name] if name == lookalike else LIGHT[name], scale)
    if behaviour == "followers":
        p["fans"]["fandoms"] = 0
        p["no_times"] = bool(no_times)
    if not keep_coarse:
        p.pop("date_only_share", None)
        p.pop("hour_rounded_share", None)
    return p


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/lockstep")
    ap.add_argument("--synth-bin", help="binary that makes the worlds (default: --bin); worlds are "
                    "kept while this binary is unchanged, so detection can be re-run on the same worlds")
    ap.add_argument("--work", default="/tmp/lockstep-matrix")
    ap.add_argument("--seeds", default="101")
    ap.add_argument("--behaviours", default=",".join(BEHAVIOURS))
    ap.add_argument("--lookalikes", default=",".join(LOOKALIKES))
    ap.add_argument("--intensities", default=",".join(INTENSITIES))
    ap.add_argument("--scale", type=float, default=0.5, help="world size (1 = 0.6-1.1 M likes; default 0.5)")
    ap.add_argument("--keep-coarse-times", action="store_true",
                    help="keep the drawn date-only / hour-rounded shares (default: exact times)")
    ap.add_argument("--follow-no-times", action="store_true",
                    help="write follow worlds without a time column (detect then uses row order)")
    ap.add_argument("--logical-window", default="10",
                    help="detect --window for follow worlds without times (positions)")
    ap.add_argument("--json", help="also write every result to this JSON file")
    ap.add_argument("extra", nargs="*", help="extra arguments for lockstep detect (after --)")
    a = ap.parse_args()
    a.synth_bin = a.synth_bin or a.bin
    for name, allowed in [("behaviours", BEHAVIOURS), ("lookalikes", LOOKALIKES), ("intensities", INTENSITIES)]:
        bad = [x for x in getattr(a, name).split(",") if x not in allowed]
        if bad:
            sys.exit(f"--{name}: unknown {bad}; use {','.join(allowed)}")
    os.makedirs(a.work, exist_ok=True)
    results = []
    for behaviour in a.behaviours.split(","):
        for lookalike in a.lookalikes.split(","):
            if behaviour == "followers" and lookalike == "fans":
                continue
            for intensity in a.intensities.split(","):
                for seed in a.seeds.split(","):
                    results.append(cell(a, behaviour, lookalike, intensity, seed))
                print_cell(results, behaviour, lookalike, intensity)
    print_summary(results)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


def base_params(a, seed, follow):
    """The random preset's draws for this seed (asked every time: it takes milliseconds and
    follows the binary's version of the draws)."""
    cmd = [a.synth_bin, "synth", "--preset", "random", "--seed", seed, "--scale", str(a.scale), "--print-params"]
    if follow:
        cmd += ["--interaction", "follow"]
    return json.loads(run(cmd, capture_output=True, text=True).stdout)


def cell(a, behaviour, lookalike, intensity, seed):
    follow = behaviour == "followers"
    p = compose(base_params(a, seed, follow), behaviour, lookalike, intensity, seed, a.scale,
                a.keep_coarse_times, a.follow_no_times)
    text = json.dumps(p, indent=1, sort_keys=True)
    # A world is remade when its parameters or the binary change.
    st = os.stat(a.synth_bin)
    key = hashlib.sha256(f"{text}/{seed}/{st.st_size}/{st.st_mtime_ns}".encode()).hexdigest()[:10]
    name = f"{behaviour}-{lookalike}-{intensity}-{seed}"
    world = os.path.join(a.work, f"world-{name}")
    rows = os.path.join(world, "follows.csv" if follow else "likes.csv")
    stamp = os.path.join(world, "cell.key")
    if not (os.path.exists(rows) and os.path.exists(stamp) and open(stamp).read() == key):
        pfile = os.path.join(a.work, f"params-{name}.json")
        with open(pfile, "w") as f:
            f.write(text)
        run([a.synth_bin, "synth", "--params", pfile, "--seed", seed, "--out", world, "-q"])
        with open(stamp, "w") as f:
            f.write(key)
    out = os.path.join(a.work, f"run-{name}")
    detect = [a.bin, "detect", rows, "--out", out, "-q", *a.extra]
    if follow and a.follow_no_times:
        detect += ["--window", a.logical_window]
    t0 = time.time()
    run(detect)
    secs = time.time() - t0
    ev = json.loads(run([a.bin, "evaluate", "--truth", os.path.join(world, "truth.csv"),
                         "--accounts", os.path.join(out, "accounts.csv"), "--json"],
                        capture_output=True, text=True).stdout)
    with open(os.path.join(world, "params.json")) as f:
        likes = json.load(f)["stats"]["likes"]
    return dict(behaviour=behaviour, lookalike=lookalike, intensity=intensity, seed=seed, rows=likes,
                secs=secs, precision=ev["overall"]["precision"],
                recall=ev["recall_planted"].get(ROLE[behaviour]),
                fpr_fans=ev["false_positive_rate_fans"], fpr_heavy=ev.get("false_positive_rate_heavy"),
                fpr_viral=ev.get("false_positive_rate_viral_likers"),
                fpr_topical=ev.get("false_positive_rate_communities"),
                fpr_organic=ev["false_positive_rate_organic"])


COLS = [("precision", "precision", False), ("recall", "recall", False), ("fpr_fans", "FPR fans", True),
        ("fpr_heavy", "FPR heavy", True), ("fpr_viral", "FPR viral likers", True),
        ("fpr_topical", "FPR topical", True), ("fpr_organic", "FPR organic", True)]


def fmt(x, pct):
    if x is None:
        return "—"
    return f"{100 * x:.2f} %" if pct else f"{x:.3f}"


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def print_cell(results, behaviour, lookalike, intensity):
    rows = [r for r in results if (r["behaviour"], r["lookalike"], r["intensity"]) == (behaviour, lookalike, intensity)]
    if not rows:
        return
    print(f"\n### {behaviour} × {lookalike} × {intensity}\n")
    head = ["seed", "rows", *[c[1] for c in COLS], "detect s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join([r["seed"], str(r["rows"]), *[fmt(r[k], p) for k, _, p in COLS],
                                 f"{r['secs']:.1f}"]) + " |")
    if len(rows) > 1:
        print("| **mean** | " + " | ".join([str(round(mean([r["rows"] for r in rows]))),
                                            *[fmt(mean([r[k] for r in rows]), p) for k, _, p in COLS],
                                            f"{mean([r['secs'] for r in rows]):.1f}"]) + " |")
    sys.stdout.flush()


def print_summary(results):
    print("\n## Summary (mean over seeds)\n")
    head = ["behaviour", "look-alike", "intensity", "seeds", *[c[1] for c in COLS], "detect s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    cells = []
    for r in results:
        k = (r["behaviour"], r["lookalike"], r["intensity"])
        if k not in cells:
            cells.append(k)
    for k in cells:
        rows = [r for r in results if (r["behaviour"], r["lookalike"], r["intensity"]) == k]
        print("| " + " | ".join([*k, str(len(rows)), *[fmt(mean([r[c] for r in rows]), p) for c, _, p in COLS],
                                 f"{mean([r['secs'] for r in rows]):.1f}"]) + " |")


if __name__ == "__main__":
    main()
