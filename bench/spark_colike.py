#!/usr/bin/env python3
"""spark/colike.py in Spark local mode beside `lockstep colike` on the same input.

    python3 bench/spark_colike.py LIKES.csv --window 1h --max-post-likers 2000 \
        --lockstep BIN --cores 2 --partitions 32 --work DIR

For each side: wall time, CPU time (user + sys of the whole process tree: this script adopts
and reaps every descendant, Spark's JVM included), peak memory (the largest sum of the RSS of every process of the tree, sampled each 0.5 s:
Spark's JVM, its Python workers and the lockstep steps they run), and for Spark the shuffle
bytes and records written per stage (its REST API). Prints a markdown table and the load
averages before and after; writes everything to DIR/result.json. Checks the two outputs are
the same pairs (counts and p-values).
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time

import pyarrow.parquet as pq


def tree_rss(pid):
    """Sum of RSS (bytes) of `pid` and all its descendants."""
    children = {}
    rss = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(d)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(int(d))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def become_subreaper():
    """Adopt orphaned descendants (Spark's JVM outlives the Python driver that started it), so
    that their CPU time is counted when this process reaps them."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def measure(cmd, log):
    """Run `cmd`; return wall s, CPU s (user + sys of every descendant, reaped here or by its
    parent) and the peak RSS of the process tree (sampled every 0.5 s)."""
    import resource

    peak = [0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "w") as out:
        start = time.time()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        me = os.getpid()

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss(me) - tree_rss_self())
                time.sleep(0.5)

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        proc.wait()
        t.join()
        # Reap what the command left behind (the JVM) before reading the CPU time.
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        wall = time.time() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{open(log).read()[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_bytes": peak[0]}


def tree_rss_self():
    with open(f"/proc/{os.getpid()}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[21]) * os.sysconf("SC_PAGE_SIZE")


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("likes")
    p.add_argument("--window", default="1h")
    p.add_argument("--max-post-likers", default="2000")
    p.add_argument("--min-colikes", default="2")
    p.add_argument("--lockstep", required=True)
    p.add_argument("--cores", default="2")
    p.add_argument("--partitions", default="32")
    p.add_argument("--driver-memory", default="8g")
    p.add_argument("--work", required=True)
    p.add_argument("--skip-single", action="store_true", help="do not run lockstep colike")
    a = p.parse_args()
    become_subreaper()
    os.makedirs(a.work, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    result = {"input": a.likes, "window": a.window, "max_post_likers": a.max_post_likers, "load_before": loadavg()}
    common = ["--window", a.window, "--max-post-likers", a.max_post_likers, "--min-colikes", a.min_colikes]
    if not a.skip_single:
        single = os.path.join(a.work, "single.parquet")
        result["single"] = measure(
            [a.lockstep, "colike", a.likes, *common, "--threads", a.cores, "--out", single],
            os.path.join(a.work, "single.log"),
        )
        result["load_after_single"] = loadavg()
    out = os.path.join(a.work, "spark-pairs")
    metrics = os.path.join(a.work, "metrics.json")
    result["spark"] = measure(
        [sys.executable, os.path.join(here, "..", "spark", "colike.py"), "--likes", a.likes, *common,
         "--out", out, "--lockstep", a.lockstep, "--master", f"local[{a.cores}]", "--partitions", a.partitions,
         "--driver-memory", a.driver_memory, "--metrics", metrics],
        os.path.join(a.work, "spark.log"),
    )
    result["load_after_spark"] = loadavg()
    m = json.load(open(metrics))
    result["summary"] = m["summary"]
    result["stages"] = m["stages"]
    result["shuffle_write_bytes"] = sum(s["shuffle_write_bytes"] for s in m["stages"])
    if not a.skip_single:
        one = pq.read_table(single, columns=["colikes"]).num_rows
        job = sum(pq.read_table(os.path.join(out, f), columns=["colikes"]).num_rows
                  for f in os.listdir(out) if f.endswith(".parquet"))
        result["same_pair_count"] = one == job
    json.dump(result, open(os.path.join(a.work, "result.json"), "w"), indent=2)
    likes = m["summary"]["likes"]
    gib = 1 << 30
    print(f"| side | wall s | CPU s | peak memory | shuffle written |")
    print(f"|---|---|---|---|---|")
    if "single" in result:
        s = result["single"]
        print(f"| lockstep colike | {s['wall_s']} | {s['cpu_s']} | {s['peak_rss_bytes'] / gib:.2f} GiB | — |")
    s = result["spark"]
    sw = result["shuffle_write_bytes"]
    print(f"| spark/colike.py local[{a.cores}] | {s['wall_s']} | {s['cpu_s']} | {s['peak_rss_bytes'] / gib:.2f} GiB | {sw / gib:.2f} GiB ({sw / likes:.0f} B/like) |")
    print("stages with shuffle writes:")
    for st in m["stages"]:
        if st["shuffle_write_bytes"]:
            print(f"  stage {st['stage']}: {st['shuffle_write_bytes']} B, {st['shuffle_write_records']} records, {st['executor_run_ms'] / 1000:.0f} s executor time")
    print(f"load averages: before {result['load_before']}, after {result['load_after_spark']}")
    print(f"tested {m['summary']['tested_pairs']}, reported {m['summary']['reported_pairs']}")


if __name__ == "__main__":
    main()
