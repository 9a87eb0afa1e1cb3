//! Evidence a newsroom can publish: for each flagged cluster, the exact like rows that make it
//! (with the input file and line each came from) and its *n × m × 2Δt block statement*.
//!
//! Files, under `DIR/evidence/` (documented in `docs/outputs.md`):
//!
//! - `cluster-<id>.csv`: one row per like by a member on a block post;
//! - `cluster-<id>.txt`: the block statement, the type and its reasons, the per-post bursts,
//!   the members, and the inputs with their SHA-256, in plain words;
//! - `blocks.csv`: one row per flagged cluster with its block statement.
//!
//! The block statement (n accounts × m posts × 2Δt) is measured by detection
//! ([`crate::detect::block`]); this module writes it.

use super::table::{Table, write_table};
use super::{ExportError, Results, TableFormat, format_time};
use crate::colike::Window;
use crate::detect::Cluster;
pub use crate::detect::block::{BlockStatement, PostBurst};
use crate::graph::LikeGraph;
use crate::manifest::RunRecord;
use crate::vocab::Interaction;
use std::fmt::Write as _;
use std::path::Path;

/// Folder (relative to the output directory) that holds the evidence files.
pub const EVIDENCE_DIR: &str = "evidence";

/// The wording every evidence file and the report carry, in the words of the interaction `w`.
pub fn caution(w: Interaction) -> String {
    format!(
        "A flagged cluster shows coordinated behaviour: these accounts acted on the same {objects} within a short time of each other far more often than chance predicts. It is not proof of who paid for it, who runs the accounts, or that the authors of the {objects} knew. Read the rows, the timing and the expected-versus-observed {co} before publishing.",
        objects = w.objects(),
        co = w.co_nouns()
    )
}

/// The cluster's block statement, measured by detection (posts in burst order).
pub fn cluster_block(c: &Cluster) -> &BlockStatement {
    &c.block
}

/// The like ids that make a cluster: every like by a member on a block post, ordered as the
/// statement's bursts (earliest burst first), then by time and account.
pub fn cluster_likes(g: &LikeGraph, c: &Cluster, block: &BlockStatement) -> Vec<u32> {
    let mut ids = Vec::new();
    for b in &block.bursts {
        for id in g.post_range(b.post) {
            let id = id as u32;
            if c.members.binary_search(&g.like_account(id)).is_ok() {
                ids.push(id);
            }
        }
    }
    ids
}

fn source_name(sources: &[String], i: usize) -> String {
    match sources.get(i) {
        Some(s) if !s.is_empty() => s.clone(),
        _ => format!("input #{}", i + 1),
    }
}

/// File name (relative to the output directory) of a cluster's evidence rows.
pub fn rows_file(id: u32) -> String {
    format!("{EVIDENCE_DIR}/cluster-{id}.csv")
}

/// File name (relative to the output directory) of a cluster's statement in words.
pub fn text_file(id: u32) -> String {
    format!("{EVIDENCE_DIR}/cluster-{id}.txt")
}

/// The evidence rows of one cluster as a table.
pub fn evidence_table(r: &Results<'_>, c: &Cluster, block: &BlockStatement, sources: &[String]) -> Table {
    let g = r.graph;
    let ids = cluster_likes(g, c, block);
    let likes: Vec<_> = ids.iter().map(|&id| g.like(id)).collect();
    let burst_of = |p: u32| block.bursts.iter().find(|b| b.post == p);
    let mut t = Table::default();
    t.int("cluster_id", vec![Some(c.id as i64); likes.len()])
        .text(
            "account",
            likes
                .iter()
                .map(|l| Some(g.accounts[l.account as usize].to_string()))
                .collect(),
        )
        .text(
            "post",
            likes
                .iter()
                .map(|l| Some(g.posts[l.post as usize].to_string()))
                .collect(),
        )
        .text(
            "author",
            likes
                .iter()
                .map(|l| g.author_of(l.post).map(|a| g.authors[a as usize].to_string()))
                .collect(),
        )
        .text(
            "time",
            likes.iter().map(|l| Some(format_time(g, l.time))).collect(),
        )
        .float(
            "delay_after_first_like",
            likes
                .iter()
                .map(|l| {
                    g.post_first_time(l.post)
                        .map(|first| super::seconds(g, (l.time - first) as f64))
                })
                .collect(),
        )
        .bool(
            "in_burst",
            likes
                .iter()
                .map(|l| burst_of(l.post).is_some_and(|b| b.contains(l.time)))
                .collect(),
        )
        .text(
            "source_file",
            likes
                .iter()
                .map(|l| Some(source_name(sources, l.origin.file())))
                .collect(),
        )
        .int(
            "source_line",
            likes.iter().map(|l| Some(l.origin.line() as i64)).collect(),
        );
    t
}

