//! The graphs written to `graph.gexf` and `graph.graphml`: the account co-like graph (default) or
//! the account × post block graph of the flagged clusters (`--graph bipartite`), with the size
//! guard ([`super::prune`]), the layout ([`super::layout`]) and, in dynamic mode, spells from the
//! like times.

use super::layout::{self, LayoutParams};
use super::prune::{self, Candidate, PruneReport};
use super::xml::{
    AttrDef, AttrType, AttrValue, DocEdge, DocNode, GraphDoc, Rgb, Spell, TimeFormat, cluster_color,
    merge_spells,
};
use super::{ExportOptions, GraphKind, Results, seconds};
use crate::colike::{Similarity, TestedPair, Window};
use crate::graph::LikeGraph;
use crate::input::Clock;
use serde::Serialize;
use std::collections::HashMap;

/// A graph ready to write, with what the size guard did.
#[derive(Debug, Clone)]
pub struct GraphBuild {
    /// The graph.
    pub doc: GraphDoc,
    /// Pruning counts.
    pub prune: PruneReport,
    /// Layout settings used, if a layout was computed.
    pub layout: Option<LayoutSummary>,
    /// Spell counts, in dynamic mode.
    pub dynamic: Option<DynamicSummary>,
}

/// The layout, for the manifest.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LayoutSummary {
    /// Algorithm.
    pub algorithm: &'static str,
    /// Iterations run.
    pub iterations: usize,
    /// Seed of the starting positions.
    pub seed: u64,
}

/// Dynamic mode, for the manifest.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DynamicSummary {
    /// GEXF `timeformat`.
    pub timeformat: &'static str,
    /// Spells written on nodes.
    pub node_spells: usize,
    /// Spells written on edges.
    pub edge_spells: usize,
}

fn time_format(g: &LikeGraph) -> TimeFormat {
    match g.clock {
        Clock::Timestamps => TimeFormat::Date,
        Clock::Logical => TimeFormat::Double,
    }
}

fn text_time(g: &LikeGraph, t: Option<i64>) -> AttrValue {
    t.map_or(AttrValue::Missing, |t| AttrValue::Text(super::format_time(g, t)))
}

/// First and last like of an account (its likes are in time order).
fn account_span(g: &LikeGraph, a: u32) -> Option<(i64, i64)> {
    let likes = g.account_likes(a);
    Some((g.like_time(*likes.first()?), g.like_time(*likes.last()?)))
}

/// First and last like of a post.
fn post_span(g: &LikeGraph, p: u32) -> Option<(i64, i64)> {
    let t = g.times(p);
    Some((*t.first()?, *t.last()?))
}

fn span_spells(span: Option<(i64, i64)>) -> Vec<Spell> {
    span.map(|(start, end)| vec![Spell { start, end }])
        .unwrap_or_default()
}

/// An account node as both graphs draw it: coloured by cluster, sized by score, and in
/// dynamic mode alive from its first to its last like.
fn account_node(
    g: &LikeGraph,
    a: u32,
    sc: &crate::score::AccountScore,
    span: Option<(i64, i64)>,
    dynamic: bool,
    attrs: Vec<AttrValue>,
) -> DocNode {
    DocNode {
        id: format!("a{a}"),
        label: g.accounts[a as usize].to_string(),
        attrs,
        color: Some(cluster_color(sc.cluster, sc.flagged)),
        size: Some(4.0 + 16.0 * sc.score),
        position: None,
        spells: if dynamic { span_spells(span) } else { Vec::new() },
    }
}

/// Each account's likes as (post, time), sorted by post, for the accounts asked for.
fn likes_by_post(g: &LikeGraph, accounts: &[u32]) -> HashMap<u32, Vec<(u32, i64)>> {
    accounts
        .iter()
        .map(|&a| {
            let mut v: Vec<(u32, i64)> = g
                .account_likes(a)
                .iter()
                .map(|&l| (g.like_post(l), g.like_time(l)))
                .collect();
            v.sort_unstable();
            (a, v)
        })
        .collect()
}

