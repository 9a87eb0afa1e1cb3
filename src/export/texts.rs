//! The shared texts behind a cluster flagged on them: `DIR/evidence/cluster-<id>-texts.csv`,
//! one row per comment a member wrote in one of the cluster's unexplained families of
//! near-duplicate texts ([`crate::detect::texts`]), with the family's template and the text as
//! written, and the input file and line it came from. Texts go through the same CSV writer as
//! every table (spreadsheet formulas neutralised unless `--no-formula-escape`).

use super::table::{Table, write_table};
use super::{ExportError, Results, TableFormat, format_time};
use crate::detect::Cluster;
use crate::detect::judge::Evidence;
use std::path::Path;

/// File name (relative to the output directory) of a cluster's shared texts.
pub fn texts_file(id: u32) -> String {
    format!("{}/cluster-{id}-texts.csv", super::evidence::EVIDENCE_DIR)
}

/// The shared-text rows of a cluster: member comments in its unexplained families, by family
/// (most significant first), then time and account.
pub fn texts_table(r: &Results<'_>, c: &Cluster, sources: &[String]) -> Option<Table> {
    let stage = r.texts?;
    let families = &c.features.texts.families;
    if families.is_empty() {
        return None;
    }
    let g = r.graph;
    let mut rows: Vec<(usize, i64, u32, u32)> = Vec::new(); // (family rank, time, account, comment)
    for &m in &c.members {
        for &(f, t, comment) in stage.account_uses(m) {
            if let Some(rank) = families.iter().position(|&k| k == f) {
                rows.push((rank, t, m, comment));
            }
        }
    }
    rows.sort_unstable();
    let comments = &stage.comments;
    let source = |comment: u32| {
        let file = comments.origin[comment as usize].file();
        match sources.get(file) {
            Some(s) if !s.is_empty() => s.clone(),
            _ => format!("input #{}", file + 1),
        }
    };
    let mut t = Table::default();
    t.int("cluster_id", vec![Some(c.id as i64); rows.len()])
        .int(
            "family",
            rows.iter().map(|r| Some(families[r.0] as i64)).collect(),
        )
        .text(
            "template",
            rows.iter()
                .map(|r| Some(stage.template(families[r.0]).to_string()))
                .collect(),
        )
        .text(
            "text",
            rows.iter()
                .map(|r| Some(stage.comment_text(r.3).to_string()))
                .collect(),
        )
        .text(
            "account",
            rows.iter()
                .map(|r| Some(g.accounts[r.2 as usize].to_string()))
                .collect(),
        )
        .text(
            "post",
            rows.iter()
                .map(|r| Some(g.posts[comments.post[r.3 as usize] as usize].to_string()))
                .collect(),
        )
        .text("time", rows.iter().map(|r| Some(format_time(g, r.1))).collect())
        .text("source_file", rows.iter().map(|r| Some(source(r.3))).collect())
        .int(
            "source_line",
            rows.iter()
                .map(|r| Some(comments.origin[r.3 as usize].line() as i64))
                .collect(),
        );
    Some(t)
}

/// Write the shared-text rows of a flagged cluster whose evidence includes its texts; the
/// file name written, if any.
pub fn write_texts(
    dir: &Path,
    r: &Results<'_>,
    c: &Cluster,
    sources: &[String],
    escape_formulas: bool,
) -> Result<Option<String>, ExportError> {
    if !c.judgement.evidence.contains(&Evidence::SharedTexts) {
        return Ok(None);
    }
    let Some(table) = texts_table(r, c, sources) else {
        return Ok(None);
    };
    let file = texts_file(c.id);
    write_table(&dir.join(&file), TableFormat::Csv, &table, escape_formulas).map_err(|source| {
        ExportError::Table {
            file: file.clone(),
            source,
        }
    })?;
    Ok(Some(file))
}
