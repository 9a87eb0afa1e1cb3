//! `DIR/report.html`: one self-contained page a journalist can open offline or send by email,
//! and the plots as SVG files under `DIR/plots/`.
//!
//! The page holds the run summary (inputs with SHA-256, parameters, counts), a sortable table
//! of every cluster, and for each cluster its type, reasons, block statement, four plots
//! (inline SVG, see [`super::plots`]) and links to its evidence files (written by
//! [`super::evidence::write_evidence`], which should run first: small evidence files are also
//! embedded in the page as a download).
//!
//! Safety: the page loads nothing (no network, no other file); a Content-Security-Policy
//! allows only its own inline script (by SHA-256 hash) and inline styles; every data value goes
//! through MiniJinja's HTML auto-escaping, and the inline SVG is built with XML escaping of
//! every data value, so a name such as `<script>` stays text.

use super::evidence::{BlockStatement, caution, cluster_block, rows_file, text_file};
use super::plots::{ClusterPlots, PlotContext, cluster_plots, num};
use super::{ExportError, Results};
use crate::clock::{Style, duration};
use crate::detect::Cluster;
use crate::input::Clock;
use crate::manifest::RunRecord;
use crate::text::{count, isolable, isolate};
use crate::vocab::{Interaction, Words, capitalized};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

const TEMPLATE: &str = include_str!("templates/report.html");
const STYLE: &str = include_str!("templates/report.css");
const SCRIPT: &str = include_str!("templates/report.js");

/// Flagged clusters whose plots are drawn in the page (all have them under `plots/`).
pub const MAX_INLINE_FLAGGED: usize = 100;
/// Organic clusters whose plots are drawn in the page.
pub const MAX_INLINE_ORGANIC: usize = 30;
/// Evidence files up to this size are embedded in the page as a download.
pub const MAX_EMBEDDED_EVIDENCE: u64 = 256 * 1024;

/// Folder (relative to the output directory) of the SVG plots.
pub const PLOTS_DIR: &str = "plots";