/// Spells of a co-like edge: one per post both liked within the window, from the earlier to the
/// later like, merged where they overlap.
fn colike_spells(x: &[(u32, i64)], y: &[(u32, i64)], window: Window) -> Vec<Spell> {
    let (mut i, mut j) = (0, 0);
    let mut spells = Vec::new();
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let (s, t) = (x[i].1.min(y[j].1), x[i].1.max(y[j].1));
                if window.contains(t - s) {
                    spells.push(Spell { start: s, end: t });
                }
                i += 1;
                j += 1;
            }
        }
    }
    merge_spells(spells)
}

fn run_layout(doc: &mut GraphDoc, groups: &[u32], options: &ExportOptions) -> Option<LayoutSummary> {
    if !options.layout {
        return None;
    }
    let edges: Vec<(usize, usize, f64)> = doc.edges.iter().map(|e| (e.source, e.target, e.weight)).collect();
    let params = LayoutParams {
        seed: options.seed,
        ..LayoutParams::default()
    };
    let iterations = params
        .iterations
        .unwrap_or_else(|| layout::default_iterations(doc.nodes.len()));
    let pos = layout::force_atlas2(doc.nodes.len(), &edges, groups, &params);
    for (node, p) in doc.nodes.iter_mut().zip(pos) {
        node.position = Some(p);
    }
    Some(LayoutSummary {
        algorithm: "ForceAtlas2 with Barnes-Hut repulsion (theta 1.2)",
        iterations,
        seed: options.seed,
    })
}

fn dynamic_summary(doc: &GraphDoc) -> Option<DynamicSummary> {
    doc.time.map(|tf| DynamicSummary {
        timeformat: tf.gexf(),
        node_spells: doc.nodes.iter().map(|n| n.spells.len()).sum(),
        edge_spells: doc.edges.iter().map(|e| e.spells.len()).sum(),
    })
}

/// The graph `options.graph` asks for.
pub fn build(r: &Results<'_>, options: &ExportOptions) -> GraphBuild {
    match options.graph {
        GraphKind::Accounts => account_graph(r, options),
        GraphKind::Bipartite => bipartite_graph(r, options),
    }
}

