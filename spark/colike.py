#!/usr/bin/env python3
"""lockstep's co-like projection as an Apache Spark job.

    spark-submit spark/colike.py --likes likes.csv --window 1h,inf --out pairs.parquet

writes the pairs `lockstep colike likes.csv --window 1h,inf --out pairs.parquet` writes (same
columns and types, same numbers: counts, leads, median Δt, expected, p- and q-values bit for
bit, the idf weight up to rounding), as a directory of Parquet files, with `_lockstep.json`
beside them (what `lockstep detect --pairs` needs). It runs where the likes do not fit one
machine. The shape is MapReduce, as CopyCatch and SynchroTrap ran at platform scale; no step
builds a post's k² like pairs (a SQL self-join does):

1. read the likes (CSV or Parquet), keep the ids as given; number each row by its place in the
   input (file, offset);
2. per account (shuffle 1: the likes): its likes (distinct posts) and its first appearance;
3. per post (shuffle 2: the likes): each partition of whole posts goes to `lockstep partial
   posts` (like pairs within each window P_W, the giant-post guard) and `lockstep partial
   colikes` (lockstep's own sweep: one row per pair of the partition's accounts, with co-likes,
   idf sums and leads per window and every Δt);
4. per pair (shuffle 3: the partial pairs): sums; `lockstep partial test` tests each sum
   against the null model of the whole data (L, P_W, degrees) as `lockstep colike` does;
5. Benjamini–Hochberg over the tested pairs (shuffle 4: the reported pairs, sorted by
   p-value): `lockstep partial qvalues` scans each sorted chunk with the carry of the chunks
   after it.

Every number comes from lockstep's code (`lockstep partial --help`); this file only moves
data. Needs a time column (lockstep's logical time, each post's row order, is not kept by a
distributed reader). Time resolution (date-only or rounded times) is decided per partition
instead of per file: the same whenever a file's times are exact (see the README, "More than
one machine").
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="spark/colike.py",
        description="lockstep's co-like projection on Apache Spark (same output as `lockstep colike --format parquet`).",
    )
    p.add_argument("--likes", nargs="+", required=True, help="interaction files or directories (CSV, CSV.gz or Parquet)")
    p.add_argument("--out", required=True, help="output directory (Parquet part files and _lockstep.json)")
    p.add_argument("--window", default="1h", help="windows, comma-separated (30s, 10m, 1h, 2d, inf); default 1h")
    p.add_argument("--min-colikes", type=int, default=2, help="report pairs with at least this many co-likes in the widest window (default 2)")
    p.add_argument("--max-post-likers", type=int, default=50000, help="giant-post cap, as lockstep colike (default 50000; 0 = none)")
    p.add_argument("--report-pvalue", type=float, default=1.0, help="report pairs with a window-adjusted p-value at most this (default 1: all)")
    p.add_argument("--fdr", type=float, default=0.01, help="false discovery rate of --significant-only and of the significant count (default 0.01)")
    p.add_argument("--significant-only", action="store_true", help="only write pairs with qvalue <= --fdr")
    p.add_argument("--account-col", default="account")
    p.add_argument("--post-col", default="post")
    p.add_argument("--time-col", default="time")
    p.add_argument("--time-format", default="auto", help="as lockstep's --time-format (auto decides per partition from its first value)")
    p.add_argument("--input-format", choices=["csv", "parquet"], help="default: by the first file's extension")
    p.add_argument("--delimiter", default=",", help="CSV delimiter (default ,)")
    p.add_argument("--partitions", type=int, default=0, help="partitions of the shuffles (default: spark.sql.shuffle.partitions)")
    p.add_argument("--lockstep", default=os.environ.get("LOCKSTEP", "lockstep"), help="the lockstep binary on every executor (default: $LOCKSTEP or lockstep on PATH)")
    p.add_argument("--kernel-threads", type=int, default=1, help="threads of each lockstep step (default 1: Spark runs one task per core)")
    p.add_argument("--master", help="Spark master when not run by spark-submit (default local[*])")
    p.add_argument("--driver-memory", help="spark.driver.memory when not run by spark-submit (local mode: the executors' memory too)")
    p.add_argument("--metrics", help="write the run's stages (time, shuffle bytes and records) to this JSON file")
    p.add_argument("--quiet", action="store_true", help="no notes on stderr")
    return p.parse_args(argv)


def note(args, text):
    if not args.quiet:
        print(f"colike.py: {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Running lockstep steps (on the driver and inside tasks).


class StepError(RuntimeError):
    pass


def run_step(binary, argv):
    """Run `lockstep partial ARGV`; return its one JSON line."""
    proc = subprocess.run([binary, "partial", *argv], capture_output=True, text=True)
    if proc.returncode != 0:
        raise StepError(f"lockstep partial {argv[0]} failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table_of(batches):
    batches = list(batches)
    if not batches:
        return None
    return pa.Table.from_batches(batches)


def window_args(args):
    return ["--window", args.window, "--max-post-likers", str(args.max_post_likers), "--time-format", args.time_format]


# ---------------------------------------------------------------------------------------------
# Schemas.


def partial_schema(n_buckets):
    fields = [
        pa.field("source", pa.string()),
        pa.field("target", pa.string()),
        pa.field("source_likes", pa.int64()),
        pa.field("target_likes", pa.int64()),
    ]
    for k in range(n_buckets):
        fields += [
            pa.field(f"c{k}", pa.int64()),
            pa.field(f"w{k}", pa.float64()),
            pa.field(f"f{k}", pa.int64()),
            pa.field(f"g{k}", pa.int64()),
        ]
    fields.append(pa.field("dt", pa.list_(pa.int64())))
    return pa.schema(fields)


def pairs_schema(window_columns):
    """The columns of `lockstep colike --format parquet`, in its order."""
    f = pa.field
    fields = [f("source", pa.string()), f("target", pa.string()), f("colikes", pa.int64()), f("weight", pa.float64())]
    fields += [f(c, pa.int64()) for c in window_columns]
    fields += [
        f("jaccard", pa.float64()),
        f("cosine", pa.float64()),
        f("overlap", pa.float64()),
        f("symmetry", pa.float64()),
        f("source_first", pa.int64()),
        f("target_first", pa.int64()),
        f("median_dt", pa.float64()),
        f("source_likes", pa.int64()),
        f("target_likes", pa.int64()),
        f("expected", pa.float64()),
        f("pvalue", pa.float64()),
        f("log10_pvalue", pa.float64()),
        f("qvalue", pa.float64()),
    ]
    return pa.schema(fields)


def ddl(schema):
    """The Spark DDL of a pyarrow schema (the types used here)."""
    names = {pa.string(): "string", pa.int64(): "bigint", pa.float64(): "double", pa.list_(pa.int64()): "array<bigint>"}
    return ", ".join(f"`{f.name}` {names[f.type]}" for f in schema)


def conform(table, schema):
    """`table` with exactly `schema`'s columns and types (lockstep writes large strings)."""
    return pa.table([table.column(f.name).cast(f.type) for f in schema], schema=schema)


