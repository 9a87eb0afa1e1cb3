//! The steps a cluster job (`spark/colike.py`) runs on one partition of its data, each a
//! `lockstep partial STEP` call on Parquet files: the projection's own code on a batch of
//! whole posts or of summed pairs, so the job computes what `lockstep colike` computes.
//!
//! - `plan`: the windows and buckets of the job (checked before the cluster starts);
//! - `posts`: a batch of posts → what the null model and the giant-post report need
//!   ([`crate::colike::partial::post_counts`]);
//! - `colikes`: the same batch → partial pairs ([`PartialSweep`]), one row per pair and batch;
//! - `test`: pairs whose parts the job summed → the rows of `lockstep colike`'s table
//!   ([`Judge`]), with their ln p-values;
//! - `qvalues`: a sorted chunk of ln p-values → Benjamini–Hochberg q-values ([`BhScan`]).
//!
//! A batch of likes has the columns `account`, `post`, `time` (text as in the input file, or
//! typed) and `account_likes` (the account's likes in the whole data), its rows ordered by
//! each account's first appearance in the whole input: lockstep's loader numbers accounts in
//! the order it meets them, so the batch's numbering agrees with one machine's.

use crate::colike::null::BhScan;
use crate::colike::partial::{Buckets, Judge, PartialSweep, post_counts};
use crate::colike::{MAX_WINDOWS, PartialPair, TestedPair, WindowSpec};
use crate::export::{PairAccounts, TableFormat, TableWriter, pairs_table_of};
use crate::input::{Clock, ColumnSpec, Format, LoadOptions, TimeFormat};
use crate::run::RunError;
use crate::ui::Ui;
use polars::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

/// Partial pairs per Parquet row group written by `colikes`.
const ROWS_PER_GROUP: usize = 1 << 16;

fn polars_err(what: &Path) -> impl Fn(PolarsError) -> RunError + '_ {
    move |e| RunError::Output(format!("{}: {e}", what.display()))
}

/// The buckets of `windows` (timestamps: the job needs a time column).
fn buckets(windows: &[WindowSpec]) -> Result<Buckets, RunError> {
    Buckets::new(Clock::Timestamps, windows).map_err(|e| RunError::Usage(e.to_string()))
}

/// What `plan` prints.
#[derive(Debug, Serialize)]
pub struct PlanReport {
    /// Windows as given (labels).
    pub windows: Vec<String>,
    /// Number of buckets the partial counts are kept in.
    pub buckets: usize,
    /// For each window given, its bucket.
    pub user_to_sorted: Vec<usize>,
    /// Column names of the per-window counts in the pairs table (empty for one window).
    pub window_columns: Vec<String>,
}

/// `partial plan`.
pub fn plan(windows: &[WindowSpec]) -> Result<PlanReport, RunError> {
    let b = buckets(windows)?;
    Ok(PlanReport {
        windows: windows.iter().map(|w| w.label()).collect(),
        buckets: b.len(),
        user_to_sorted: b.user_to_sorted.clone(),
        window_columns: crate::export::window_columns(windows),
    })
}

/// How a batch of likes is read.
fn batch_options(time_format: &TimeFormat) -> LoadOptions {
    LoadOptions {
        columns: ColumnSpec {
            account: Some("account".into()),
            post: Some("post".into()),
            time: Some("time".into()),
            author: None,
            no_time: false,
            no_text: true,
            no_author: true,
            ..ColumnSpec::default()
        },
        time_format: time_format.clone(),
        format: Some(Format::Parquet),
        delimiter: None,
    }
}

/// What `posts` prints for a batch: sums over its posts.
#[derive(Debug, Serialize)]
pub struct PostsReport {
    /// Likes after merging repeats of (account, post).
    pub likes: u64,
    /// Posts.
    pub posts: u64,
    /// Twice the like pairs counted within each bucket.
    pub twice_pairs: Vec<u64>,
    /// Likes in the enumerated slices.
    pub work: u64,
    /// Likes skipped by the giant-post guard.
    pub skipped_likes: u64,
    /// Posts with a skipped like.
    pub skipped_posts: u64,
    /// Likes capped per bucket.
    pub capped: Vec<u64>,
    /// Largest slice enumerated.
    pub max_slice: u64,
    /// Likes of the batch whose time is coarser than a second.
    pub coarse_likes: u64,
}

