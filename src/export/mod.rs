//! Stage 6 — export: tables (CSV, Parquet), graph files (GEXF 1.3, GraphML) and the manifest,
//! written all-or-nothing into the output directory.
//!
//! Every table and column is documented in `docs/outputs.md`.

pub mod atomic;
pub mod evidence;
pub mod gexf;
pub mod graphml;
pub mod graphs;
pub mod layout;
pub mod plots;
pub mod prune;
pub mod report;
pub mod table;
pub mod texts;
pub mod xml;

use crate::analysis::Analysis;
use crate::colike::{Similarity, TestedPair, Window, WindowSpec};
use crate::detect::{ClusterFeatures, Detection};
use crate::graph::LikeGraph;
use crate::input::Clock;
use crate::score::{Scores, share};
pub use graphs::{DynamicSummary, GraphBuild, LayoutSummary};
pub use prune::PruneReport;
use serde::Serialize;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
pub use table::{Table, TableError, TableFormat, TableWriter};
use xml::{GraphDoc, XmlCleaning};

/// Which graph the GEXF and GraphML files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphKind {
    /// Accounts linked by significant co-like pairs.
    Accounts,
    /// Accounts × posts of the flagged clusters' blocks (node attribute `kind`).
    Bipartite,
}

impl std::str::FromStr for GraphKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "accounts" | "account" | "colike" => Ok(GraphKind::Accounts),
            "bipartite" => Ok(GraphKind::Bipartite),
            other => Err(format!("unknown graph {other:?}: use accounts or bipartite")),
        }
    }
}

/// Options for writing results.
#[derive(Debug, Clone, Serialize)]
pub struct ExportOptions {
    /// Table formats to write (each table in each format).
    pub formats: Vec<TableFormat>,
    /// Neutralise spreadsheet formulas in CSV text cells.
    pub escape_formulas: bool,
    /// Which graph the graph files hold.
    pub graph: GraphKind,
    /// At most this many edges in the graph files (flagged clusters first); 0 = no limit.
    pub max_edges: usize,
    /// Keep at most this many strongest edges per node outside flagged clusters; 0 = no limit.
    pub top_k_per_node: usize,
    /// Write node and edge spells from the like times, for Gephi's timeline.
    pub dynamic: bool,
    /// Compute a force-directed layout (viz:position) so the file opens laid out.
    pub layout: bool,
    /// Seed of the layout.
    pub seed: u64,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            formats: vec![TableFormat::Csv],
            escape_formulas: true,
            graph: GraphKind::Accounts,
            max_edges: 50_000,
            top_k_per_node: 10,
            dynamic: false,
            layout: true,
            seed: 0,
        }
    }
}

/// Everything a detect run hands to export: what the analysis measured, written as it is.
pub struct Results<'a> {
    /// The liker–post graph.
    pub graph: &'a LikeGraph,
    /// Windows as given (first = primary), for column labels.
    pub windows: &'a [WindowSpec],
    /// The reference window, resolved against the data's clock.
    pub window: Window,
    /// Significant pairs with their q-values.
    pub significant: &'a [TestedPair],
    /// The same pairs by account (the pairs inside a cluster).
    pub pairs: crate::colike::PairIndex<'a>,
    /// Clusters.
    pub detection: &'a Detection,
    /// Scores.
    pub scores: &'a Scores,
    /// What an interaction is: the words of the report, evidence and graph files (never of a
    /// column or attribute name).
    pub interaction: crate::vocab::Interaction,
    /// The near-duplicate comment stage, when the data has texts.
    pub texts: Option<&'a crate::comments::TextStage>,
}

impl<'a> Results<'a> {
    /// The results of an analysis of `graph`.
    pub fn of(graph: &'a LikeGraph, analysis: &'a Analysis) -> Self {
        Results {
            graph,
            windows: &analysis.params.colike.windows,
            window: analysis.primary_window(),
            significant: &analysis.significant,
            pairs: crate::colike::PairIndex::new(&analysis.significant),
            detection: &analysis.detection,
            scores: &analysis.scores,
            interaction: analysis.params.interaction,
            texts: analysis.texts.as_ref(),
        }
    }
}