# ---------------------------------------------------------------------------------------------
# Partition functions (run inside tasks: no Spark objects in them).


def posts_fn(binary, args, threads):
    wargs = window_args(args)

    def f(batches):
        table = table_of(batches)
        if table is None:
            return
        with tempfile.TemporaryDirectory(prefix="lockstep-") as d:
            path = os.path.join(d, "batch.parquet")
            pq.write_table(table, path, compression="none")
            r = run_step(binary, ["posts", path, *wargs, "--threads", str(threads)])
        yield pa.RecordBatch.from_pylist([{"report": json.dumps(r)}])

    return f


def run_on(binary, step, table, argv, schema):
    """Write `table` to a temporary Parquet file, run `lockstep partial STEP FILE ARGV --out
    OUT` on it, yield OUT's rows as batches of `schema`; return the step's JSON line."""
    with tempfile.TemporaryDirectory(prefix="lockstep-") as d:
        path, out = os.path.join(d, "in.parquet"), os.path.join(d, "out.parquet")
        pq.write_table(table, path, compression="none")
        del table
        r = run_step(binary, [step, path, *argv, "--out", out])
        for batch in pq.ParquetFile(out).iter_batches(batch_size=65536):
            if batch.num_rows:
                yield from conform(pa.Table.from_batches([batch]), schema).to_batches()
    return r


def colikes_fn(binary, args, threads, n_accounts, schema):
    argv = [*window_args(args), "--accounts", str(n_accounts), "--threads", str(threads)]

    def f(batches):
        table = table_of(batches)
        if table is not None:
            yield from run_on(binary, "colikes", table, argv, schema)

    return f