/// The account co-like graph: accounts linked by significant pairs, pruned by the size guard.
pub fn account_graph(r: &Results<'_>, options: &ExportOptions) -> GraphBuild {
    let g = r.graph;
    let s = &r.scores.accounts;
    let cluster_of = |a: u32| r.detection.account_cluster[a as usize];
    let flagged_cluster = |c: u32| {
        c > 0
            && r.detection
                .clusters
                .get(c as usize - 1)
                .is_some_and(|c| c.flagged)
    };
    let candidates: Vec<Candidate> = r
        .significant
        .iter()
        .map(|TestedPair { record: p, .. }| Candidate {
            a: p.a,
            b: p.b,
            weight: p.idf,
            flagged: cluster_of(p.a) == cluster_of(p.b) && flagged_cluster(cluster_of(p.a)),
        })
        .collect();
    let (kept, mut report) = prune::select_edges(&candidates, options.max_edges, options.top_k_per_node);

    let mut all: Vec<u32> = r
        .significant
        .iter()
        .flat_map(|s| [s.record.a, s.record.b])
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut used: Vec<u32> = kept
        .iter()
        .flat_map(|&i| [candidates[i].a, candidates[i].b])
        .chain(all.iter().copied().filter(|&a| flagged_cluster(cluster_of(a))))
        .collect();
    used.sort_unstable();
    used.dedup();
    report.nodes_before = all.len();
    report.nodes = used.len();
    let index: HashMap<u32, usize> = used.iter().enumerate().map(|(i, &a)| (a, i)).collect();

    let time = options.dynamic.then(|| time_format(g));
    let window = r
        .windows
        .first()
        .and_then(|w| w.resolve(g.clock).ok())
        .unwrap_or(Window::Infinite);
    let by_post = if time.is_some() {
        likes_by_post(g, &used)
    } else {
        HashMap::new()
    };

    let nodes: Vec<DocNode> = used
        .iter()
        .map(|&a| {
            let sc = &s[a as usize];
            let span = account_span(g, a);
            account_node(
                g,
                a,
                sc,
                span,
                time.is_some(),
                vec![
                    AttrValue::Long(sc.cluster as i64),
                    AttrValue::Text(
                        r.detection
                            .cluster_of(a)
                            .map_or("none", |c| c.kind.as_str())
                            .to_string(),
                    ),
                    AttrValue::Bool(sc.flagged),
                    AttrValue::Double(sc.score),
                    AttrValue::Long(sc.likes as i64),
                    AttrValue::Long(sc.block_likes as i64),
                    AttrValue::Long(sc.partners as i64),
                    if sc.partners > 0 {
                        AttrValue::Double(sc.min_q)
                    } else {
                        AttrValue::Missing
                    },
                    text_time(g, span.map(|s| s.0)),
                    text_time(g, span.map(|s| s.1)),
                ],
            )
        })
        .collect();

    let n_windows = super::window_columns(r.windows).len();
    let edges: Vec<DocEdge> = kept
        .iter()
        .map(|&i| {
            let TestedPair { record: p, q } = &r.significant[i];
            let sim = Similarity::of(p, g.account_degree(p.a), g.account_degree(p.b));
            let shared = if cluster_of(p.a) == cluster_of(p.b) {
                cluster_of(p.a)
            } else {
                0
            };
            let mut attrs = vec![AttrValue::Long(p.colikes() as i64)];
            attrs.extend((0..n_windows).map(|k| AttrValue::Long(p.counts[k] as i64)));
            attrs.extend([
                AttrValue::Double(sim.jaccard),
                AttrValue::Double(sim.cosine),
                AttrValue::Double(sim.overlap),
                AttrValue::Double(sim.symmetry),
                AttrValue::Long(p.a_first as i64),
                AttrValue::Long(p.b_first as i64),
                AttrValue::Double(seconds(g, p.median_dt)),
                AttrValue::Double(p.expected),
                AttrValue::Double(p.ln_p.exp()),
                AttrValue::Double(p.ln_p / std::f64::consts::LN_10),
                AttrValue::Double(*q),
                AttrValue::Long(shared as i64),
                AttrValue::Bool(candidates[i].flagged),
            ]);
            DocEdge {
                source: index[&p.a],
                target: index[&p.b],
                weight: p.idf,
                attrs,
                spells: if time.is_some() {
                    colike_spells(&by_post[&p.a], &by_post[&p.b], window)
                } else {
                    Vec::new()
                },
            }
        })
        .collect();

    let mut edge_attrs = vec![AttrDef::new("colikes", AttrType::Long)];
    edge_attrs.extend(
        super::window_columns(r.windows)
            .into_iter()
            .map(|c| AttrDef::new(c, AttrType::Long)),
    );
    edge_attrs.extend([
        AttrDef::new("jaccard", AttrType::Double),
        AttrDef::new("cosine", AttrType::Double),
        AttrDef::new("overlap", AttrType::Double),
        AttrDef::new("symmetry", AttrType::Double),
        AttrDef::new("source_first", AttrType::Long),
        AttrDef::new("target_first", AttrType::Long),
        AttrDef::new("median_dt", AttrType::Double),
        AttrDef::new("expected", AttrType::Double),
        AttrDef::new("pvalue", AttrType::Double),
        AttrDef::new("log10_pvalue", AttrType::Double),
        AttrDef::new("qvalue", AttrType::Double),
        AttrDef::new("cluster", AttrType::Long),
        AttrDef::new("flagged", AttrType::Boolean),
    ]);
    let mut doc = GraphDoc {
        description: format!(
            "lockstep account {co} graph: nodes are accounts, edges are significant {co} pairs (weight = IDF-weighted {cos}); flagged clusters whole, other accounts with their strongest pairs (see manifest.json outputs.pruning)",
            co = r.interaction.co_noun(),
            cos = r.interaction.co_nouns()
        ),
        node_attrs: vec![
            AttrDef::new("cluster", AttrType::Long),
            AttrDef::new("cluster_type", AttrType::Text),
            AttrDef::new("flagged", AttrType::Boolean),
            AttrDef::new("score", AttrType::Double),
            AttrDef::new("likes", AttrType::Long),
            AttrDef::new("block_likes", AttrType::Long),
            AttrDef::new("partners", AttrType::Long),
            AttrDef::new("min_qvalue", AttrType::Double),
            AttrDef::new("first_like", AttrType::Text),
            AttrDef::new("last_like", AttrType::Text),
        ],
        edge_attrs,
        nodes,
        edges,
        time,
    };
    let groups: Vec<u32> = used.iter().map(|&a| cluster_of(a)).collect();
    let layout = run_layout(&mut doc, &groups, options);
    let dynamic = dynamic_summary(&doc);
    GraphBuild {
        doc,
        prune: report,
        layout,
        dynamic,
    }
}