/// What export wrote, for the manifest (`outputs`).
#[derive(Debug, Default, Serialize)]
pub struct ExportSummary {
    /// File names written, in order.
    pub files: Vec<String>,
    /// Which graph the graph files hold.
    pub graph: Option<GraphKind>,
    /// Nodes in the graph files.
    pub graph_nodes: usize,
    /// Edges in the graph files.
    pub graph_edges: usize,
    /// What the size guard kept and dropped.
    pub pruning: PruneReport,
    /// The layout written as `viz:position` / `x`, `y` (None with `--no-layout`).
    pub layout: Option<LayoutSummary>,
    /// Spells written to graph.gexf (None unless `--dynamic`).
    pub dynamic: Option<DynamicSummary>,
    /// Characters XML 1.0 forbids, dropped from names and text in the graph files.
    pub xml_dropped_chars: u64,
    /// Names and text values that lost at least one such character.
    pub xml_cleaned_values: u64,
    /// CSV cells that got a `'` in front because a spreadsheet would run them as a formula.
    pub csv_formula_cells: u64,
}

/// Errors while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A table failed.
    #[error("writing {file}: {source}")]
    Table {
        /// File name.
        file: String,
        /// Cause.
        source: TableError,
    },
    /// A graph file or the directory failed.
    #[error("writing {file}: {source}")]
    Io {
        /// File name.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
}

/// Clock units as seconds (positions in logical time), for time-difference columns.
fn seconds(graph: &LikeGraph, units: f64) -> f64 {
    graph.clock.seconds(units)
}

/// `accounts` table: one row per account, flagged first.
pub fn accounts_table(r: &Results<'_>) -> Table {
    let g = r.graph;
    let mut order: Vec<u32> = (0..g.n_accounts() as u32).collect();
    let s = &r.scores.accounts;
    order.sort_by(|&x, &y| {
        let (a, b) = (&s[x as usize], &s[y as usize]);
        b.flagged
            .cmp(&a.flagged)
            .then((a.cluster == 0).cmp(&(b.cluster == 0)))
            .then(a.cluster.cmp(&b.cluster))
            .then(b.score.total_cmp(&a.score))
            .then(x.cmp(&y))
    });
    let mut t = Table::default();
    let kind_of = |a: u32| r.detection.cluster_of(a).map(|c| c.kind.as_str().to_string());
    t.text(
        "account_id",
        order
            .iter()
            .map(|&a| Some(g.accounts[a as usize].to_string()))
            .collect(),
    )
    .bool("flagged", order.iter().map(|&a| s[a as usize].flagged).collect())
    .int(
        "cluster_id",
        order
            .iter()
            .map(|&a| Some(s[a as usize].cluster as i64).filter(|&c| c > 0))
            .collect(),
    )
    .float(
        "score",
        order.iter().map(|&a| Some(s[a as usize].score)).collect(),
    )
    .int(
        "likes",
        order.iter().map(|&a| Some(s[a as usize].likes as i64)).collect(),
    )
    .text("cluster_type", order.iter().map(|&a| kind_of(a)).collect())
    .int(
        "block_likes",
        order
            .iter()
            .map(|&a| Some(s[a as usize].block_likes as i64))
            .collect(),
    )
    .int(
        "partners",
        order
            .iter()
            .map(|&a| Some(s[a as usize].partners as i64))
            .collect(),
    )
    .float(
        "min_qvalue",
        order
            .iter()
            .map(|&a| Some(s[a as usize].min_q).filter(|_| s[a as usize].partners > 0))
            .collect(),
    )
    .text(
        "reason",
        order
            .iter()
            .map(|&a| Some(s[a as usize].reason.clone()).filter(|x| !x.is_empty()))
            .collect(),
    );
    t
}