def test_fn(binary, args, threads, likes, twice_pairs, schema):
    argv = [
        *window_args(args), "--likes", str(likes), "--twice-pairs", ",".join(map(str, twice_pairs)),
        "--min-colikes", str(args.min_colikes), "--report-pvalue", repr(args.report_pvalue),
        "--threads", str(threads),
    ]

    def f(batches):
        table = table_of(batches)
        if table is None:
            return
        r = yield from run_on(binary, "test", table, argv, schema)
        # One marker row per partition: source null, colikes = the pairs it tested.
        row = {field.name: None for field in schema}
        row["colikes"] = r["tested"]
        yield pa.RecordBatch.from_pylist([row], schema=schema)

    return f


def partition_id():
    from pyspark import TaskContext

    return TaskContext.get().partitionId()


def count_fn():
    def f(batches):
        n = sum(b.num_rows for b in batches)
        yield pa.RecordBatch.from_pylist([{"pid": partition_id(), "n": n}])

    return f


def qvalues_fn(binary, offsets, tested, carries, schema):
    """With `carries` None: one row per partition with the carry of scanning it from 0.
    Otherwise: the rows with their q-values."""

    def f(batches):
        pid = partition_id()
        table = table_of(batches)
        if table is None:
            if carries is None:
                yield pa.RecordBatch.from_pylist([{"pid": pid, "carry": 0.0}])
            return
        with tempfile.TemporaryDirectory(prefix="lockstep-") as d:
            path, out = os.path.join(d, "chunk.parquet"), os.path.join(d, "q.parquet")
            pq.write_table(table.select(["ln_pvalue"]), path, compression="none")
            carry = 0.0 if carries is None else carries[pid]
            argv = ["qvalues", path, "--first-rank", str(offsets[pid] + 1), "--tested", str(tested), "--carry", repr(carry)]
            if carries is None:
                r = run_step(binary, argv + ["--threads", "1"])
                yield pa.RecordBatch.from_pylist([{"pid": pid, "carry": r["carry"]}])
                return
            run_step(binary, argv + ["--out", out, "--threads", "1"])
            q = pq.read_table(out).column("qvalue")
        table = table.set_column(table.schema.get_field_index("qvalue"), "qvalue", q.cast(pa.float64()))
        table = conform(table, schema)
        for b in table.to_batches(max_chunksize=65536):
            yield b

    return f


# ---------------------------------------------------------------------------------------------
# The job.