/// `partial posts`.
pub fn posts(
    batch: &Path,
    windows: &[WindowSpec],
    cap: usize,
    time_format: &TimeFormat,
) -> Result<PostsReport, RunError> {
    let b = buckets(windows)?;
    let (graph, _) =
        crate::run::load_graph(&[batch.to_path_buf()], &batch_options(time_format), &Ui::silent())?;
    let (c, skipped_posts) = post_counts(&graph, &b, cap);
    Ok(PostsReport {
        likes: graph.n_likes() as u64,
        posts: graph.n_posts() as u64,
        twice_pairs: c.twice,
        work: c.work,
        skipped_likes: c.skipped_likes,
        skipped_posts,
        capped: c.capped,
        max_slice: c.max_slice,
        coarse_likes: graph.resolution_counts().coarse(),
    })
}

/// Each account's likes in the whole data, from the batch's `account_likes` column, by the
/// batch graph's account ids.
fn account_likes(batch: &Path, names: &[Box<str>]) -> Result<Vec<u64>, RunError> {
    let err = polars_err(batch);
    let file = File::open(batch).map_err(|e| RunError::Output(format!("{}: {e}", batch.display())))?;
    let df = ParquetReader::new(file)
        .with_columns(Some(vec!["account".into(), "account_likes".into()]))
        .finish()
        .map_err(&err)?;
    let accounts = df
        .column("account")
        .map_err(&err)?
        .cast(&DataType::String)
        .map_err(&err)?;
    let accounts = accounts.str().map_err(&err)?;
    let likes = df
        .column("account_likes")
        .map_err(&err)?
        .cast(&DataType::Int64)
        .map_err(&err)?;
    let likes = likes.i64().map_err(&err)?;
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (&**n, i)).collect();
    let mut out = vec![0u64; names.len()];
    for (name, n) in accounts.iter().zip(likes.iter()) {
        if let (Some(&i), Some(n)) = (name.and_then(|s| id.get(s)), n) {
            out[i] = n.max(0) as u64;
        }
    }
    if let Some(i) = out.iter().position(|&n| n == 0) {
        return Err(RunError::Usage(format!(
            "{}: account {:?} has no account_likes",
            batch.display(),
            names[i]
        )));
    }
    Ok(out)
}

/// Column names of the partial pairs: `c<k>` co-likes, `w<k>` idf sums, `f<k>`/`g<k>` leads of
/// the first/second account, per bucket k; `dt` the packed |Δt| of every co-like.
pub fn partial_columns(k: usize) -> [String; 4] {
    [format!("c{k}"), format!("w{k}"), format!("f{k}"), format!("g{k}")]
}

/// The partial pairs of a batch as a DataFrame.
fn partial_frame(
    pairs: &[PartialPair],
    nb: usize,
    names: &[Box<str>],
    likes: &[u64],
) -> PolarsResult<DataFrame> {
    let name =
        |f: fn(&PartialPair) -> u32| -> Vec<&str> { pairs.iter().map(|p| &*names[f(p) as usize]).collect() };
    let mut columns: Vec<Column> = vec![
        Column::new("source".into(), name(|p| p.a)),
        Column::new("target".into(), name(|p| p.b)),
        Column::new(
            "source_likes".into(),
            pairs
                .iter()
                .map(|p| likes[p.a as usize] as i64)
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            "target_likes".into(),
            pairs
                .iter()
                .map(|p| likes[p.b as usize] as i64)
                .collect::<Vec<i64>>(),
        ),
    ];
    for k in 0..nb {
        let [c, w, f, g] = partial_columns(k);
        columns.push(Column::new(
            c.into(),
            pairs.iter().map(|p| p.counts[k] as i64).collect::<Vec<i64>>(),
        ));
        columns.push(Column::new(
            w.into(),
            pairs.iter().map(|p| p.idf[k]).collect::<Vec<f64>>(),
        ));
        columns.push(Column::new(
            f.into(),
            pairs.iter().map(|p| p.a_first[k] as i64).collect::<Vec<i64>>(),
        ));
        columns.push(Column::new(
            g.into(),
            pairs.iter().map(|p| p.b_first[k] as i64).collect::<Vec<i64>>(),
        ));
    }
    let n_dts: usize = pairs.iter().map(|p| p.dts.len()).sum();
    let mut dts =
        ListPrimitiveChunkedBuilder::<Int64Type>::new("dt".into(), pairs.len(), n_dts, DataType::Int64);
    for p in pairs {
        dts.append_slice(&p.dts);
    }
    columns.push(dts.finish().into_series().into());
    DataFrame::new(pairs.len(), columns)
}