/// `clusters` table: one row per cluster with its features, type and reasons.
pub fn clusters_table(r: &Results<'_>) -> Table {
    let g = r.graph;
    let cs = &r.detection.clusters;
    let f =
        |get: &dyn Fn(&crate::detect::Cluster) -> f64| cs.iter().map(|c| Some(get(c))).collect::<Vec<_>>();
    let i =
        |get: &dyn Fn(&crate::detect::Cluster) -> i64| cs.iter().map(|c| Some(get(c))).collect::<Vec<_>>();
    let mut t = Table::default();
    t.int("cluster_id", i(&|c| c.id as i64))
        .int("size", i(&|c| c.members.len() as i64))
        .int("posts", i(&|c| c.posts.len() as i64))
        .text(
            "type",
            cs.iter().map(|c| Some(c.kind.as_str().to_string())).collect(),
        )
        .bool("flagged", cs.iter().map(|c| c.flagged).collect())
        .float("confidence", f(&|c| c.confidence))
        .int("internal_edges", i(&|c| c.features.internal_edges as i64))
        .int("colikes", i(&|c| c.features.colikes as i64))
        .int("authors", i(&|c| c.features.authors as i64))
        .int("group_colikes", i(&|c| c.features.group_colikes as i64))
        .text(
            "found_by",
            cs.iter().map(|c| Some(c.found_by.as_str().to_string())).collect(),
        )
        .text(
            "lockstep_core",
            cs.iter().map(|c| c.core_statement.clone()).collect(),
        );
    for (k, (name, _)) in ClusterFeatures::default().measures().iter().enumerate() {
        t.float(
            name,
            cs.iter().map(|c| Some(c.features.measures()[k].1)).collect(),
        );
    }
    let sig = |f: fn(&crate::detect::signatures::Signatures) -> f64| -> Vec<Option<f64>> {
        cs.iter().map(|c| Some(f(&c.features.signatures))).collect()
    };
    let sig_int = |f: fn(&crate::detect::signatures::Signatures) -> usize| -> Vec<Option<i64>> {
        cs.iter()
            .map(|c| Some(f(&c.features.signatures) as i64))
            .collect()
    };
    t.text(
        "evidence",
        cs.iter()
            .map(|c| {
                let e: Vec<&str> = c.judgement.evidence.iter().map(|e| e.as_str()).collect();
                Some(e.join(";"))
            })
            .collect(),
    )
    .float(
        "evidence_log10_p",
        cs.iter().map(|c| Some(c.judgement.log10_p)).collect(),
    );
    t.float("timescale", sig(|s| s.timescale))
        .int("judged_posts", sig_int(|s| s.judged_posts))
        .int("served_posts", sig_int(|s| s.served_posts))
        .int("lockstep_posts", sig_int(|s| s.lockstep_posts))
        .int(
            "publication_lockstep_posts",
            sig_int(|s| s.publication_lockstep_posts),
        )
        .float("lockstep_log10_p", sig(|s| s.lockstep_log10_p))
        .float("timing_ratio", sig(|s| s.timing_ratio))
        .float("piling", sig(|s| s.piling))
        .int("breadth_units", sig_int(|s| s.breadth_units))
        .float("breadth_ratio", sig(|s| s.breadth_ratio))
        .int("unit_pairs", sig_int(|s| s.unit_pairs))
        .float("unrelated_ratio", sig(|s| s.unrelated_ratio))
        .float("unrelated_log10_p", sig(|s| s.unrelated_log10_p))
        .float("quota_ratio", sig(|s| s.quota_ratio))
        .float("quota_log10_p", sig(|s| s.quota_log10_p));
    t.text(
        "top_authors",
        cs.iter()
            .map(|c| {
                let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
                for &p in &c.posts {
                    if let Some(a) = g.author_of(p) {
                        *counts.entry(a).or_insert(0) += 1;
                    }
                }
                let mut v: Vec<(u32, usize)> = counts.into_iter().collect();
                v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                let names: Vec<String> = v
                    .iter()
                    .take(5)
                    .map(|(a, n)| format!("{} ({n})", g.authors[*a as usize]))
                    .collect();
                Some(names.join("; ")).filter(|s| !s.is_empty())
            })
            .collect(),
    )
    .text(
        "reasons",
        cs.iter().map(|c| Some(c.reasons.join(" | "))).collect(),
    );
    t
}

