#!/usr/bin/env python3
"""Join a detect run's clusters with a synthetic world's truth: what each cluster really is.

Usage: bench/cluster_truth.py WORLD_DIR RUN_DIR [--all]

Prints one line per cluster: id, size, type given, flagged, the true roles of its members
(counts), and the features the classifier reads. A tuning instrument for src/detect/classify.rs,
not a test.
"""
import sys
import polars as pl

world, run = sys.argv[1], sys.argv[2]
truth = pl.read_csv(f"{world}/truth.csv", schema_overrides={"account_id": pl.Utf8, "group": pl.Utf8})
acc = pl.read_csv(f"{run}/accounts.csv", schema_overrides={"account_id": pl.Utf8})
cl = pl.read_csv(f"{run}/clusters.csv")
j = acc.filter(pl.col("cluster_id").is_not_null()).join(truth, on="account_id", how="left")
roles = (
    j.group_by(["cluster_id", "role"]).len().sort(["cluster_id", "len"], descending=[False, True])
    .group_by("cluster_id", maintain_order=True)
    .agg(pl.format("{}:{}", pl.col("role"), pl.col("len")).str.join(" ").alias("truth"))
)
cols = ["cluster_id", "size", "posts", "type", "flagged", "block_density", "median_pair_dt", "burst_width",
        "median_delay", "authors", "top_author_share", "reciprocity", "member_author_share",
        "camouflage_ratio", "outside_ordinary_share", "per_post_cv", "popular_post_share", "post_like_share", "outside_author_spread", "coverage_cv", "author_coverage"]
cols = [c for c in cols if c in cl.columns]
out = cl.select(cols).join(roles, on="cluster_id", how="left")
pl.Config.set_tbl_rows(-1 if "--all" in sys.argv else 60)
pl.Config.set_tbl_cols(-1)
pl.Config.set_tbl_width_chars(400)
pl.Config.set_fmt_str_lengths(60)
print(out.with_columns(pl.col(pl.Float64).round(3)))
