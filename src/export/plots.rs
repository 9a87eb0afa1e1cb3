//! The report's plots, as self-contained SVG written by hand (no fonts, no scripts, no links).
//!
//! Four plots per cluster:
//!
//! - **raster** (SynchroTrap-style): one row per member account, time across, one mark
//!   (`<rect class="like">`) per like by a member on a block post, coloured by post; lockstep
//!   shows as vertical stripes;
//! - **delays**: the share of likes per delay after the post's first like (a proxy for its
//!   publication), the cluster's likes on its block posts (`rect.bar.cluster`) against all
//!   likes by other accounts (`rect.bar.others`);
//! - **co-likes**: each significant pair inside the cluster (`circle.pair`) at its expected
//!   co-likes under the null model (x) and its observed co-likes (y), log–log, with the
//!   diagonal where observed = expected;
//! - **beneficiaries**: the block posts and their authors that received the most likes from
//!   the cluster (`rect.bar.from-cluster`), beside their other likes (`rect.bar.rest`).
//!
//! Every mark carries a `<title>` (a tooltip in browsers) and `data-` attributes with its values;
//! every data value is XML-escaped. Writing the SVG directly, rather than through a plotting
//! crate, gives each mark a class and a tooltip and needs no font files: text is laid out by
//! the viewer with `text-anchor`, and long labels are shortened by character count.

use super::evidence::{BlockStatement, cluster_likes};
use super::{Results, format_time};
use crate::clock::{Style, duration};
use crate::colike::TestedPair;
use crate::detect::Cluster;
use crate::graph::LikeGraph;
use crate::input::Clock;
use crate::text::{Markup, escape_xml, isolate, truncate_chars as short};
use crate::vocab::Interaction;
use std::fmt::Write as _;

/// At most this many account rows in a raster plot (the earliest to like are shown).
pub const MAX_RASTER_ROWS: usize = 300;
/// At most this many pairs in a co-like plot.
pub const MAX_PAIRS: usize = 1500;
/// Posts and authors listed in a beneficiaries plot.
pub const TOP_BENEFICIARIES: usize = 10;
/// Posts named in a raster plot's legend.
const LEGEND_POSTS: usize = 10;

/// Colours of posts in the raster (Tableau 10); they repeat after ten posts.
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac",
];
const CLUSTER_COLOUR: &str = "#d62728";
const OTHERS_COLOUR: &str = "#7f7f7f";
const WIDTH: f64 = 900.0;

/// Escape a data value for SVG text or a quoted attribute (the crate's one escaper; the SVG
/// is also embedded in report.html).
fn esc(s: &str) -> String {
    escape_xml(s, Markup::Html).into_owned()
}