/// `posts` table: one row per post: who wrote it, its likes and its flagged likes.
pub fn posts_table(r: &Results<'_>) -> Table {
    let g = r.graph;
    let ps = &r.scores.posts;
    let mut order: Vec<u32> = (0..g.n_posts() as u32).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&ps[x as usize], &ps[y as usize]);
        b.flagged_likes
            .cmp(&a.flagged_likes)
            .then(b.likes.cmp(&a.likes))
            .then(x.cmp(&y))
    });
    let mut t = Table::default();
    t.text(
        "post_id",
        order
            .iter()
            .map(|&p| Some(g.posts[p as usize].to_string()))
            .collect(),
    )
    .text(
        "author",
        order
            .iter()
            .map(|&p| g.author_of(p).map(|a| g.authors[a as usize].to_string()))
            .collect(),
    )
    .int(
        "likes",
        order.iter().map(|&p| Some(ps[p as usize].likes as i64)).collect(),
    )
    .int(
        "flagged_likes",
        order
            .iter()
            .map(|&p| Some(ps[p as usize].flagged_likes as i64))
            .collect(),
    )
    .float(
        "flagged_share",
        order
            .iter()
            .map(|&p| {
                Some(share(
                    ps[p as usize].flagged_likes as f64,
                    ps[p as usize].likes as f64,
                ))
            })
            .collect(),
    )
    .text(
        "first_like",
        order
            .iter()
            .map(|&p| g.post_first_time(p).map(|t| format_time(g, t)))
            .collect(),
    );
    t
}

/// `authors` table: who benefited.
pub fn authors_table(r: &Results<'_>) -> Table {
    let g = r.graph;
    let au = &r.scores.authors;
    let mut order: Vec<u32> = (0..g.authors.len() as u32).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&au[x as usize], &au[y as usize]);
        b.flagged_likes
            .cmp(&a.flagged_likes)
            .then(b.likes.cmp(&a.likes))
            .then(x.cmp(&y))
    });
    let mut t = Table::default();
    t.text(
        "author",
        order
            .iter()
            .map(|&a| Some(g.authors[a as usize].to_string()))
            .collect(),
    )
    .int(
        "posts",
        order.iter().map(|&a| Some(au[a as usize].posts as i64)).collect(),
    )
    .int(
        "likes",
        order.iter().map(|&a| Some(au[a as usize].likes as i64)).collect(),
    )
    .int(
        "flagged_likes",
        order
            .iter()
            .map(|&a| Some(au[a as usize].flagged_likes as i64))
            .collect(),
    )
    .float(
        "flagged_share",
        order
            .iter()
            .map(|&a| {
                Some(share(
                    au[a as usize].flagged_likes as f64,
                    au[a as usize].likes as f64,
                ))
            })
            .collect(),
    )
    .int(
        "posts_hit",
        order
            .iter()
            .map(|&a| Some(au[a as usize].posts_hit as i64))
            .collect(),
    );
    t
}

/// A time as text: RFC 3339 for timestamps, the position for logical time.
pub fn format_time(g: &LikeGraph, t: i64) -> String {
    match g.clock {
        Clock::Timestamps => crate::input::time::format_ms(t),
        Clock::Logical => t.to_string(),
    }
}

/// Column names of the per-window counts: `colikes_<label>` (only when there are several).
pub fn window_columns(windows: &[WindowSpec]) -> Vec<String> {
    if windows.len() < 2 {
        return Vec::new();
    }
    windows.iter().map(|w| format!("colikes_{}", w.label())).collect()
}