/// Replace control characters so that a name cannot break the layout of a text file.
fn plain(s: &str) -> String {
    s.chars()
        .map(|ch| if ch.is_control() { '\u{FFFD}' } else { ch })
        .collect()
}

/// The statement file of one cluster, in plain words.
pub fn statement_text(r: &Results<'_>, c: &Cluster, block: &BlockStatement, run: &RunRecord<'_>) -> String {
    let g = r.graph;
    let w = r.interaction;
    let unit = g.clock.unit_name();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "lockstep evidence: cluster {} ({}, {}, confidence {:.2})",
        c.id,
        c.kind.as_str(),
        if c.flagged {
            "flagged as coordinated"
        } else {
            "not flagged"
        },
        c.confidence
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "BLOCK: {}", block.text(g.clock, w));
    let _ = writeln!(s);
    let _ = writeln!(s, "READ THIS FIRST: {}", caution(w));
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Chance baseline: the {} significant pairs inside the cluster share {} {} within the {} window; the null model (independent accounts keeping their activity, {} keeping their popularity and timing) expects {:.3}.",
        c.features.internal_edges,
        c.features.colikes,
        w.objects(),
        w.co_noun(),
        w.objects(),
        c.features.expected_colikes
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Why this type:");
    for reason in &c.reasons {
        let _ = writeln!(s, "- {}", plain(reason));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{} (burst = the 2Δt window holding the most of these accounts' {} on the {}):",
        crate::vocab::capitalized(w.objects()),
        w.nouns(),
        w.object()
    );
    for b in &block.bursts {
        let author = g
            .author_of(b.post)
            .map(|a| format!(" by {}", plain(&g.authors[a as usize])))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "- {}{}: {} of {} accounts {} it, {} inside the burst from {} to {}",
            plain(&g.posts[b.post as usize]),
            author,
            b.likers,
            block.accounts,
            w.past(),
            b.in_burst,
            format_time(g, b.start),
            format_time(g, b.end)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Accounts ({}):", c.members.len());
    for &a in &c.members {
        let _ = writeln!(s, "- {}", plain(&g.accounts[a as usize]));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Rows: cluster-{id}.csv has one row per {noun} by these accounts on these {objects}: cluster_id, account, post, author, time (RFC 3339 UTC, or the position in the {object}'s {noun} order without a time column), delay_after_first_like (in {unit}, after the {object}'s first {noun} by anyone: a proxy for publication), in_burst (inside the {object}'s burst), source_file and source_line (the 1-based line of the input file the {noun} was read from, the header being line 1; the row for Parquet). Repeated {nouns} of a {object} by the same account were merged keeping the earliest, which is the line cited.",
        id = c.id,
        noun = w.noun(),
        nouns = w.nouns(),
        object = w.object(),
        objects = w.objects(),
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Inputs:");
    for f in &run.inputs.files {
        let _ = writeln!(
            s,
            "- {} (SHA-256 {}, {} rows)",
            plain(&f.path.display().to_string()),
            f.sha256,
            f.rows
        );
    }
    let _ = writeln!(
        s,
        "Written by {} {}; method: docs/method.md of lockstep.",
        run.tool, run.version
    );
    s
}

fn blocks_table(r: &Results<'_>, rows: &[(&Cluster, &BlockStatement)]) -> Table {
    let g = r.graph;
    let window = r.window;
    let mut t = Table::default();
    t.int(
        "cluster_id",
        rows.iter().map(|(c, _)| Some(c.id as i64)).collect(),
    )
    .text(
        "type",
        rows.iter()
            .map(|(c, _)| Some(c.kind.as_str().to_string()))
            .collect(),
    )
    .int(
        "accounts",
        rows.iter().map(|(_, b)| Some(b.accounts as i64)).collect(),
    )
    .int("posts", rows.iter().map(|(_, b)| Some(b.posts as i64)).collect())
    .float(
        "window",
        rows.iter()
            .map(|_| match window {
                Window::Span(w) => Some(super::seconds(g, w as f64)),
                Window::Infinite => None,
            })
            .collect(),
    )
    .int(
        "min_in_burst",
        rows.iter().map(|(_, b)| Some(b.min_in_burst as i64)).collect(),
    )
    .float("min_share", rows.iter().map(|(_, b)| Some(b.min_share)).collect())
    .int(
        "in_burst",
        rows.iter().map(|(_, b)| Some(b.in_burst as i64)).collect(),
    )
    .float("coverage", rows.iter().map(|(_, b)| Some(b.coverage)).collect())
    .float(
        "longest_burst",
        rows.iter()
            .map(|(_, b)| Some(super::seconds(g, b.widest as f64)))
            .collect(),
    )
    .text(
        "statement",
        rows.iter()
            .map(|(_, b)| Some(b.text(g.clock, r.interaction)))
            .collect(),
    )
    .text(
        "rows_file",
        rows.iter().map(|(c, _)| Some(rows_file(c.id))).collect(),
    );
    t
}

/// Write `DIR/evidence/cluster-<id>.csv` and `cluster-<id>.txt` for each flagged cluster and
/// `DIR/evidence/blocks.csv`; returns the file names written (relative to `dir`).
///
/// The rows cite the input files by the paths in `run`. Nothing is written when no cluster is
/// flagged.
pub fn write_evidence(
    dir: &Path,
    r: &Results<'_>,
    run: &RunRecord<'_>,
    escape_formulas: bool,
) -> Result<Vec<String>, ExportError> {
    let flagged: Vec<&Cluster> = r.detection.clusters.iter().filter(|c| c.flagged).collect();
    if flagged.is_empty() {
        return Ok(Vec::new());
    }
    let folder = dir.join(EVIDENCE_DIR);
    std::fs::create_dir_all(&folder).map_err(|source| ExportError::Io {
        file: EVIDENCE_DIR.into(),
        source,
    })?;
    let sources = run.source_names();
    let mut written = Vec::new();
    let mut blocks = Vec::with_capacity(flagged.len());
    for c in flagged {
        let block = cluster_block(c);
        let file = rows_file(c.id);
        let table = evidence_table(r, c, block, &sources);
        write_table(&dir.join(&file), TableFormat::Csv, &table, escape_formulas).map_err(|source| {
            ExportError::Table {
                file: file.clone(),
                source,
            }
        })?;
        written.push(file);
        let file = text_file(c.id);
        std::fs::write(dir.join(&file), statement_text(r, c, block, run)).map_err(|source| {
            ExportError::Io {
                file: file.clone(),
                source,
            }
        })?;
        written.push(file);
        written.extend(super::texts::write_texts(dir, r, c, &sources, escape_formulas)?);
        blocks.push((c, block));
    }
    let file = format!("{EVIDENCE_DIR}/blocks.csv");
    write_table(
        &dir.join(&file),
        TableFormat::Csv,
        &blocks_table(r, &blocks),
        escape_formulas,
    )
    .map_err(|source| ExportError::Table {
        file: file.clone(),
        source,
    })?;
    written.push(file);
    Ok(written)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The CLI tests' hand-made farm (tests/cli/common.rs): b1..b4 like p1..p6 10 s apart
    /// (input lines 2..25), o0..o7 like scattered posts hours apart, and c0..c17 are the
    /// farm posts' own audiences (three per post, hours later). `bot` renames b1.
    pub(crate) fn farm_csv(bot: &str) -> String {
        let mut rows = vec!["account,post,time,author".to_string()];
        for (k, post) in ["p1", "p2", "p3", "p4", "p5", "p6"].iter().enumerate() {
            for (j, b) in [bot, "b2", "b3", "b4"].iter().enumerate() {
                let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
                rows.push(format!("\"{}\",{post},{t},author{k}", b.replace('"', "\"\"")));
            }
        }
        for a in 0..8 {
            for k in 0..6 {
                let post = (a * 7 + k * 5) % 30;
                let t = 1_700_000_000 + (a * 13 + k * 29) as i64 * 3_600 + a as i64 * 61;
                rows.push(format!("o{a},q{post},{t},author{}", 10 + post % 9));
            }
        }
        // Each farm post also has an audience of its own: three accounts per post, none
        // liking another farm post, each with a life of its own on the other posts.
        for k in 0..6i64 {
            for i in 0..3i64 {
                let c = 3 * k + i;
                let t = 1_700_000_000 + k * 86_400 + (2 + 3 * i) * 3_600;
                rows.push(format!("c{c},p{},{t},author{k}", k + 1));
                for m in 0..5i64 {
                    let post = (c * 3 + m * 7) % 30;
                    let t = 1_700_000_000 + (c * 11 + m * 31) * 3_600 + c * 47;
                    rows.push(format!("c{c},q{post},{t},author{}", 10 + post % 9));
                }
            }
        }
        rows.join("\n") + "\n"
    }

    /// A whole detect run on an in-memory CSV, through [`crate::analysis::analyze`] as
    /// src/run.rs does it, with the default parameters.
    pub(crate) struct Fixture {
        pub dir: tempfile::TempDir,
        pub graph: LikeGraph,
        pub analysis: crate::analysis::Analysis,
        pub report: crate::input::LoadReport,
        pub load: crate::input::LoadOptions,
        pub export: crate::export::ExportOptions,
    }

    impl Fixture {
        pub(crate) fn new(csv: &str) -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("likes.csv");
            std::fs::write(&input, csv).unwrap();
            let ui = crate::ui::Ui::silent();
            let load = crate::input::LoadOptions::default();
            let loaded = crate::input::load(&[input], &load, &ui).unwrap();
            let report = loaded.report.clone();
            let graph = LikeGraph::build(loaded).unwrap();
            let analysis = crate::analysis::analyze(&graph, &crate::params::Params::default(), &ui).unwrap();
            let out = dir.path().join("out");
            std::fs::create_dir(&out).unwrap();
            Fixture {
                dir,
                graph,
                analysis,
                report,
                load,
                export: crate::export::ExportOptions::default(),
            }
        }

        pub(crate) fn results(&self) -> Results<'_> {
            Results::of(&self.graph, &self.analysis)
        }

        /// The run record, as src/run.rs makes it.
        pub(crate) fn run(&self) -> RunRecord<'_> {
            RunRecord {
                tool: "lockstep",
                version: env!("CARGO_PKG_VERSION"),
                command: "detect",
                inputs: &self.report,
                time_unit: self.graph.clock.unit_name(),
                parameters: crate::manifest::Parameters {
                    columns: &self.load.columns,
                    time_format: &self.load.time_format,
                    analysis: &self.analysis.params,
                    export: &self.export,
                },
                seed: 0,
                counts: crate::manifest::Counts {
                    likes: self.graph.n_likes() as u64,
                    ..Default::default()
                },
                projection: Some(&self.analysis.projection),
            }
        }

        pub(crate) fn out(&self) -> std::path::PathBuf {
            self.dir.path().join("out")
        }
    }

    #[test]
    fn farm_evidence_holds_the_exact_rows_and_the_block_statement() {
        let f = Fixture::new(&farm_csv("b1"));
        let out = f.out();
        let files = write_evidence(&out, &f.results(), &f.run(), true).unwrap();
        assert_eq!(
            files,
            vec![
                "evidence/cluster-1.csv",
                "evidence/cluster-1.txt",
                "evidence/blocks.csv"
            ]
        );
        let input = f.dir.path().join("likes.csv");
        let source = input.display().to_string();
        let mut rdr = csv::Reader::from_path(out.join("evidence/cluster-1.csv")).unwrap();
        assert_eq!(
            rdr.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "cluster_id",
                "account",
                "post",
                "author",
                "time",
                "delay_after_first_like",
                "in_burst",
                "source_file",
                "source_line"
            ]
        );
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 24);
        // Each row is the input line it cites: same account, post, time and author.
        let lines: Vec<String> = std::fs::read_to_string(&input)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let (k, j) = (i / 4, i % 4);
            assert_eq!(&row[0], "1");
            assert_eq!(&row[1], format!("b{}", j + 1));
            assert_eq!(&row[2], format!("p{}", k + 1));
            assert_eq!(&row[3], format!("author{k}"));
            let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
            assert_eq!(&row[4], crate::input::time::format_ms(t * 1000));
            assert_eq!(&row[5], format!("{}.0", j * 10));
            assert_eq!(&row[6], "true");
            assert_eq!(&row[7], source);
            let line: usize = row[8].parse().unwrap();
            assert_eq!(line, i + 2);
            assert_eq!(
                lines[line - 1],
                format!("\"b{}\",p{},{t},author{k}", j + 1, k + 1)
            );
        }
        let text = std::fs::read_to_string(out.join("evidence/cluster-1.txt")).unwrap();
        assert!(text.contains(
            "BLOCK: 4 accounts × 6 posts, 2Δt = 1 h: on every one of these 6 posts at least 4 of the 4 accounts (100 %) liked within 1 h of each other; 24 of the 24 account × post cells are such likes (coverage ρ = 1.00). The longest of these bursts lasted 30 s."
        ), "{text}");
        assert!(text.contains("not proof of who paid"));
        assert!(text.contains("- p1 by author0: 4 of 4 accounts liked it, 4 inside the burst from 2023-11-14T22:13:20Z to 2023-11-14T22:13:50Z"), "{text}");
        assert!(text.contains(&format!("SHA-256 {}", f.report.files[0].sha256)));
        let blocks = std::fs::read_to_string(out.join("evidence/blocks.csv")).unwrap();
        assert!(blocks.starts_with("cluster_id,type,accounts,posts,window,min_in_burst,min_share,in_burst,coverage,longest_burst,statement,rows_file\n1,bot_farm,4,6,3600.0,4,1.0,24,1.0,30.0,"), "{blocks}");
    }

    #[test]
    fn no_flagged_cluster_writes_nothing() {
        let f = Fixture::new("account,post,time\na,p,1\nb,p,2\n");
        assert!(
            write_evidence(&f.out(), &f.results(), &f.run(), true)
                .unwrap()
                .is_empty()
        );
        assert!(!f.out().join(EVIDENCE_DIR).exists());
    }
}