/// Round for coordinates.
fn r1(x: f64) -> String {
    let v = (x * 10.0).round() / 10.0;
    if v == v.trunc() {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Numbers in plots and the report: [`crate::text::number`].
pub use crate::text::number as num;

struct Svg {
    buf: String,
}

impl Svg {
    fn new(kind: &str, height: f64, title: &str, desc: &str) -> Self {
        let mut buf = String::with_capacity(4096);
        let _ = write!(
            buf,
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="plot {kind}" data-plot="{kind}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" font-family="sans-serif" font-size="12" fill="#222"><title>{t}</title><desc>{d}</desc><rect class="background" x="0" y="0" width="{w}" height="{h}" fill="#fff"/><text class="plot-title" x="12" y="20" font-size="15" font-weight="bold">{t}</text>"##,
            w = r1(WIDTH),
            h = r1(height),
            t = esc(title),
            d = esc(desc),
        );
        Svg { buf }
    }

    fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
        let _ = write!(
            self.buf,
            r#"<text class="{class}" x="{}" y="{}" text-anchor="{anchor}"{extra}>{}</text>"#,
            r1(x),
            r1(y),
            esc(content)
        );
    }

    fn line(&mut self, class: &str, from: (f64, f64), to: (f64, f64), stroke: &str, extra: &str) {
        let ((x1, y1), (x2, y2)) = (from, to);
        let _ = write!(
            self.buf,
            r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"{extra}/>"#,
            r1(x1),
            r1(y1),
            r1(x2),
            r1(y2)
        );
    }

    /// A frame with an x axis label under it and a y axis label rotated on its left.
    fn axes(&mut self, area: &Area, x_label: &str, y_label: &str) {
        let _ = write!(
            self.buf,
            r##"<rect class="frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#999"/>"##,
            r1(area.left),
            r1(area.top),
            r1(area.width),
            r1(area.height)
        );
        self.text(
            "axis-label x-label",
            area.left + area.width / 2.0,
            area.top + area.height + 40.0,
            "middle",
            "",
            x_label,
        );
        let (x, y) = (16.0, area.top + area.height / 2.0);
        self.text(
            "axis-label y-label",
            x,
            y,
            "middle",
            &format!(r#" transform="rotate(-90 {} {})""#, r1(x), r1(y)),
            y_label,
        );
    }

    fn x_tick(&mut self, area: &Area, x: f64, label: &str) {
        let bottom = area.top + area.height;
        self.line("tick", (x, bottom), (x, bottom + 5.0), "#999", "");
        self.text(
            "tick-label",
            x,
            bottom + 18.0,
            "middle",
            r#" font-size="11""#,
            label,
        );
    }

    fn y_tick(&mut self, area: &Area, y: f64, label: &str, grid: bool) {
        if grid {
            self.line("grid", (area.left, y), (area.left + area.width, y), "#eee", "");
        }
        self.line("tick", (area.left - 5.0, y), (area.left, y), "#999", "");
        self.text(
            "tick-label",
            area.left - 8.0,
            y + 4.0,
            "end",
            r#" font-size="11""#,
            label,
        );
    }

    fn finish(mut self) -> String {
        self.buf.push_str("</svg>");
        self.buf
    }
}

struct Area {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

/// Counts the report needs over the whole data set, computed once.
pub struct PlotContext {
    /// Likes per author over all posts.
    author_likes: Vec<u64>,
    /// Likes per delay bin over all likes.
    all_delays: Vec<u64>,
    /// Delay of every like after its post's first like, by like id, as a bin index.
    like_bin: Vec<u8>,
}

impl PlotContext {
    /// Scan the graph once.
    pub fn new(g: &LikeGraph) -> Self {
        let mut author_likes = vec![0u64; g.authors.len()];
        let bins = delay_bins(g.clock);
        let mut all_delays = vec![0u64; bins.len()];
        let mut like_bin = vec![0u8; g.n_likes()];
        for p in 0..g.n_posts() as u32 {
            if let Some(a) = g.author_of(p) {
                author_likes[a as usize] += g.post_degree(p) as u64;
            }
            let range = g.post_range(p);
            let times = g.times(p);
            let first = times.first().copied().unwrap_or(0);
            for (id, &t) in range.zip(times) {
                let b = delay_bin(&bins, t - first);
                like_bin[id] = b as u8;
                all_delays[b] += 1;
            }
        }
        PlotContext {
            author_likes,
            all_delays,
            like_bin,
        }
    }
}

/// Upper bounds (inclusive, in clock units) and labels of the delay bins.
fn delay_bins(clock: Clock) -> Vec<(i64, &'static str)> {
    match clock {
        Clock::Timestamps => vec![
            (0, "0"),
            (1_000, "≤ 1 s"),
            (10_000, "1–10 s"),
            (60_000, "10 s–1 min"),
            (600_000, "1–10 min"),
            (3_600_000, "10 min–1 h"),
            (21_600_000, "1–6 h"),
            (86_400_000, "6 h–1 d"),
            (604_800_000, "1–7 d"),
            (i64::MAX, "> 7 d"),
        ],
        Clock::Logical => vec![
            (0, "0"),
            (1, "1"),
            (4, "2–4"),
            (9, "5–9"),
            (49, "10–49"),
            (99, "50–99"),
            (499, "100–499"),
            (i64::MAX, "≥ 500"),
        ],
    }
}

fn delay_bin(bins: &[(i64, &str)], d: i64) -> usize {
    bins.iter().position(|&(hi, _)| d <= hi).unwrap_or(bins.len() - 1)
}

/// The four plots of one cluster, as SVG documents.
#[derive(Debug, Clone)]
pub struct ClusterPlots {
    /// Accounts × time, one mark per like.
    pub raster: String,
    /// Delay after the post's first like: cluster against everyone else.
    pub delays: String,
    /// Observed against expected co-likes per internal pair.
    pub colikes: String,
    /// Top beneficiary posts and authors.
    pub beneficiaries: String,
}

impl ClusterPlots {
    /// (name, SVG) in the order shown.
    pub fn named(&self) -> [(&'static str, &str); 4] {
        [
            ("raster", &self.raster),
            ("delays", &self.delays),
            ("colikes", &self.colikes),
            ("beneficiaries", &self.beneficiaries),
        ]
    }
}

/// Draw the four plots of a cluster.
pub fn cluster_plots(
    r: &Results<'_>,
    ctx: &PlotContext,
    c: &Cluster,
    block: &BlockStatement,
) -> ClusterPlots {
    let likes = cluster_likes(r.graph, c, block);
    let w = r.interaction;
    ClusterPlots {
        raster: raster(r.graph, c, block, &likes, w),
        delays: delays(r.graph, ctx, c, &likes, w),
        colikes: colikes(r, c),
        beneficiaries: beneficiaries(r.graph, ctx, c, block, &likes, w),
    }
}

/// Tick positions and labels for a time axis from `lo` to `hi` (clock units).
fn time_ticks(clock: Clock, lo: i64, hi: i64) -> Vec<(i64, String)> {
    let span = (hi - lo).max(1);
    if clock == Clock::Logical {
        let step = nice_step(span as f64 / 6.0).max(1.0) as i64;
        let first = lo.div_euclid(step) * step + if lo.rem_euclid(step) == 0 { 0 } else { step };
        return (0..)
            .map(|k| first + k * step)
            .take_while(|&t| t <= hi)
            .map(|t| (t, t.to_string()))
            .collect();
    }
    const S: i64 = crate::clock::MS_PER_SECOND;
    const STEPS: [i64; 26] = [
        S,
        2 * S,
        5 * S,
        10 * S,
        15 * S,
        30 * S,
        60 * S,
        120 * S,
        300 * S,
        600 * S,
        900 * S,
        1800 * S,
        3600 * S,
        7200 * S,
        10_800 * S,
        21_600 * S,
        43_200 * S,
        86_400 * S,
        172_800 * S,
        604_800 * S,
        1_209_600 * S,
        2_592_000 * S,
        5_184_000 * S,
        7_776_000 * S,
        15_552_000 * S,
        31_536_000 * S,
    ];
    let step = STEPS
        .iter()
        .copied()
        .find(|&s| span / s <= 6)
        .unwrap_or_else(|| (span / 6 / 31_536_000_000 + 1) * 31_536_000_000);
    let fmt = if step >= 86_400 * S {
        "%Y-%m-%d"
    } else if step >= 60 * S {
        "%m-%d %H:%M"
    } else {
        "%H:%M:%S"
    };
    let first = lo.div_euclid(step) * step + if lo.rem_euclid(step) == 0 { 0 } else { step };
    (0..)
        .map(|k| first + k * step)
        .take_while(|&t| t <= hi)
        .map(|t| {
            let label = chrono::DateTime::from_timestamp_millis(t)
                .map(|d| d.format(fmt).to_string())
                .unwrap_or_else(|| t.to_string());
            (t, label)
        })
        .collect()
}

fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn raster(g: &LikeGraph, c: &Cluster, block: &BlockStatement, likes: &[u32], w: Interaction) -> String {
    // Rows: members in order of their first like on a block post (those without such a like
    // last), ties by account id.
    let mut first: Vec<(i64, u32)> = c.members.iter().map(|&a| (i64::MAX, a)).collect();
    for &id in likes {
        let l = g.like(id);
        if let Ok(k) = c.members.binary_search(&l.account) {
            first[k].0 = first[k].0.min(l.time);
        }
    }
    first.sort();
    let shown = first.len().min(MAX_RASTER_ROWS);
    let row_of: std::collections::HashMap<u32, usize> = first[..shown]
        .iter()
        .enumerate()
        .map(|(i, &(_, a))| (a, i))
        .collect();
    let post_colour: std::collections::HashMap<u32, usize> = block
        .bursts
        .iter()
        .enumerate()
        .map(|(i, b)| (b.post, i))
        .collect();
    let names = shown <= 40;
    let row_h = if shown <= 40 {
        (160.0 / shown.max(1) as f64).clamp(16.0, 40.0)
    } else {
        (600.0 / shown as f64).max(1.5)
    };
    let legend_rows =
        block.bursts.len().min(LEGEND_POSTS).div_ceil(2) + usize::from(block.bursts.len() > LEGEND_POSTS);
    let area = Area {
        left: if names { 170.0 } else { 60.0 },
        top: 48.0,
        width: WIDTH - if names { 170.0 } else { 60.0 } - 20.0,
        height: (row_h * shown as f64).max(160.0),
    };
    let height = area.top + area.height + 56.0 + 18.0 * legend_rows as f64 + 8.0;
    let times: Vec<i64> = likes.iter().map(|&id| g.like_time(id)).collect();
    let (lo, hi) = match (times.iter().min(), times.iter().max()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => (0, 1),
    };
    let pad = ((hi - lo) / 40).max(g.clock.units(1.0) as i64);
    let (lo, hi) = (lo - pad, hi + pad);
    let x_of = |t: i64| area.left + (t - lo) as f64 / (hi - lo) as f64 * area.width;
    let (noun, nouns, object, objects) = (w.noun(), w.nouns(), w.object(), w.objects());
    let title = format!(
        "Cluster {}: who {} when ({} {nouns} by {} accounts on {} {objects})",
        c.id,
        w.past_bare(),
        likes.len(),
        c.members.len(),
        block.bursts.len()
    );
    let mut svg = Svg::new(
        "raster",
        height,
        &title,
        &format!(
            "One row per account of the cluster, time across; one mark per {noun} by these accounts on the cluster's {objects}, coloured by {object}. Marks stacked in a vertical stripe are {nouns} of one {object} within a short time: lockstep."
        ),
    );
    let x_label = if g.clock == Clock::Timestamps {
        format!(
            "time (UTC), {} to {}",
            format_time(g, lo + pad),
            format_time(g, hi - pad)
        )
    } else {
        format!("position in the {object}'s {noun} order (no time column)")
    };
    let y_label = if shown < first.len() {
        format!("account (first {shown} of {} to {})", first.len(), w.noun())
    } else {
        format!("account ({} in the cluster)", first.len())
    };
    svg.axes(&area, &x_label, &y_label);
    for (t, label) in time_ticks(g.clock, lo, hi) {
        // Labels are centred on their tick: keep them off the frame's ends.
        let x = x_of(t);
        if x >= area.left + 30.0 && x <= area.left + area.width - 30.0 {
            svg.x_tick(&area, x, &label);
        }
    }
    if names {
        for (i, &(_, a)) in first[..shown].iter().enumerate() {
            let y = area.top + (i as f64 + 0.5) * row_h + 4.0;
            svg.text(
                "account-label",
                area.left - 6.0,
                y,
                "end",
                r#" font-size="11""#,
                &isolate(&short(&g.accounts[a as usize], 24)),
            );
        }
    }
    svg.buf.push_str(r#"<g class="marks">"#);
    let mark_h = (row_h * 0.8).max(1.0);
    for &id in likes {
        let l = g.like(id);
        let Some(&row) = row_of.get(&l.account) else {
            continue;
        };
        let k = post_colour.get(&l.post).copied().unwrap_or(0);
        let y = area.top + row as f64 * row_h + (row_h - mark_h) / 2.0;
        let _ = write!(
            svg.buf,
            r#"<rect class="like" data-post="{k}" x="{}" y="{}" width="3" height="{}" fill="{}"><title>{} {} {} at {}</title></rect>"#,
            r1(x_of(l.time) - 1.5),
            r1(y),
            r1(mark_h),
            PALETTE[k % PALETTE.len()],
            esc(&isolate(&g.accounts[l.account as usize])),
            w.past(),
            esc(&isolate(&g.posts[l.post as usize])),
            esc(&format_time(g, l.time)),
        );
    }
    svg.buf.push_str("</g>");
    // Legend: the first posts (in burst order) with their colours.
    let top = area.top + area.height + 58.0;
    svg.buf.push_str(r#"<g class="legend">"#);
    for (i, b) in block.bursts.iter().take(LEGEND_POSTS).enumerate() {
        let x = area.left + if i % 2 == 0 { 0.0 } else { area.width / 2.0 };
        let y = top + (i / 2) as f64 * 18.0;
        let _ = write!(
            svg.buf,
            r#"<rect class="swatch" x="{}" y="{}" width="10" height="10" fill="{}"/>"#,
            r1(x),
            r1(y - 9.0),
            PALETTE[i % PALETTE.len()]
        );
        let author = g
            .author_of(b.post)
            .map(|a| format!(" by {}", isolate(&short(&g.authors[a as usize], 24))))
            .unwrap_or_default();
        svg.text(
            "legend-label",
            x + 16.0,
            y,
            "start",
            "",
            &short(
                &format!(
                    "{}{} · {} {nouns} in a burst of {}",
                    isolate(&short(&g.posts[b.post as usize], 28)),
                    author,
                    b.in_burst,
                    duration(g.clock, (b.end - b.start) as f64, Style::Exact)
                ),
                56,
            ),
        );
    }
    if block.bursts.len() > LEGEND_POSTS {
        svg.text(
            "legend-label",
            area.left,
            top + (LEGEND_POSTS / 2) as f64 * 18.0,
            "start",
            "",
            &format!(
                "… and {} more {objects} (colours repeat every {} {objects})",
                block.bursts.len() - LEGEND_POSTS,
                PALETTE.len()
            ),
        );
    }
    svg.buf.push_str("</g>");
    svg.finish()
}

fn delays(g: &LikeGraph, ctx: &PlotContext, c: &Cluster, likes: &[u32], w: Interaction) -> String {
    let (noun, nouns, object, objects) = (w.noun(), w.nouns(), w.object(), w.objects());
    let bins = delay_bins(g.clock);
    let mut cluster = vec![0u64; bins.len()];
    for &id in likes {
        cluster[ctx.like_bin[id as usize] as usize] += 1;
    }
    // Everyone else: all likes minus every like by a member.
    let mut others = ctx.all_delays.clone();
    for &a in &c.members {
        for &id in g.account_likes(a) {
            others[ctx.like_bin[id as usize] as usize] -= 1;
        }
    }
    let total_c: u64 = cluster.iter().sum();
    let total_o: u64 = others.iter().sum();
    let share = |k: u64, n: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let max_share = (0..bins.len())
        .map(|i| share(cluster[i], total_c).max(share(others[i], total_o)))
        .fold(0.0f64, f64::max);
    let y_max = (nice_step(max_share / 4.0) * 4.0).clamp(0.05, 1.0).max(max_share);
    let area = Area {
        left: 70.0,
        top: 66.0,
        width: WIDTH - 90.0,
        height: 260.0,
    };
    let height = area.top + area.height + 56.0;
    let unit = if g.clock == Clock::Timestamps {
        ""
    } else {
        " (positions)"
    };
    let mut svg = Svg::new(
        "delays",
        height,
        &format!("Cluster {}: how soon after a {object}'s first {noun}", c.id),
        &format!(
            "Share of {nouns} by delay after the {object}'s first {noun} (a proxy for its publication): the cluster's {nouns} on its {objects} against all {nouns} by every other account."
        ),
    );
    svg.axes(
        &area,
        &format!("delay after the {object}'s first {noun}{unit}"),
        &format!("share of {nouns}"),
    );
    // Legend.
    let _ = write!(
        svg.buf,
        r#"<g class="legend"><rect x="{}" y="34" width="10" height="10" fill="{CLUSTER_COLOUR}"/><rect x="{}" y="34" width="10" height="10" fill="{OTHERS_COLOUR}"/></g>"#,
        r1(area.left),
        r1(area.left + 330.0)
    );
    svg.text(
        "legend-label",
        area.left + 16.0,
        43.0,
        "start",
        "",
        &format!("this cluster on its {objects} ({total_c} {nouns})"),
    );
    svg.text(
        "legend-label",
        area.left + 346.0,
        43.0,
        "start",
        "",
        &format!("everyone else ({total_o} {nouns})"),
    );
    let y_of = |s: f64| area.top + area.height - s / y_max * area.height;
    let step = nice_step(y_max / 4.0);
    let mut s = 0.0;
    while s <= y_max + 1e-9 {
        svg.y_tick(&area, y_of(s), &format!("{:.0} %", s * 100.0), true);
        s += step;
    }
    let slot = area.width / bins.len() as f64;
    let bar_w = slot * 0.36;
    for (i, &(_, label)) in bins.iter().enumerate() {
        let x0 = area.left + i as f64 * slot;
        svg.x_tick(&area, x0 + slot / 2.0, label);
        for (k, (counts, total, class, colour, who)) in [
            (&cluster, total_c, "cluster", CLUSTER_COLOUR, "this cluster"),
            (&others, total_o, "others", OTHERS_COLOUR, "everyone else"),
        ]
        .into_iter()
        .enumerate()
        {
            let sh = share(counts[i], total);
            let x = x0 + slot * 0.12 + k as f64 * bar_w;
            let _ = write!(
                svg.buf,
                r#"<rect class="bar {class}" data-bin="{i}" data-count="{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}"><title>{who}, delay {}: {} {nouns} ({:.1} %)</title></rect>"#,
                counts[i],
                r1(x),
                r1(y_of(sh)),
                r1(bar_w),
                r1(area.top + area.height - y_of(sh)),
                esc(label),
                counts[i],
                sh * 100.0
            );
        }
    }
    svg.finish()
}

fn colikes(r: &Results<'_>, c: &Cluster) -> String {
    let g = r.graph;
    let w = r.interaction;
    let co = w.co_nouns();
    let pairs = r.pairs.tested_within(&c.members);
    // Beyond MAX_PAIRS, every k-th pair (in account order) keeps the page small.
    let stride = pairs.len().div_ceil(MAX_PAIRS).max(1);
    let shown: Vec<_> = pairs.iter().step_by(stride).copied().collect();
    let observed: u64 = pairs.iter().map(|s| s.record.colikes() as u64).sum();
    let expected: f64 = pairs.iter().map(|s| s.record.expected).sum();
    let finite_pos = |x: f64| x.is_finite() && x > 0.0;
    let min_v = shown
        .iter()
        .map(|s| s.record.expected)
        .filter(|&x| finite_pos(x))
        .fold(1.0f64, f64::min);
    let max_v = shown
        .iter()
        .map(|s| (s.record.colikes() as f64).max(s.record.expected))
        .filter(|&x| finite_pos(x))
        .fold(1.0f64, f64::max);
    let lo = min_v.log10().floor().max(-12.0);
    let mut hi = max_v.log10().ceil();
    if hi <= lo {
        hi = lo + 1.0;
    }
    let side = 300.0;
    let area = Area {
        left: 90.0,
        top: 66.0,
        width: side,
        height: side,
    };
    let height = area.top + area.height + 56.0;
    let pos = |v: f64| ((v.max(10f64.powf(lo)).log10() - lo) / (hi - lo)).clamp(0.0, 1.0);
    let x_of = |v: f64| area.left + pos(v) * area.width;
    let y_of = |v: f64| area.top + area.height - pos(v) * area.height;
    let mut svg = Svg::new(
        "colikes",
        height,
        &format!("Cluster {}: {co} observed against chance", c.id),
        &format!(
            "Each significant pair of accounts inside the cluster: the {co} the null model expects (across) against those observed (up), on log scales. Points far above the diagonal are pairs that {} the same {} at the same time far more often than chance predicts.",
            w.past(),
            w.objects()
        ),
    );
    svg.axes(
        &area,
        &format!("{co} expected by chance (null model)"),
        &format!("{co} observed"),
    );
    let mut e = lo;
    while e <= hi + 1e-9 {
        let v = 10f64.powf(e);
        let label = num(v);
        svg.x_tick(&area, x_of(v), &label);
        svg.y_tick(&area, y_of(v), &label, true);
        e += 1.0;
    }
    let (lo_v, hi_v) = (10f64.powf(lo), 10f64.powf(hi));
    svg.line(
        "chance",
        (x_of(lo_v), y_of(lo_v)),
        (x_of(hi_v), y_of(hi_v)),
        "#999",
        r#" stroke-dasharray="4 3""#,
    );
    svg.text(
        "chance-label",
        x_of(hi_v) - 4.0,
        y_of(hi_v) + 28.0,
        "end",
        r##" fill="#777" font-size="11""##,
        "observed = expected",
    );
    svg.buf.push_str(r#"<g class="marks">"#);
    for &&TestedPair { record: p, q } in &shown {
        let _ = write!(
            svg.buf,
            r#"<circle class="pair" data-observed="{}" data-expected="{}" cx="{}" cy="{}" r="3.5" fill="{CLUSTER_COLOUR}" fill-opacity="0.6"><title>{} and {}: {} {co}, {} expected, q = {}</title></circle>"#,
            p.colikes(),
            p.expected,
            r1(x_of(p.expected)),
            r1(y_of(p.colikes() as f64)),
            esc(&isolate(&g.accounts[p.a as usize])),
            esc(&isolate(&g.accounts[p.b as usize])),
            p.colikes(),
            num(p.expected),
            num(q)
        );
    }
    svg.buf.push_str("</g>");
    let tx = area.left + area.width + 40.0;
    let lines = [
        format!("{} significant pairs inside the cluster", pairs.len()),
        format!("{co} observed: {observed}"),
        format!("expected by chance: {}", num(expected)),
        if expected > 0.0 {
            format!("{}× what chance predicts", num(observed as f64 / expected))
        } else {
            String::new()
        },
        if shown.len() < pairs.len() {
            format!("(every {stride}th pair drawn: {})", shown.len())
        } else {
            String::new()
        },
    ];
    for (i, l) in lines.iter().filter(|l| !l.is_empty()).enumerate() {
        svg.text("summary", tx, area.top + 20.0 + 22.0 * i as f64, "start", "", l);
    }
    svg.finish()
}

fn beneficiaries(
    g: &LikeGraph,
    ctx: &PlotContext,
    c: &Cluster,
    block: &BlockStatement,
    likes: &[u32],
    w: Interaction,
) -> String {
    let (nouns, objects) = (w.nouns(), w.objects());
    let mut per_post: std::collections::BTreeMap<u32, u64> = Default::default();
    for &id in likes {
        *per_post.entry(g.like_post(id)).or_insert(0) += 1;
    }
    let mut posts: Vec<(u32, u64, u64)> = block
        .bursts
        .iter()
        .map(|b| {
            (
                b.post,
                per_post.get(&b.post).copied().unwrap_or(0),
                g.post_degree(b.post) as u64,
            )
        })
        .collect();
    posts.sort_by(|x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)).then(x.0.cmp(&y.0)));
    let mut per_author: std::collections::BTreeMap<u32, u64> = Default::default();
    for &(p, k, _) in &posts {
        if let Some(a) = g.author_of(p) {
            *per_author.entry(a).or_insert(0) += k;
        }
    }
    let mut authors: Vec<(u32, u64, u64)> = per_author
        .into_iter()
        .map(|(a, k)| (a, k, ctx.author_likes[a as usize]))
        .collect();
    authors.sort_by(|x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)).then(x.0.cmp(&y.0)));
    let n_posts = posts.len().min(TOP_BENEFICIARIES);
    let n_authors = authors.len().min(TOP_BENEFICIARIES);
    let bar_h = 18.0;
    let panel = |rows: usize| 30.0 + rows as f64 * (bar_h + 6.0);
    let top = 66.0;
    let height = top
        + panel(n_posts)
        + if n_authors > 0 {
            panel(n_authors) + 10.0
        } else {
            0.0
        }
        + 20.0;
    let mut svg = Svg::new(
        "beneficiaries",
        height,
        &format!("Cluster {}: who benefited", c.id),
        &format!(
            "The {objects} (and their authors) that received the most {nouns} from the cluster; the coloured part of each bar is the {nouns} from the cluster, the grey part the {nouns} from everyone else."
        ),
    );
    let _ = write!(
        svg.buf,
        r##"<g class="legend"><rect x="250" y="34" width="10" height="10" fill="{CLUSTER_COLOUR}"/><rect x="470" y="34" width="10" height="10" fill="#ccc"/></g>"##
    );
    svg.text(
        "legend-label",
        266.0,
        43.0,
        "start",
        "",
        &format!("{nouns} from this cluster"),
    );
    svg.text(
        "legend-label",
        486.0,
        43.0,
        "start",
        "",
        &format!("{nouns} from everyone else"),
    );
    let left = 250.0;
    let width = WIDTH - left - 150.0;
    let mut y = top;
    let draw = |svg: &mut Svg, y: &mut f64, heading: String, kind: &str, rows: &[(String, u64, u64)]| {
        svg.text(
            "panel-title",
            12.0,
            *y + 12.0,
            "start",
            r#" font-weight="bold""#,
            &heading,
        );
        *y += 24.0;
        let max_total = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1) as f64;
        for (label, k, total) in rows {
            let wk = *k as f64 / max_total * width;
            let wt = *total as f64 / max_total * width;
            svg.text(
                &format!("{kind}-label"),
                left - 8.0,
                *y + 13.0,
                "end",
                "",
                &short(label, 36),
            );
            let _ = write!(
                svg.buf,
                r##"<rect class="bar rest {kind}" data-count="{}" x="{}" y="{}" width="{}" height="{bar_h}" fill="#ccc"/><rect class="bar from-cluster {kind}" data-count="{k}" x="{}" y="{}" width="{}" height="{bar_h}" fill="{CLUSTER_COLOUR}"><title>{}: {k} of its {total} {nouns} from this cluster</title></rect>"##,
                total - k,
                r1(left),
                r1(*y),
                r1(wt),
                r1(left),
                r1(*y),
                r1(wk),
                esc(label),
            );
            svg.text(
                "bar-value",
                left + wt + 6.0,
                *y + 13.0,
                "start",
                "",
                &format!(
                    "{k} of {total} ({:.0} %)",
                    if *total > 0 {
                        100.0 * *k as f64 / *total as f64
                    } else {
                        0.0
                    }
                ),
            );
            *y += bar_h + 6.0;
        }
        *y += 10.0;
    };
    let post_rows: Vec<(String, u64, u64)> = posts[..n_posts]
        .iter()
        .map(|&(p, k, total)| {
            let label = match g.author_of(p) {
                Some(a) => format!(
                    "{} by {}",
                    isolate(&g.posts[p as usize]),
                    isolate(&g.authors[a as usize])
                ),
                None => isolate(&g.posts[p as usize]),
            };
            (label, k, total)
        })
        .collect();
    draw(
        &mut svg,
        &mut y,
        format!(
            "{}: the {} of {} {objects} with the most {nouns} from the cluster",
            crate::vocab::capitalized(objects),
            n_posts,
            posts.len()
        ),
        "post",
        &post_rows,
    );
    if n_authors > 0 {
        let author_rows: Vec<(String, u64, u64)> = authors[..n_authors]
            .iter()
            .map(|&(a, k, total)| (isolate(&g.authors[a as usize]), k, total))
            .collect();
        draw(
            &mut svg,
            &mut y,
            format!(
                "Authors: the {} of {} authors with the most {nouns} from the cluster (against all their {nouns})",
                n_authors,
                authors.len()
            ),
            "author",
            &author_rows,
        );
    }
    svg.finish()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::evidence::{cluster_block, tests::Fixture, tests::farm_csv};
    use std::collections::BTreeMap;

    /// An element of a parsed SVG: its name, attributes and direct text.
    #[derive(Debug, Default, Clone)]
    pub(crate) struct El {
        pub name: String,
        pub attrs: BTreeMap<String, String>,
        pub text: String,
        pub title: String,
    }

    impl El {
        pub(crate) fn has_class(&self, class: &str) -> bool {
            self.attrs
                .get("class")
                .is_some_and(|c| c.split_whitespace().any(|x| x == class))
        }
        pub(crate) fn num(&self, attr: &str) -> f64 {
            self.attrs[attr].parse().unwrap()
        }
    }

    /// Parse an SVG document strictly (quick-xml) into its elements in document order; a
    /// `<title>` child's text goes to its parent's `title`.
    pub(crate) fn parse_svg(svg: &str) -> Vec<El> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let mut out: Vec<El> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let element = |e: &quick_xml::events::BytesStart<'_>| El {
            name: e.name().as_ref().to_string(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::default())
                            .unwrap()
                            .into_owned(),
                    )
                })
                .collect(),
            ..Default::default()
        };
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => {
                    out.push(element(&e));
                    stack.push(out.len() - 1);
                }
                Event::Empty(e) => out.push(element(&e)),
                Event::End(_) => {
                    let i = stack.pop().unwrap();
                    if out[i].name == "title"
                        && let Some(&parent) = stack.last()
                    {
                        out[parent].title = out[i].text.clone();
                    }
                }
                Event::Text(t) => {
                    if let Some(&i) = stack.last() {
                        out[i].text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(&i) = stack.last() {
                        let ch = match r.clone().into_inner().as_ref() {
                            "amp" => "&".to_string(),
                            "lt" => "<".to_string(),
                            "gt" => ">".to_string(),
                            "quot" => "\"".to_string(),
                            "apos" => "'".to_string(),
                            _ => r.resolve_char_ref().unwrap().unwrap().to_string(),
                        };
                        out[i].text.push_str(&ch);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements");
        out
    }

    fn farm_plots(bot: &str) -> (Fixture, ClusterPlots) {
        let f = Fixture::new(&farm_csv(bot));
        let plots = {
            let r = f.results();
            let c = &r.detection.clusters[0];
            assert!(c.flagged);
            let block = cluster_block(c);
            cluster_plots(&r, &PlotContext::new(r.graph), c, block)
        };
        (f, plots)
    }

    #[test]
    fn raster_has_one_mark_per_like_in_lockstep_stripes() {
        let (_f, plots) = farm_plots("b1");
        let els = parse_svg(&plots.raster);
        assert_eq!(els[0].name, "svg");
        let marks: Vec<&El> = els.iter().filter(|e| e.has_class("like")).collect();
        assert_eq!(marks.len(), 24, "one mark per like of the 4 bots on the 6 posts");
        assert!(marks.iter().all(|m| m.name == "rect"));
        // Six posts, six colours, four marks each, stacked in one stripe (30 s over 5 days).
        let mut by_post: BTreeMap<String, Vec<&El>> = BTreeMap::new();
        for m in &marks {
            by_post.entry(m.attrs["data-post"].clone()).or_default().push(m);
        }
        assert_eq!(by_post.len(), 6);
        let mut fills = std::collections::BTreeSet::new();
        for (k, group) in &by_post {
            assert_eq!(group.len(), 4, "post {k}");
            let xs: Vec<f64> = group.iter().map(|m| m.num("x")).collect();
            let spread =
                xs.iter().cloned().fold(f64::MIN, f64::max) - xs.iter().cloned().fold(f64::MAX, f64::min);
            assert!(spread < 1.0, "post {k} spread {spread}");
            let ys: std::collections::BTreeSet<String> = group.iter().map(|m| m.attrs["y"].clone()).collect();
            assert_eq!(ys.len(), 4, "one row per account");
            fills.insert(group[0].attrs["fill"].clone());
        }
        assert_eq!(fills.len(), 6);
        // Names are isolated (FSI … PDI), so that a right-to-left name cannot reorder the rest.
        assert_eq!(
            marks[0].title,
            "\u{2068}b1\u{2069} liked \u{2068}p1\u{2069} at 2023-11-14T22:13:20Z"
        );
        let text = |class: &str| -> Vec<String> {
            els.iter()
                .filter(|e| e.has_class(class))
                .map(|e| e.text.clone())
                .collect()
        };
        assert_eq!(
            text("x-label"),
            ["time (UTC), 2023-11-14T22:13:20Z to 2023-11-19T22:13:50Z"]
        );
        assert_eq!(text("y-label"), ["account (4 in the cluster)"]);
        assert_eq!(
            text("account-label"),
            ["b1", "b2", "b3", "b4"].map(crate::text::isolate)
        );
        assert!(text("tick-label").len() >= 3);
        assert!(
            text("legend-label")[0]
                .starts_with("\u{2068}p1\u{2069} by \u{2068}author0\u{2069} · 4 likes in a burst of 30 s")
        );
    }

    #[test]
    fn delays_colikes_and_beneficiaries_hold_the_cluster_numbers() {
        let (_f, plots) = farm_plots("b1");
        let els = parse_svg(&plots.delays);
        let sum = |class: &str| -> u64 {
            els.iter()
                .filter(|e| e.has_class("bar") && e.has_class(class))
                .map(|e| e.attrs["data-count"].parse::<u64>().unwrap())
                .sum()
        };
        assert_eq!(els.iter().filter(|e| e.has_class("bar")).count(), 20);
        // The 24 bot likes, and the 18 audience likes of the farm posts plus the 138 likes
        // on the other posts.
        assert_eq!((sum("cluster"), sum("others")), (24, 156));
        // The bots' likes come 0, 10, 20 and 30 s after each post's first like.
        let cluster: Vec<u64> = els
            .iter()
            .filter(|e| e.has_class("cluster") && e.name == "rect")
            .map(|e| e.attrs["data-count"].parse().unwrap())
            .collect();
        assert_eq!(cluster, [6, 0, 6, 12, 0, 0, 0, 0, 0, 0]);
        assert!(
            els.iter()
                .any(|e| e.has_class("x-label") && e.text == "delay after the post's first like")
        );
        assert!(
            els.iter()
                .any(|e| e.has_class("y-label") && e.text == "share of likes")
        );

        let els = parse_svg(&plots.colikes);
        let pairs: Vec<&El> = els.iter().filter(|e| e.has_class("pair")).collect();
        assert_eq!(pairs.len(), 6);
        for p in &pairs {
            assert_eq!(p.attrs["data-observed"], "6");
            let expected: f64 = p.num("data-expected");
            assert!(expected < 1.0);
            // Far above the diagonal: y (observed) is higher on the page than x (expected).
            assert!(p.num("cy") < 66.0 + 300.0 - (p.num("cx") - 90.0));
        }
        assert!(els.iter().any(|e| e.has_class("chance")));
        assert!(
            els.iter()
                .any(|e| e.has_class("summary") && e.text == "co-likes observed: 36")
        );
        assert!(
            els.iter()
                .any(|e| e.has_class("x-label") && e.text.contains("expected by chance"))
        );
        assert!(
            els.iter()
                .any(|e| e.has_class("y-label") && e.text == "co-likes observed")
        );

        let els = parse_svg(&plots.beneficiaries);
        let bars = |kind: &str| -> Vec<u64> {
            els.iter()
                .filter(|e| e.has_class("from-cluster") && e.has_class(kind))
                .map(|e| e.attrs["data-count"].parse().unwrap())
                .collect()
        };
        assert_eq!(bars("post"), [4; 6]);
        assert_eq!(bars("author"), [4; 6]);
        let labels: Vec<&str> = els
            .iter()
            .filter(|e| e.has_class("post-label"))
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(labels[0], "\u{2068}p1\u{2069} by \u{2068}author0\u{2069}");
    }

    #[test]
    fn names_with_markup_stay_text() {
        let name = "<script>alert(1)</script>";
        let (_f, plots) = farm_plots(name);
        for (plot, svg) in plots.named() {
            assert!(!svg.contains("<script"), "{plot}");
            let els = parse_svg(svg);
            assert!(els.iter().all(|e| e.name != "script"), "{plot}");
        }
        let els = parse_svg(&plots.raster);
        assert!(els.iter().any(|e| e.has_class("like")
            && e.title
                == format!("\u{2068}{name}\u{2069} liked \u{2068}p1\u{2069} at 2023-11-14T22:13:20Z")));
        assert!(plots.raster.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>\u{1}"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }

    #[test]
    fn numbers_and_ticks_read_well() {
        assert_eq!(num(36.0), "36");
        assert_eq!(num(0.0234), "0.0234");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(12345.6), "12\u{202F}346");
        assert_eq!(num(1e-7), "1.0e-7");
        let t0 = 1_700_000_000_000;
        let ticks = time_ticks(Clock::Timestamps, t0, t0 + 5 * 86_400_000);
        assert!(ticks.len() >= 3 && ticks.len() <= 7, "{ticks:?}");
        assert!(ticks[0].1.starts_with("2023-11-1"), "{ticks:?}");
        let short_ticks = time_ticks(Clock::Timestamps, t0, t0 + 30_000);
        assert_eq!(short_ticks[0].1, "22:13:20");
        let logical = time_ticks(Clock::Logical, 0, 50);
        assert_eq!(logical.first().map(|t| t.0), Some(0));
    }
}