/// Pair columns shared by `edges` (detect) and the `colike` output, for a batch of pairs.
pub fn pairs_table(
    g: &LikeGraph,
    windows: &[WindowSpec],
    pairs: &[TestedPair],
    cluster_of: Option<&dyn Fn(u32) -> u32>,
) -> Table {
    let accounts = PairAccounts {
        names: &g.accounts,
        likes: &|a| g.account_degree(a),
        clock: g.clock,
    };
    pairs_table_of(&accounts, windows, pairs, cluster_of)
}

/// What the pair columns need to know of the accounts: names, like counts, the clock.
pub struct PairAccounts<'a> {
    /// Account names by id.
    pub names: &'a std::sync::Arc<[Box<str>]>,
    /// Likes of an account.
    pub likes: &'a dyn Fn(u32) -> usize,
    /// The clock of the times.
    pub clock: Clock,
}

/// [`pairs_table`] for accounts known by their names and like counts alone (a cluster job's
/// pairs, which no graph holds).
pub fn pairs_table_of(
    g: &PairAccounts<'_>,
    windows: &[WindowSpec],
    pairs: &[TestedPair],
    cluster_of: Option<&dyn Fn(u32) -> u32>,
) -> Table {
    let degree = g.likes;
    let mut t = Table::default();
    let sims: Vec<Similarity> = pairs
        .iter()
        .map(|TestedPair { record: r, .. }| Similarity::of(r, degree(r.a), degree(r.b)))
        .collect();
    t.names(
        "source",
        g.names,
        pairs.iter().map(|TestedPair { record: r, .. }| r.a).collect(),
    )
    .names(
        "target",
        g.names,
        pairs.iter().map(|TestedPair { record: r, .. }| r.b).collect(),
    )
    .int(
        "colikes",
        pairs
            .iter()
            .map(|TestedPair { record: r, .. }| Some(r.colikes() as i64))
            .collect(),
    )
    .float(
        "weight",
        pairs
            .iter()
            .map(|TestedPair { record: r, .. }| Some(r.idf))
            .collect(),
    );
    for (k, col) in window_columns(windows).iter().enumerate() {
        t.int(
            col,
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.counts[k] as i64))
                .collect(),
        );
    }
    t.float("jaccard", sims.iter().map(|s| Some(s.jaccard)).collect())
        .float("cosine", sims.iter().map(|s| Some(s.cosine)).collect())
        .float("overlap", sims.iter().map(|s| Some(s.overlap)).collect())
        .float("symmetry", sims.iter().map(|s| Some(s.symmetry)).collect())
        .int(
            "source_first",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.a_first as i64))
                .collect(),
        )
        .int(
            "target_first",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.b_first as i64))
                .collect(),
        )
        .float(
            "median_dt",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(g.clock.seconds(r.median_dt)))
                .collect(),
        )
        .int(
            "source_likes",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(degree(r.a) as i64))
                .collect(),
        )
        .int(
            "target_likes",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(degree(r.b) as i64))
                .collect(),
        )
        .float(
            "expected",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.expected))
                .collect(),
        )
        .float(
            "pvalue",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.ln_p.exp()))
                .collect(),
        )
        .float(
            "log10_pvalue",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| Some(r.ln_p / std::f64::consts::LN_10))
                .collect(),
        )
        .float("qvalue", pairs.iter().map(|p| Some(p.q)).collect());
    if let Some(cluster) = cluster_of {
        t.int(
            "cluster_id",
            pairs
                .iter()
                .map(|TestedPair { record: r, .. }| {
                    let (ca, cb) = (cluster(r.a), cluster(r.b));
                    Some(ca as i64).filter(|&c| c > 0 && ca == cb)
                })
                .collect(),
        );
    }
    t
}

fn write_tables(
    dir: &Path,
    base: &str,
    table: &Table,
    options: &ExportOptions,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for &format in &options.formats {
        let file = format!("{base}.{}", format.extension());
        let escaped = table::write_table_counting(&dir.join(&file), format, table, options.escape_formulas)
            .map_err(|source| ExportError::Table {
            file: file.clone(),
            source,
        })?;
        summary.csv_formula_cells += escaped;
        summary.files.push(file);
    }
    Ok(())
}