/// `partial colikes`: the partial pairs of a batch of whole posts to `out`; returns the pairs.
pub fn colikes(
    batch: &Path,
    windows: &[WindowSpec],
    cap: usize,
    n_accounts: usize,
    time_format: &TimeFormat,
    out: &Path,
) -> Result<u64, RunError> {
    let b = buckets(windows)?;
    let (graph, _) =
        crate::run::load_graph(&[batch.to_path_buf()], &batch_options(time_format), &Ui::silent())?;
    let likes = account_likes(batch, &graph.accounts)?;
    let err = polars_err(out);
    let file = File::create(out).map_err(|e| RunError::Output(format!("{}: {e}", out.display())))?;
    let mut writer: Option<polars::io::parquet::write::BatchedWriter<File>> = None;
    let mut file = Some(file);
    let mut pending: Vec<PartialPair> = Vec::new();
    let mut flush = |pending: &mut Vec<PartialPair>, writer: &mut Option<_>| -> Result<(), RunError> {
        let df = partial_frame(pending, b.len(), &graph.accounts, &likes).map_err(&err)?;
        pending.clear();
        if writer.is_none() {
            let f = file
                .take()
                .ok_or_else(|| RunError::Output("parquet writer closed".into()))?;
            *writer = Some(
                ParquetWriter::new(f)
                    .with_compression(ParquetCompression::Uncompressed)
                    .batched(df.schema())
                    .map_err(&err)?,
            );
        }
        if let Some(w) = writer.as_mut() {
            w.write_batch(&df).map_err(&err)?;
        }
        Ok(())
    };
    let sweep = PartialSweep::new(&graph, &b, cap, n_accounts);
    let touched = sweep.run(|pairs| {
        pending.extend(pairs);
        if pending.len() >= ROWS_PER_GROUP {
            flush(&mut pending, &mut writer)?;
        }
        Ok::<(), RunError>(())
    })?;
    if !pending.is_empty() || writer.is_none() {
        flush(&mut pending, &mut writer)?;
    }
    if let Some(w) = writer {
        w.finish().map_err(&err)?;
    }
    Ok(touched)
}

/// The null model and report levels of `test`.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// Windows as given.
    pub windows: Vec<WindowSpec>,
    /// Likes of the whole data (L).
    pub likes: u64,
    /// Twice the like pairs within each bucket, over the whole data.
    pub twice_pairs: Vec<u64>,
    /// Report pairs with at least this many co-likes in the widest window.
    pub min_colikes: u32,
    /// Report pairs with a window-adjusted p-value at most this.
    pub report_pvalue: f64,
}

fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    let c = df.column(name)?.cast(&DataType::Int64)?;
    Ok(c.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect())
}

