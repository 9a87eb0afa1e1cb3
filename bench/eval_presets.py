#!/usr/bin/env python3
"""Detection quality on synthetic worlds: synth → detect → evaluate, several presets and seeds.

Usage: bench/eval_presets.py [--bin PATH] [--work DIR] [--presets medium,null,stealth,random]
                             [--seeds 1,2,3] [-- extra detect args]

Prints a markdown table (one row per world) and the mean per preset. Run with a release
binary (`cargo build --release`); worlds are cached in --work.
"""
import argparse, json, os, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--bin", default="target/release/lockstep")
ap.add_argument("--work", default="/tmp/lockstep-eval")
ap.add_argument("--presets", default="medium,null,stealth")
ap.add_argument("--seeds", default="1,2,3")
ap.add_argument("extra", nargs="*")
a = ap.parse_args()
os.makedirs(a.work, exist_ok=True)
roles = ["bot_farm", "click_worker", "pod_member", "subscription_bot"]
rows = []
for preset in a.presets.split(","):
    for seed in a.seeds.split(","):
        world = os.path.join(a.work, f"{preset}-{seed}")
        if not os.path.exists(os.path.join(world, "likes.csv")):
            subprocess.run([a.bin, "synth", "--preset", preset, "--seed", seed, "--out", world, "-q"], check=True)
        run = os.path.join(a.work, f"run-{preset}-{seed}")
        t0 = time.time()
        subprocess.run([a.bin, "detect", os.path.join(world, "likes.csv"), "--out", run, "-q", *a.extra], check=True)
        secs = time.time() - t0
        ev = json.loads(subprocess.run([a.bin, "evaluate", "--truth", os.path.join(world, "truth.csv"),
                                        "--accounts", os.path.join(run, "accounts.csv"), "--json"],
                                       check=True, capture_output=True, text=True).stdout)
        r = {x["role"]: x for x in ev["roles"]}
        typed = {x["role"]: x for x in ev.get("typed") or []}
        o = ev["overall"]
        rows.append(dict(preset=preset, seed=seed, secs=secs, p=o["precision"], r=o["recall"], f1=o["f1"],
                         fpr_org=ev["false_positive_rate_organic"], fpr_fan=ev["false_positive_rate_fans"],
                         fpr_heavy=ev.get("false_positive_rate_heavy"),
                         fpr_viral=ev.get("false_positive_rate_viral_likers"),
                         **{f"rec_{k}": r[k]["recall"] if k in r and r[k]["accounts"] else None for k in roles},
                         **{f"typed_{k}": typed[k]["f1"] if k in typed else None for k in roles}))

def f(x, pct=False):
    if x is None:
        return "—"
    return f"{100*x:.2f} %" if pct else f"{x:.3f}"

head = ["preset", "seed", "precision", "recall", "F1", "farm rec", "click rec", "pod rec", "sub rec",
        "FPR organic", "FPR fans", "FPR heavy", "FPR viral likers", "typed F1 farm/click/pod/sub", "detect s"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for x in rows:
    print("| " + " | ".join([x["preset"], x["seed"], f(x["p"]), f(x["r"]), f(x["f1"]),
                             *[f(x[f"rec_{k}"]) for k in roles], f(x["fpr_org"], True), f(x["fpr_fan"], True),
                             f(x["fpr_heavy"], True), f(x["fpr_viral"], True),
                             "/".join(f(x[f"typed_{k}"]) for k in roles), f"{x['secs']:.1f}"]) + " |")