/// Significant pairs per batch of `edges` (one Parquet row group each): memory stays bounded
/// however many pairs are significant.
const EDGES_PER_BATCH: usize = 1 << 16;

/// `edges` in every format, written in batches of [`EDGES_PER_BATCH`] pairs.
fn write_edges(
    dir: &Path,
    r: &Results<'_>,
    options: &ExportOptions,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let cluster = |a: u32| r.detection.account_cluster[a as usize];
    for &format in &options.formats {
        let file = format!("edges.{}", format.extension());
        let err = |source| ExportError::Table {
            file: file.clone(),
            source,
        };
        let mut w =
            table::TableWriter::create(&dir.join(&file), format, options.escape_formulas).map_err(err)?;
        // At least one batch, so that an empty CSV still has its header.
        let mut batches = r.significant.chunks(EDGES_PER_BATCH).peekable();
        if batches.peek().is_none() {
            w.write(&pairs_table(r.graph, r.windows, &[], Some(&cluster)))
                .map_err(err)?;
        }
        for batch in batches {
            w.write(&pairs_table(r.graph, r.windows, batch, Some(&cluster)))
                .map_err(err)?;
        }
        summary.csv_formula_cells += w.escaped_cells();
        w.finish().map_err(err)?;
        summary.files.push(file);
    }
    Ok(())
}

fn write_graph(
    dir: &Path,
    file: &str,
    doc: &GraphDoc,
    writer: fn(&GraphDoc, BufWriter<File>) -> std::io::Result<BufWriter<File>>,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let io_err = |source| ExportError::Io {
        file: file.to_string(),
        source,
    };
    let out = BufWriter::with_capacity(1 << 20, File::create(dir.join(file)).map_err(io_err)?);
    let out = writer(doc, out).map_err(io_err)?;
    out.into_inner()
        .map_err(|e| io_err(e.into_error()))?
        .sync_all()
        .map_err(io_err)?;
    summary.files.push(file.to_string());
    Ok(())
}

/// Write `graph.gexf` and `graph.graphml` for `build` into `dir`, recording counts in `summary`.
pub fn write_graph_files(
    dir: &Path,
    build: GraphBuild,
    kind: GraphKind,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let GraphBuild {
        mut doc,
        prune,
        layout,
        dynamic,
    } = build;
    let cleaning = XmlCleaning::default();
    doc.clean(&cleaning);
    write_graph(dir, "graph.gexf", &doc, gexf::write_gexf, summary)?;
    write_graph(dir, "graph.graphml", &doc, graphml::write_graphml, summary)?;
    summary.graph = Some(kind);
    summary.graph_nodes = doc.nodes.len();
    summary.graph_edges = doc.edges.len();
    summary.pruning = prune;
    summary.layout = layout;
    summary.dynamic = dynamic;
    summary.xml_dropped_chars = cleaning.dropped_chars.get();
    summary.xml_cleaned_values = cleaning.cleaned_values.get();
    Ok(())
}

/// The steps of [`write_results`], for a progress bar.
pub const RESULT_STEPS: u64 = 6;

/// Write every table and graph file of a detect run into `dir` (a staging directory).
/// `step` is told the name of each of the [`RESULT_STEPS`] steps as it starts.
pub fn write_results(
    dir: &Path,
    r: &Results<'_>,
    options: &ExportOptions,
    step: &dyn Fn(&str),
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    step("accounts");
    write_tables(dir, "accounts", &accounts_table(r), options, &mut summary)?;
    step("clusters");
    write_tables(dir, "clusters", &clusters_table(r), options, &mut summary)?;
    step("posts");
    write_tables(dir, "posts", &posts_table(r), options, &mut summary)?;
    step("authors");
    if !r.graph.authors.is_empty() {
        write_tables(dir, "authors", &authors_table(r), options, &mut summary)?;
    }
    step("edges");
    write_edges(dir, r, options, &mut summary)?;
    step("graph files");
    write_graph_files(dir, graphs::build(r, options), options.graph, &mut summary)?;
    Ok(summary)
}