/// `partial test`: summed partial pairs (one row per pair) → the reported ones as rows of
/// `lockstep colike`'s table plus `ln_pvalue`, to `out`. Returns the pairs tested.
pub fn test(sums: &Path, options: &TestOptions, out: &Path) -> Result<u64, RunError> {
    let b = buckets(&options.windows)?;
    if options.twice_pairs.len() != b.len() {
        return Err(RunError::Usage(format!(
            "give {} like-pair counts (one per bucket), not {}",
            b.len(),
            options.twice_pairs.len()
        )));
    }
    let err = polars_err(sums);
    let file = File::open(sums).map_err(|e| RunError::Output(format!("{}: {e}", sums.display())))?;
    let df = ParquetReader::new(file).finish().map_err(&err)?;
    let n = df.height();
    let text = |name: &str| -> Result<Vec<Box<str>>, RunError> {
        let c = df
            .column(name)
            .map_err(&err)?
            .cast(&DataType::String)
            .map_err(&err)?;
        Ok(c.str()
            .map_err(&err)?
            .iter()
            .map(|s| s.unwrap_or("").into())
            .collect())
    };
    let (sources, targets) = (text("source")?, text("target")?);
    let da = ints(&df, "source_likes").map_err(&err)?;
    let db = ints(&df, "target_likes").map_err(&err)?;
    let mut per_bucket = Vec::with_capacity(b.len());
    for k in 0..b.len() {
        let [c, w, f, g] = partial_columns(k);
        per_bucket.push((
            ints(&df, &c).map_err(&err)?,
            floats(&df, &w).map_err(&err)?,
            ints(&df, &f).map_err(&err)?,
            ints(&df, &g).map_err(&err)?,
        ));
    }
    let dt = df.column("dt").map_err(&err)?.list().map_err(&err)?.clone();
    let judge = Judge::new(
        &b,
        options.likes,
        &options.twice_pairs,
        options.min_colikes,
        options.report_pvalue,
    );
    // Names of pair i are ids 2i and 2i + 1.
    let mut names: Vec<Box<str>> = Vec::with_capacity(2 * n);
    let mut likes: Vec<usize> = Vec::with_capacity(2 * n);
    let mut reported: Vec<TestedPair> = Vec::new();
    let mut ln_p: Vec<Option<f64>> = Vec::new();
    for (i, dts) in dt.amortized_iter().enumerate() {
        let mut p = PartialPair {
            a: 2 * i as u32,
            b: 2 * i as u32 + 1,
            counts: [0; MAX_WINDOWS],
            idf: [0.0; MAX_WINDOWS],
            a_first: [0; MAX_WINDOWS],
            b_first: [0; MAX_WINDOWS],
            dts: match dts {
                Some(s) => s.as_ref().i64().map_err(&err)?.into_no_null_iter().collect(),
                None => Vec::new(),
            },
        };
        p.dts.sort_unstable();
        for (k, (c, w, f, g)) in per_bucket.iter().enumerate() {
            p.counts[k] = c[i].clamp(0, u32::MAX as i64) as u32;
            p.idf[k] = w[i];
            p.a_first[k] = f[i].clamp(0, u32::MAX as i64) as u32;
            p.b_first[k] = g[i].clamp(0, u32::MAX as i64) as u32;
        }
        names.push(sources[i].clone());
        names.push(targets[i].clone());
        likes.push(da[i].max(0) as usize);
        likes.push(db[i].max(0) as usize);
        if let Some(record) = judge.judge(&p, da[i].max(0) as usize, db[i].max(0) as usize) {
            ln_p.push(Some(record.ln_p));
            reported.push(TestedPair { record, q: f64::NAN });
        }
    }
    let names: std::sync::Arc<[Box<str>]> = names.into();
    let accounts = PairAccounts {
        names: &names,
        likes: &|a| likes[a as usize],
        clock: Clock::Timestamps,
    };
    let mut table = pairs_table_of(&accounts, &options.windows, &reported, None);
    table.float("ln_pvalue", ln_p);
    let mut writer =
        TableWriter::create(out, TableFormat::Parquet, false).map_err(|e| RunError::Output(e.to_string()))?;
    writer
        .write(&table)
        .map_err(|e| RunError::Output(e.to_string()))?;
    writer.finish().map_err(|e| RunError::Output(e.to_string()))?;
    Ok(n as u64)
}

/// `partial qvalues`: a chunk of ln p-values in ascending order, the first at rank
/// `first_rank` of `tested`, scanned with the `carry` of the chunks after it → `qvalue` per row
/// to `out` (if given). Returns the carry for the chunks before it.
pub fn qvalues(
    input: &Path,
    first_rank: u64,
    tested: u64,
    carry: f64,
    out: Option<&Path>,
) -> Result<f64, RunError> {
    let err = polars_err(input);
    let file = File::open(input).map_err(|e| RunError::Output(format!("{}: {e}", input.display())))?;
    let df = ParquetReader::new(file)
        .with_columns(Some(vec!["ln_pvalue".into()]))
        .finish()
        .map_err(&err)?;
    let ln_p = floats(&df, "ln_pvalue").map_err(&err)?;
    if ln_p.windows(2).any(|w| w[0] > w[1]) {
        return Err(RunError::Usage(format!(
            "{}: ln_pvalue is not ascending",
            input.display()
        )));
    }
    let mut scan = BhScan::new(tested, carry);
    let mut q = vec![0.0; ln_p.len()];
    for i in (0..ln_p.len()).rev() {
        q[i] = scan.step(first_rank + i as u64, ln_p[i]).exp();
    }
    if let Some(out) = out {
        let mut t = crate::export::Table::default();
        t.float("qvalue", q.into_iter().map(Some).collect());
        let mut writer = TableWriter::create(out, TableFormat::Parquet, false)
            .map_err(|e| RunError::Output(e.to_string()))?;
        writer.write(&t).map_err(|e| RunError::Output(e.to_string()))?;
        writer.finish().map_err(|e| RunError::Output(e.to_string()))?;
    }
    Ok(scan.carry())
}