def write_text(spark, path, text):
    """Write a small text file where Spark writes (local, HDFS, S3…) through Hadoop's API."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    p = jvm.org.apache.hadoop.fs.Path(path)
    out = p.getFileSystem(conf).create(p, True)
    out.write(bytearray(text.encode("utf-8")))
    out.close()


def stage_metrics(spark):
    """Per stage: name, run time, shuffle bytes/records written and read (Spark's REST API)."""
    import urllib.request

    sc = spark.sparkContext
    url = sc.uiWebUrl
    if not url:
        return None
    with urllib.request.urlopen(f"{url}/api/v1/applications/{sc.applicationId}/stages?status=complete") as r:
        stages = json.load(r)
    out = []
    for s in sorted(stages, key=lambda s: (s["stageId"], s["attemptId"])):
        out.append({
            "stage": s["stageId"],
            "name": s.get("name", ""),
            "description": s.get("description", ""),
            "tasks": s.get("numCompleteTasks", 0),
            "executor_run_ms": s.get("executorRunTime", 0),
            "shuffle_write_bytes": s.get("shuffleWriteBytes", 0),
            "shuffle_write_records": s.get("shuffleWriteRecords", 0),
            "shuffle_read_bytes": s.get("shuffleReadBytes", 0),
            "input_bytes": s.get("inputBytes", 0),
        })
    return out


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    binary = shutil.which(args.lockstep) or args.lockstep
    if not os.path.exists(binary):
        sys.exit(f"colike.py: error: no lockstep binary at {args.lockstep!r} (give --lockstep or $LOCKSTEP)")
    if not (0.0 < args.fdr <= 1.0):
        sys.exit("colike.py: error: --fdr must be in (0, 1]")
    try:
        plan = run_step(binary, ["plan", "--window", args.window, "--max-post-likers", str(args.max_post_likers)])
    except StepError as e:
        sys.exit(f"colike.py: error: {e}")
    nb = plan["buckets"]

    from pyspark import StorageLevel
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F

    builder = SparkSession.builder.appName("lockstep colike").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    if args.driver_memory:
        builder = builder.config("spark.driver.memory", args.driver_memory)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    partitions = args.partitions or int(spark.conf.get("spark.sql.shuffle.partitions"))
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    # Partitions must stay as they are between the passes over them (ranks of the q-values).
    spark.conf.set("spark.sql.adaptive.coalescePartitions.enabled", "false")
    started = time.time()

    # 1. Read; number the rows by their place in the input: (file, block, row in block).
    fmt = args.input_format or ("parquet" if args.likes[0].rstrip("/").endswith((".parquet", ".pq")) else "csv")

    def reader(paths):
        if fmt == "parquet":
            return spark.read.parquet(*paths)
        return (
            spark.read.option("header", True).option("sep", args.delimiter).option("quote", '"')
            .option("escape", '"').option("mode", "FAILFAST").csv(list(paths))
        )

    files = []
    for path in args.likes:
        for f in sorted(reader([path]).inputFiles()):
            if f not in files:
                files.append(f)
    file_index = F.create_map(*[x for i, f in enumerate(files) for x in (F.lit(f), F.lit(i))])
    raw = reader(args.likes)
    for col in (args.account_col, args.post_col, args.time_col):
        if col not in raw.columns:
            sys.exit(f"colike.py: error: {args.likes[0]}: no column {col!r} (columns: {', '.join(raw.columns)}); give --account-col, --post-col, --time-col")
    likes = raw.select(
        F.col(args.account_col).cast("string").alias("account"),
        F.col(args.post_col).cast("string").alias("post"),
        F.col(args.time_col).alias("time"),
        F.struct(
            file_index[F.col("_metadata.file_path")].alias("file"),
            F.col("_metadata.file_block_start").alias("block"),
            F.monotonically_increasing_id().alias("row"),
        ).alias("order"),
    ).where("account IS NOT NULL AND account <> '' AND post IS NOT NULL AND post <> ''")

    # 2. Per account: likes (distinct posts) and first appearance.
    by_account = Window.partitionBy("account")
    likes = likes.select(
        "account", "post", "time", "order",
        F.size(F.collect_set("post").over(by_account)).cast("long").alias("account_likes"),
        F.min("order").over(by_account).alias("first"),
    )
    # 3. Per post, each partition's rows in the order accounts first appear.
    by_post = (
        likes.select("account", "post", "time", "account_likes", "first", (F.col("order") == F.col("first")).alias("is_first"))
        .repartition(partitions, "post")
        .sortWithinPartitions("first")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    batch = by_post.select("account", "post", "time", "account_likes")
    describe = spark.sparkContext.setJobDescription
    describe("accounts and posts: read, per account (shuffle 1), per post (shuffle 2), count accounts")
    n_accounts = by_post.where("is_first").count()
    describe("posts: like pairs within the windows, giant-post guard")
    reports = [json.loads(r.report) for r in batch.mapInArrow(posts_fn(binary, args, args.kernel_threads), "report string").collect()]
    total = {
        "likes": sum(r["likes"] for r in reports),
        "posts": sum(r["posts"] for r in reports),
        "twice_pairs": [sum(r["twice_pairs"][k] for r in reports) for k in range(nb)],
        "skipped_likes": sum(r["skipped_likes"] for r in reports),
        "skipped_posts": sum(r["skipped_posts"] for r in reports),
        "capped": [sum(r["capped"][k] for r in reports) for k in range(nb)],
        "max_slice": max((r["max_slice"] for r in reports), default=0),
        "coarse_likes": sum(r["coarse_likes"] for r in reports),
        "work": sum(r["work"] for r in reports),
    }
    note(args, f"{total['likes']} likes by {n_accounts} accounts on {total['posts']} posts; "
               f"{total['work']:.3g} likes in the windows' slices to enumerate")
    if total["coarse_likes"]:
        note(args, f"{total['coarse_likes']} likes have times coarser than a second (decided per partition, not per file)")

    pschema = partial_schema(nb)
    parts = batch.mapInArrow(colikes_fn(binary, args, args.kernel_threads, n_accounts, pschema), ddl(pschema))

    # 4. Per pair: sums (idf sums added in sorted order, so the result does not depend on the
    # order partitions arrive in), then lockstep's test.
    aggs = [F.first("source_likes").alias("source_likes"), F.first("target_likes").alias("target_likes")]
    for k in range(nb):
        aggs += [
            F.sum(f"c{k}").alias(f"c{k}"),
            F.aggregate(F.array_sort(F.collect_list(f"w{k}")), F.lit(0.0), lambda acc, x: acc + x).alias(f"w{k}"),
            F.sum(f"f{k}").alias(f"f{k}"),
            F.sum(f"g{k}").alias(f"g{k}"),
        ]
    aggs.append(F.flatten(F.collect_list("dt")).alias("dt"))
    sums = parts.groupBy("source", "target").agg(*aggs).select(*[f.name for f in pschema])
    oschema = pairs_schema(plan["window_columns"])
    tschema = pa.schema(list(oschema) + [pa.field("ln_pvalue", pa.float64())])
    judged = sums.mapInArrow(
        test_fn(binary, args, args.kernel_threads, total["likes"], total["twice_pairs"], tschema), ddl(tschema)
    ).persist(StorageLevel.MEMORY_AND_DISK)
    describe("pairs: sweep each post partition, sum per pair (shuffle 3), test")
    tested = judged.where("source IS NULL").agg(F.sum("colikes")).collect()[0][0] or 0
    describe("q-values: sort the reported pairs by p-value (shuffle 4), rank, scan")
    reported = judged.where("source IS NOT NULL")

    # 5. Benjamini–Hochberg: sort by p-value, rank each sorted partition, scan them from the
    # last with the carry of the ones after.
    ranked = reported.orderBy("ln_pvalue").persist(StorageLevel.MEMORY_AND_DISK)
    counts = {r.pid: r.n for r in ranked.mapInArrow(count_fn(), "pid bigint, n bigint").collect()}
    n_parts = ranked.rdd.getNumPartitions()
    offsets, acc = {}, 0
    for pid in range(n_parts):
        offsets[pid] = acc
        acc += counts.get(pid, 0)
    n_reported = acc
    local = {r.pid: r.carry for r in ranked.mapInArrow(qvalues_fn(binary, offsets, tested, None, tschema), "pid bigint, carry double").collect()}
    carries, running = {}, 0.0
    for pid in reversed(range(n_parts)):
        carries[pid] = running
        running = min(running, local.get(pid, 0.0))
    out = ranked.mapInArrow(qvalues_fn(binary, offsets, tested, carries, oschema), ddl(oschema))
    describe("q-values and write")
    significant = out.where(F.col("qvalue") <= args.fdr)
    n_significant = significant.count()
    (significant if args.significant_only else out).write.mode("overwrite").parquet(args.out)

    summary = {
        "tool": "lockstep spark/colike.py",
        "windows": plan["windows"],
        "min_colikes": args.min_colikes,
        "max_post_likers": args.max_post_likers,
        "report_pvalue": args.report_pvalue,
        "fdr": args.fdr,
        "tested_pairs": int(tested),
        "reported_pairs": int(n_reported),
        "significant_pairs": int(n_significant),
        "written_pairs": int(n_significant if args.significant_only else n_reported),
        "likes": total["likes"],
        "accounts": int(n_accounts),
        "posts": total["posts"],
        "twice_pairs": total["twice_pairs"],
        "null_pairs_by_window": [total["twice_pairs"][k] / 2 for k in plan["user_to_sorted"]],
        "skipped": {"posts": total["skipped_posts"], "likes": total["skipped_likes"]},
        "capped_likes": [total["capped"][k] for k in plan["user_to_sorted"]],
        "max_slice": total["max_slice"],
        "coarse_likes": total["coarse_likes"],
        "partitions": partitions,
        "seconds": round(time.time() - started, 1),
    }
    write_text(spark, args.out.rstrip("/") + "/_lockstep.json", json.dumps(summary, indent=2) + "\n")
    if total["skipped_likes"]:
        note(args, f"giant-post guard: skipped pair enumeration for {total['skipped_likes']} likes on "
                   f"{total['skipped_posts']} posts with more than {args.max_post_likers} likers inside even the "
                   f"narrowest window (--max-post-likers); their co-likes are not counted")
    note(args, f"wrote {summary['written_pairs']} pairs to {args.out} ({tested} tested, {n_significant} significant "
               f"at FDR {args.fdr}); {summary['seconds']} s")
    if args.metrics:
        with open(args.metrics, "w") as f:
            json.dump({"summary": summary, "stages": stage_metrics(spark)}, f, indent=2)
    spark.stop()


if __name__ == "__main__":
    main()