/// File name (relative to the output directory) of one plot of a cluster.
pub fn plot_file(id: u32, name: &str) -> String {
    format!("{PLOTS_DIR}/cluster-{id}-{name}.svg")
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct InputRow {
    /// As given (isolable: shown in a `<bdi>`).
    path: String,
    format: String,
    rows: String,
    bytes: String,
    sha256: String,
}

#[derive(Serialize)]
struct Column {
    label: String,
    numeric: bool,
    class: &'static str,
    help: String,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    sort: String,
    href: Option<String>,
    /// Names shown in the cell, each isolated (`<bdi>`), with their count: replaces `text`.
    names: Vec<NameCount>,
}

/// A name from the data (account, post, author) and how often it counts: shown as
/// `<bdi>name</bdi> (n)`.
#[derive(Serialize)]
struct NameCount {
    name: String,
    count: String,
}

#[derive(Serialize)]
struct Row {
    id: u32,
    flagged: bool,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Plot {
    name: &'static str,
    file: String,
    caption: String,
    svg: String,
}

#[derive(Serialize)]
struct Section {
    id: u32,
    kind: &'static str,
    kind_label: String,
    kind_help: String,
    flagged: bool,
    confidence: String,
    statement: String,
    reasons: Vec<String>,
    accounts: String,
    posts: String,
    colikes: String,
    expected: String,
    ratio: String,
    coverage: String,
    median_pair_dt: String,
    /// Up to 30 member names (isolable: each shown in a `<bdi>`).
    members: Vec<String>,
    /// "… and N more" when there are more members.
    members_more: Option<String>,
    evidence_csv: Option<String>,
    evidence_txt: Option<String>,
    /// The rows to download: embedded (a `data:` URI) when small, else the file beside the page.
    evidence_download: Option<String>,
    evidence_download_name: String,
    plots: Vec<Plot>,
    plots_note: Option<String>,
}

#[derive(Serialize)]
struct Page {
    /// The input file names, each isolated, for `<title>`.
    title: String,
    /// The input file names (isolable: each shown in a `<bdi>`).
    title_names: Vec<String>,
    version: String,
    script_hash: String,
    style: &'static str,
    script: &'static str,
    caution: String,
    words: Words,
    headline: String,
    time_note: String,
    inputs: Vec<InputRow>,
    input_notes: Vec<KeyValue>,
    counts: Vec<KeyValue>,
    projection: Vec<KeyValue>,
    parameters: Vec<KeyValue>,
    columns: Vec<Column>,
    rows: Vec<Row>,
    flagged: Vec<Section>,
    organic: Vec<Section>,
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The CSP source for an inline script: `'sha256-<base64 of its SHA-256>'`.
pub fn csp_hash(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

/// A JSON scalar as text (arrays of scalars joined with ", ").
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Flatten a JSON value into dotted keys and text values (for the parameter tables).
fn flatten(prefix: &str, v: &Value, out: &mut Vec<KeyValue>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        other => out.push(KeyValue {
            key: prefix.to_string(),
            value: scalar(other),
        }),
    }
}

fn flat(v: &Value) -> Vec<KeyValue> {
    let mut out = Vec::new();
    flatten("", v, &mut out);
    out
}

/// A JSON value for reading: counts with thousands grouped, yes/no for booleans, an object as
/// `key value` pairs.
fn readable(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_u64() => n.as_u64().map(count).unwrap_or_default(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Object(map) => map
            .iter()
            .map(|(k, x)| format!("{k} {}", readable(x)))
            .collect::<Vec<_>>()
            .join(", "),
        other => scalar(other),
    }
}

/// The values of counts and summaries for reading (`readable`); keys kept as in the manifest.
fn readable_all(flat: Vec<KeyValue>) -> Vec<KeyValue> {
    flat.into_iter()
        .map(|kv| KeyValue {
            value: kv.value.parse::<u64>().map(count).unwrap_or(kv.value),
            key: kv.key,
        })
        .collect()
}

/// The words for a key of the manifest's `inputs` (a key without words keeps its name, with
/// spaces for underscores).
fn input_label(key: &str, w: Interaction) -> String {
    match key {
        "rows" => "rows read".into(),
        "rows_skipped_empty" => format!("rows skipped (empty account or {})", w.object()),
        "duplicates_merged" => format!(
            "repeated (account, {}) rows merged (the earliest kept)",
            w.object()
        ),
        "author_conflicts" => format!(
            "rows giving a {} another author than its first row (the first kept)",
            w.object()
        ),
        "naive_timestamps" => "timestamps without a time zone (read as UTC)".into(),
        "time_resolution" => "rows by time resolution".into(),
        other => other.replace('_', " "),
    }
}

/// What each type means, in a sentence, in the words of the interaction `w`.
pub fn kind_label(kind: &str, w: Interaction) -> (String, String) {
    let (verb, verb_s, object, objects, nouns) = (w.verb(), w.verb_s(), w.object(), w.objects(), w.nouns());
    match kind {
        "bot_farm" => (
            "bot farm".into(),
            format!(
                "Accounts that {verb} the same {objects} together in tight bursts and supply most of their {nouns}."
            ),
        ),
        "paid_click_network" => (
            "paid click network".into(),
            format!(
                "Accounts with ordinary activity of their own that also worked through the same list of {objects}."
            ),
        ),
        "engagement_pod" => (
            "engagement pod".into(),
            format!("Creators who {verb} each other's {objects} soon after they are published."),
        ),
        "subscription" => (
            "per-post subscription".into(),
            format!("A pool of accounts that {verb_s} every new {object} of one or a few authors."),
        ),
        "organic_fandom" => (
            "organic: fandom".into(),
            format!(
                "Fans reacting to one creator's {objects}, with ordinary activity of their own: not flagged."
            ),
        ),
        "organic_viral" => (
            format!("organic: viral {objects}"),
            format!("Accounts meeting on very popular {objects}: not flagged."),
        ),
        "organic_topical" => (
            "organic: topical community".into(),
            "Accounts sharing interests rather than timing: not flagged.".into(),
        ),
        "coordinated" => (
            "coordinated".into(),
            "Accounts whose co-activity fails a test against organic behaviour, in a way none of the types above describes.".into(),
        ),
        _ => ("other".into(), String::new()),
    }
}

fn ratio(c: &Cluster) -> f64 {
    if c.features.expected_colikes > 0.0 {
        c.features.colikes as f64 / c.features.expected_colikes
    } else {
        f64::INFINITY
    }
}

fn sort_key(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else if x > 0.0 {
        "1e308".into()
    } else {
        String::new()
    }
}

/// The columns of the cluster table: what a reader compares across clusters, few enough to
/// fit the page (the pair counts, coverage and pair timing of each cluster are in its details
/// and in clusters.csv).
fn columns(w: Interaction) -> Vec<Column> {
    let c = |label: &str, numeric, help: String| Column {
        label: label.to_string(),
        numeric,
        class: if numeric {
            "num"
        } else if label == "top authors" {
            "wide"
        } else {
            ""
        },
        help,
    };
    let (noun, nouns, object, objects, co) = (w.noun(), w.nouns(), w.object(), w.objects(), w.co_nouns());
    vec![
        c(
            "cluster",
            true,
            "cluster id (clusters.csv); opens its details".into(),
        ),
        c(
            "type",
            false,
            "how the group behaves (docs/method.md); the flag rests on the evidence, never on the type"
                .into(),
        ),
        c("flagged", false, "flagged as coordinated".into()),
        c(
            "confidence",
            true,
            "0.6 with one signature of coordination, +0.15 for each further one; 0 when not flagged".into(),
        ),
        c("accounts", true, "member accounts (n)".into()),
        c(objects, true, format!("{objects} of the block (m)")),
        c(
            "× chance",
            true,
            format!(
                "{co} observed over the significant pairs inside the cluster / the number the null model expects"
            ),
        ),
        c(
            "burst width",
            true,
            format!("10th–90th percentile spread of the members' {nouns} on a typical {object}"),
        ),
        c(
            "median delay",
            true,
            format!("median delay of the members' {nouns} after the {object}'s first {noun}"),
        ),
        c(
            "authors",
            true,
            format!("distinct authors of the block {objects}"),
        ),
        c(
            "top authors",
            false,
            format!("the authors with most block {objects}"),
        ),
        c(
            "evidence",
            false,
            format!("the {noun} rows behind a flagged cluster (CSV)"),
        ),
    ]
}

/// A plain table cell.
fn cell(text: String, sort: String) -> Cell {
    Cell {
        text,
        sort,
        href: None,
        names: Vec::new(),
    }
}

/// The authors of a cluster's block posts with their number of block posts, most first.
fn top_authors(r: &Results<'_>, c: &Cluster) -> Vec<(u32, usize)> {
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    for &p in &c.posts {
        if let Some(a) = r.graph.author_of(p) {
            *counts.entry(a).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(u32, usize)> = counts.into_iter().collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top
}

fn table_row(r: &Results<'_>, c: &Cluster) -> Row {
    let g = r.graph;
    let f = &c.features;
    let n = |x: f64| cell(num(x), sort_key(x));
    let dur = |x: f64| cell(time_text(r, x), sort_key(x));
    let top = top_authors(r, c);
    let top_sort = top
        .first()
        .map(|&(a, _)| g.authors[a as usize].to_string())
        .unwrap_or_default();
    let (kind_text, _) = kind_label(c.kind.as_str(), r.interaction);
    Row {
        id: c.id,
        flagged: c.flagged,
        cells: vec![
            Cell {
                href: Some(format!("#cluster-{}", c.id)),
                ..cell(c.id.to_string(), c.id.to_string())
            },
            cell(kind_text.to_string(), kind_text.to_string()),
            cell(
                if c.flagged { "yes" } else { "no" }.into(),
                if c.flagged { "1" } else { "0" }.into(),
            ),
            cell(format!("{:.2}", c.confidence), sort_key(c.confidence)),
            n(c.members.len() as f64),
            n(c.posts.len() as f64),
            n(ratio(c)),
            // Feature times are in seconds (or positions) already.
            dur(f.burst_width),
            dur(f.median_delay),
            n(f.authors as f64),
            Cell {
                names: top
                    .iter()
                    .take(3)
                    .map(|&(a, k)| NameCount {
                        name: isolable(&g.authors[a as usize]).into_owned(),
                        count: count(k as u64),
                    })
                    .collect(),
                ..cell(String::new(), top_sort)
            },
            if c.flagged {
                Cell {
                    href: Some(rows_file(c.id)),
                    ..cell("rows".into(), c.id.to_string())
                }
            } else {
                cell(String::new(), String::new())
            },
        ],
    }
}

/// The captions of the four plots, in the words of the interaction `w`.
fn captions(w: Interaction) -> [String; 4] {
    let (noun, nouns, object, objects, co) = (w.noun(), w.nouns(), w.object(), w.objects(), w.co_nouns());
    [
        format!(
            "Raster: one row per account, time across, one mark per {noun} on the cluster's {objects}, coloured by {object}. Vertical stripes are many accounts {} one {object} within moments: lockstep.",
            w.gerund()
        ),
        format!(
            "Delay after each {object}'s first {noun} (a proxy for publication): the cluster's {nouns} against all {nouns} by other accounts."
        ),
        format!(
            "{} of each significant pair inside the cluster against what the null model expects by chance; the dashed diagonal is observed = expected.",
            capitalized(co)
        ),
        format!(
            "Who benefited: the {objects} and authors that received the most {nouns} from the cluster, beside their {nouns} from everyone else."
        ),
    ]
}

/// A feature time (seconds, or positions in logical time) for reading.
fn time_text(r: &Results<'_>, x: f64) -> String {
    if x.is_finite() {
        duration(r.graph.clock, r.graph.clock.units(x).round(), Style::Exact)
    } else {
        "–".into()
    }
}

fn section(
    dir: &Path,
    r: &Results<'_>,
    c: &Cluster,
    block: &BlockStatement,
    plots: Option<&ClusterPlots>,
) -> Section {
    let g = r.graph;
    let (kind_label, kind_help) = kind_label(c.kind.as_str(), r.interaction);
    let evidence_csv = c.flagged.then(|| rows_file(c.id));
    let evidence_txt = c.flagged.then(|| text_file(c.id));
    // Small files are embedded so the page alone carries them; larger ones are downloaded
    // from the evidence folder beside the page. Either way every flagged cluster has the link.
    let evidence_download = evidence_csv.as_ref().map(|f| {
        let path = dir.join(f);
        let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_EMBEDDED_EVIDENCE);
        match small.then(|| std::fs::read(&path)) {
            Some(Ok(bytes)) => format!("data:text/csv;charset=utf-8;base64,{}", base64(&bytes)),
            _ => f.clone(),
        }
    });
    let members: Vec<String> = c
        .members
        .iter()
        .take(30)
        .map(|&a| isolable(&g.accounts[a as usize]).into_owned())
        .collect();
    Section {
        id: c.id,
        kind: c.kind.as_str(),
        kind_label,
        kind_help,
        flagged: c.flagged,
        confidence: format!("{:.2}", c.confidence),
        statement: block.text(g.clock, r.interaction),
        reasons: c.reasons.clone(),
        accounts: count(c.members.len() as u64),
        posts: count(c.posts.len() as u64),
        colikes: count(c.features.colikes),
        expected: num(c.features.expected_colikes),
        ratio: num(ratio(c)),
        coverage: format!("{:.2}", block.coverage),
        median_pair_dt: time_text(r, c.features.median_pair_dt),
        members,
        members_more: (c.members.len() > 30).then(|| format!(" … and {} more", count(c.members.len() as u64 - 30))),
        evidence_csv,
        evidence_txt,
        evidence_download,
        evidence_download_name: format!("lockstep-cluster-{}.csv", c.id),
        plots: plots
            .map(|p| {
                p.named()
                    .iter()
                    .zip(captions(r.interaction))
                    .map(|((name, svg), caption)| Plot {
                        name,
                        file: plot_file(c.id, name),
                        caption,
                        svg: svg.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        plots_note: plots.is_none().then(|| {
            format!(
                "Plots of this cluster are not drawn in this page (too many clusters); they are in the {PLOTS_DIR}/ folder."
            )
        }),
    }
}

/// Render the page (no file written). `run` is the manifest JSON.
pub fn render_report(
    dir: &Path,
    r: &Results<'_>,
    run: &Value,
    plots: &[(u32, ClusterPlots)],
) -> Result<String, minijinja::Error> {
    let g = r.graph;
    let blocks: Vec<&BlockStatement> = r.detection.clusters.iter().map(cluster_block).collect();
    let plots_of = |id: u32| plots.iter().find(|(i, _)| *i == id).map(|(_, p)| p);
    let mut flagged = Vec::new();
    let mut organic = Vec::new();
    for (c, block) in r.detection.clusters.iter().zip(&blocks) {
        let list = if c.flagged { &mut flagged } else { &mut organic };
        let limit = if c.flagged {
            MAX_INLINE_FLAGGED
        } else {
            MAX_INLINE_ORGANIC
        };
        let p = if list.len() < limit { plots_of(c.id) } else { None };
        list.push(section(dir, r, c, block, p));
    }
    let inputs: Vec<InputRow> = run["inputs"]["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .map(|f| InputRow {
                    path: isolable(&scalar(&f["path"])).into_owned(),
                    format: format!(
                        "{}{}",
                        scalar(&f["format"]),
                        if f["gzip"] == Value::Bool(true) {
                            " (gzip)"
                        } else {
                            ""
                        }
                    ),
                    rows: readable(&f["rows"]),
                    bytes: readable(&f["bytes"]),
                    sha256: scalar(&f["sha256"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut input_notes = Vec::new();
    if let Some(obj) = run["inputs"].as_object() {
        for (k, v) in obj {
            if k != "files" {
                input_notes.push(KeyValue {
                    key: input_label(k, r.interaction),
                    value: readable(v),
                });
            }
        }
    }
    let n_flagged = r.detection.clusters.iter().filter(|c| c.flagged).count();
    let flagged_accounts = r.scores.accounts.iter().filter(|s| s.flagged).count();
    let w = r.interaction;
    // Without an author column the author columns would only ever read 0 and nothing.
    let has_authors = !g.authors.is_empty();
    let all_columns = columns(w);
    let shown: Vec<bool> = all_columns
        .iter()
        .map(|c| has_authors || !matches!(c.label.as_str(), "authors" | "top authors"))
        .collect();
    let headline = format!(
        "{} {} by {} accounts on {} {}. {} of {} clusters flagged as coordinated ({} accounts); {} cluster{} of shared interest not flagged (no test against organic behaviour failed).",
        count(g.n_likes() as u64),
        w.nouns(),
        count(g.n_accounts() as u64),
        count(g.n_posts() as u64),
        w.objects(),
        count(n_flagged as u64),
        count(r.detection.clusters.len() as u64),
        count(flagged_accounts as u64),
        count((r.detection.clusters.len() - n_flagged) as u64),
        if r.detection.clusters.len() - n_flagged == 1 {
            ""
        } else {
            "s"
        }
    );
    let title_names: Vec<String> = inputs
        .iter()
        .map(|i| {
            Path::new(&i.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| i.path.clone())
        })
        .collect();
    let title = title_names
        .iter()
        .map(|n| isolate(n))
        .collect::<Vec<_>>()
        .join(", ");
    let time_note = match g.clock {
        Clock::Timestamps => "Times are UTC; durations in the table are rounded.".to_string(),
        Clock::Logical => format!(
            "The data has no time column: times are positions in each {}'s {} order.",
            w.object(),
            w.noun()
        ),
    };
    let page = Page {
        title: if title.is_empty() {
            "lockstep run".into()
        } else {
            title
        },
        title_names,
        version: run["version"]
            .as_str()
            .unwrap_or(env!("CARGO_PKG_VERSION"))
            .to_string(),
        script_hash: csp_hash(SCRIPT),
        style: STYLE,
        script: SCRIPT,
        caution: caution(w),
        words: Words::from(w),
        headline,
        time_note,
        inputs,
        input_notes,
        counts: readable_all(flat(&run["counts"])),
        projection: readable_all(flat(&run["projection"])),
        parameters: flat(&run["parameters"]),
        columns: all_columns
            .into_iter()
            .zip(&shown)
            .filter(|x| *x.1)
            .map(|x| x.0)
            .collect(),
        rows: r
            .detection
            .clusters
            .iter()
            .map(|c| {
                let mut row = table_row(r, c);
                row.cells = row
                    .cells
                    .into_iter()
                    .zip(&shown)
                    .filter(|x| *x.1)
                    .map(|x| x.0)
                    .collect();
                row
            })
            .collect(),
        flagged,
        organic,
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template("report.html", TEMPLATE)?;
    env.get_template("report.html")
        .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(&page))))
}

/// Write `DIR/report.html` (self-contained) and the SVG plots under `DIR/plots/`; returns the
/// file names written (relative to `dir`). `run` is the manifest JSON (inputs with SHA-256,
/// parameters, counts, projection summary) for the summary. Call after
/// [`super::evidence::write_evidence`] so that small evidence files are embedded too.
pub fn write_report(dir: &Path, r: &Results<'_>, record: &RunRecord<'_>) -> Result<Vec<String>, ExportError> {
    let run = &record.to_json();
    let io = |file: &str| {
        let file = file.to_string();
        move |source| ExportError::Io { file, source }
    };
    let mut written = Vec::new();
    let ctx = PlotContext::new(r.graph);
    let mut plots = Vec::with_capacity(r.detection.clusters.len());
    if !r.detection.clusters.is_empty() {
        std::fs::create_dir_all(dir.join(PLOTS_DIR)).map_err(io(PLOTS_DIR))?;
    }
    // Drawn in parallel (each cluster's plots depend on nothing else), written in cluster order.
    let drawn: Vec<ClusterPlots> = r
        .detection
        .clusters
        .par_iter()
        .map(|c| cluster_plots(r, &ctx, c, cluster_block(c)))
        .collect();
    for (c, p) in r.detection.clusters.iter().zip(drawn) {
        for (name, svg) in p.named() {
            let file = plot_file(c.id, name);
            let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
            std::fs::write(dir.join(&file), doc).map_err(io(&file))?;
            written.push(file);
        }
        plots.push((c.id, p));
    }
    let html = render_report(dir, r, run, &plots)
        .map_err(|e| io("report.html")(std::io::Error::other(format!("report template: {e}"))))?;
    std::fs::write(dir.join("report.html"), html).map_err(io("report.html"))?;
    written.push("report.html".into());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        // echo -n 'x' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("x"),
            "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"
        );
    }

    #[test]
    fn farm_report_is_self_contained_and_inert() {
        use crate::export::evidence::{tests::Fixture, tests::farm_csv, write_evidence};
        let name = "<script>alert(1)</script>";
        let f = Fixture::new(&farm_csv(name));
        let out = f.out();
        let r = f.results();
        write_evidence(&out, &r, &f.run(), true).unwrap();
        let files = write_report(&out, &r, &f.run()).unwrap();
        assert_eq!(
            files,
            [
                "plots/cluster-1-raster.svg",
                "plots/cluster-1-delays.svg",
                "plots/cluster-1-colikes.svg",
                "plots/cluster-1-beneficiaries.svg",
                "report.html"
            ]
        );
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        // The only script is ours, allowed by its hash; the name is escaped text everywhere.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains(&format!("script-src {};", csp_hash(SCRIPT))));
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "HTML-escaped"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "XML-escaped in SVG"
        );
        for attr in ["src=", "href="] {
            for (i, _) in html.match_indices(attr) {
                let value = &html[i + attr.len()..];
                assert!(
                    !value.trim_start_matches(['"', '\'']).starts_with("http"),
                    "{}",
                    &html[i..i + 60]
                );
            }
        }
        for needle in [
            "id=\"cluster-table\"",
            "id=\"cluster-1\"",
            "href=\"evidence&#x2f;cluster-1.csv\"",
            "download=\"lockstep-cluster-1.csv\"",
            "not proof of who paid",
            "4 accounts × 6 posts, 2Δt = 1 h",
            f.report.files[0].sha256.as_str(),
        ] {
            assert!(html.contains(needle), "{needle}");
        }
        // The embedded copy is the evidence file.
        let start = html.find("data:text/csv;charset=utf-8;base64,").unwrap() + 35;
        let end = start + html[start..].find('"').unwrap();
        let csv = std::fs::read(out.join("evidence/cluster-1.csv")).unwrap();
        assert_eq!(&html[start..end], base64(&csv));
        // Identical inputs give an identical page.
        write_report(&out, &r, &f.run()).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("report.html")).unwrap(), html);
    }

    #[test]
    fn parameters_flatten_to_dotted_keys() {
        let v = serde_json::json!({"colike": {"windows": ["1h", "10m"], "fdr": 0.01}, "seed": 3});
        let kv: Vec<(String, String)> = flat(&v).into_iter().map(|k| (k.key, k.value)).collect();
        assert_eq!(
            kv,
            vec![
                ("colike.fdr".to_string(), "0.01".to_string()),
                ("colike.windows".to_string(), "1h, 10m".to_string()),
                ("seed".to_string(), "3".to_string())
            ]
        );
    }
}