/// The rule of the bipartite graph, in words (for the manifest).
pub const BIPARTITE_RULE: &str = "the flagged clusters' members and block posts, one edge per like of a member on its cluster's block; beyond max_edges, likes are kept in cluster order (cluster 1 first), by time within a cluster";

/// The account × post block graph of the flagged clusters: members, their cluster's block posts
/// and the likes between them.
pub fn bipartite_graph(r: &Results<'_>, options: &ExportOptions) -> GraphBuild {
    let g = r.graph;
    let s = &r.scores.accounts;
    let ps = &r.scores.posts;
    // (cluster, time, account, post) of every member like on the cluster's block.
    let mut likes: Vec<(u32, i64, u32, u32)> = Vec::new();
    for c in r.detection.clusters.iter().filter(|c| c.flagged) {
        let start = likes.len();
        for &a in &c.members {
            for &l in g.account_likes(a) {
                let p = g.like_post(l);
                if c.posts.binary_search(&p).is_ok() {
                    likes.push((c.id, g.like_time(l), a, p));
                }
            }
        }
        likes[start..].sort_unstable();
    }
    likes.sort_by_key(|l| l.0);
    let before = likes.len();
    let mut report = PruneReport {
        rule: BIPARTITE_RULE.to_string(),
        max_edges: options.max_edges,
        top_k_per_node: 0,
        edges_before: before,
        ..PruneReport::default()
    };
    let (mut acc_all, mut post_all): (Vec<u32>, Vec<u32>) = likes.iter().map(|l| (l.2, l.3)).unzip();
    acc_all.sort_unstable();
    acc_all.dedup();
    post_all.sort_unstable();
    post_all.dedup();
    report.nodes_before = acc_all.len() + post_all.len();
    if options.max_edges > 0 && likes.len() > options.max_edges {
        likes.truncate(options.max_edges);
    }
    report.edges = likes.len();
    report.flagged_edges_before = before;
    report.flagged_edges = likes.len();
    report.dropped_by_max_edges = before - likes.len();

    let (mut accounts, mut posts): (Vec<u32>, Vec<u32>) = likes.iter().map(|l| (l.2, l.3)).unzip();
    accounts.sort_unstable();
    accounts.dedup();
    posts.sort_unstable();
    posts.dedup();
    report.nodes = accounts.len() + posts.len();
    // A post's cluster: the first (smallest id) flagged cluster whose block holds it.
    let mut post_cluster: HashMap<u32, u32> = HashMap::new();
    for l in &likes {
        let e = post_cluster.entry(l.3).or_insert(l.0);
        *e = (*e).min(l.0);
    }
    let kind_of = |c: u32| {
        r.detection
            .clusters
            .get((c as usize).wrapping_sub(1))
            .map_or("none", |c| c.kind.as_str())
            .to_string()
    };
    let time = options.dynamic.then(|| time_format(g));
    let max_likes = posts.iter().map(|&p| g.post_degree(p)).max().unwrap_or(1).max(1) as f64;

    let mut nodes: Vec<DocNode> = Vec::with_capacity(accounts.len() + posts.len());
    let mut groups: Vec<u32> = Vec::with_capacity(nodes.capacity());
    for &a in &accounts {
        let sc = &s[a as usize];
        let span = account_span(g, a);
        nodes.push(account_node(
            g,
            a,
            sc,
            span,
            time.is_some(),
            vec![
                AttrValue::Text("account".into()),
                AttrValue::Long(sc.cluster as i64),
                AttrValue::Text(kind_of(sc.cluster)),
                AttrValue::Bool(sc.flagged),
                AttrValue::Double(sc.score),
                AttrValue::Long(sc.likes as i64),
                AttrValue::Missing,
                AttrValue::Missing,
                text_time(g, span.map(|s| s.0)),
                text_time(g, span.map(|s| s.1)),
            ],
        ));
        groups.push(sc.cluster);
    }
    for &p in &posts {
        let c = post_cluster[&p];
        let span = post_span(g, p);
        let likes_p = g.post_degree(p);
        nodes.push(DocNode {
            id: format!("p{p}"),
            label: g.posts[p as usize].to_string(),
            attrs: vec![
                AttrValue::Text("post".into()),
                AttrValue::Long(c as i64),
                AttrValue::Text(kind_of(c)),
                AttrValue::Bool(true),
                AttrValue::Missing,
                AttrValue::Long(likes_p as i64),
                AttrValue::Long(ps[p as usize].flagged_likes as i64),
                g.author_of(p).map_or(AttrValue::Missing, |au| {
                    AttrValue::Text(g.authors[au as usize].to_string())
                }),
                text_time(g, span.map(|s| s.0)),
                text_time(g, span.map(|s| s.1)),
            ],
            color: Some(post_color(c)),
            size: Some(4.0 + 16.0 * ((1.0 + likes_p as f64).ln() / (1.0 + max_likes).ln())),
            position: None,
            spells: if time.is_some() {
                span_spells(span)
            } else {
                Vec::new()
            },
        });
        groups.push(c);
    }
    let acc_index: HashMap<u32, usize> = accounts.iter().enumerate().map(|(i, &a)| (a, i)).collect();
    let post_index: HashMap<u32, usize> = posts
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, accounts.len() + i))
        .collect();
    let edges: Vec<DocEdge> = likes
        .iter()
        .map(|&(c, t, a, p)| {
            let first = g.post_first_time(p).unwrap_or(t);
            DocEdge {
                source: acc_index[&a],
                target: post_index[&p],
                weight: 1.0,
                attrs: vec![
                    AttrValue::Text(super::format_time(g, t)),
                    AttrValue::Double(seconds(g, (t - first) as f64)),
                    AttrValue::Long(c as i64),
                ],
                spells: if time.is_some() {
                    vec![Spell { start: t, end: t }]
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let mut doc = GraphDoc {
        description: format!(
            "lockstep block graph: the flagged clusters' accounts (kind = account) and the {} they {} together (kind = post); one edge per {}",
            r.interaction.objects(),
            r.interaction.past(),
            r.interaction.noun()
        ),
        node_attrs: vec![
            AttrDef::new("kind", AttrType::Text),
            AttrDef::new("cluster", AttrType::Long),
            AttrDef::new("cluster_type", AttrType::Text),
            AttrDef::new("flagged", AttrType::Boolean),
            AttrDef::new("score", AttrType::Double),
            AttrDef::new("likes", AttrType::Long),
            AttrDef::new("flagged_likes", AttrType::Long),
            AttrDef::new("author", AttrType::Text),
            AttrDef::new("first_like", AttrType::Text),
            AttrDef::new("last_like", AttrType::Text),
        ],
        edge_attrs: vec![
            AttrDef::new("time", AttrType::Text),
            AttrDef::new("delay", AttrType::Double),
            AttrDef::new("cluster", AttrType::Long),
        ],
        nodes,
        edges,
        time,
    };
    let layout = run_layout(&mut doc, &groups, options);
    let dynamic = dynamic_summary(&doc);
    GraphBuild {
        doc,
        prune: report,
        layout,
        dynamic,
    }
}

/// Colour of a post node of (flagged) cluster `c`: the cluster's colour, lightened.
pub fn post_color(c: u32) -> Rgb {
    cluster_color(c, true).lighten(0.45)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colike_spells_follow_the_window() {
        let x = vec![(1, 100), (2, 500), (3, 1000), (5, 0)];
        let y = vec![(1, 130), (3, 5000), (4, 7), (5, 10)];
        // Post 1: |100-130| = 30 ≤ 60; post 3: 4000 > 60; post 5: 10 ≤ 60.
        assert_eq!(
            colike_spells(&x, &y, Window::Span(60)),
            vec![Spell { start: 0, end: 10 }, Spell { start: 100, end: 130 }]
        );
        assert_eq!(colike_spells(&x, &y, Window::Infinite).len(), 3);
    }
}
