//! What GEXF and GraphML share: a typed attribute graph ([`GraphDoc`]), the cleaning of text for
//! XML 1.0 and a small escaping writer ([`XmlOut`]).
//!
//! Account and post names are chosen by whoever runs the accounts, so every name is hostile:
//! characters XML 1.0 forbids even as character references (C0 controls other than tab, LF and
//! CR; U+FFFE; U+FFFF) are dropped and counted ([`XmlCleaning`], once per value, before any file
//! is written); everything else is kept and escaped. In attribute values tab, LF and CR are
//! written as character references so that XML attribute-value normalisation does not turn them
//! into spaces; in text CR is, so that line-end normalisation keeps it. A reader thus gets back
//! exactly the cleaned name.

use crate::text::{Markup, escape_xml};
use serde::Serialize;
use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, Write};

/// Attribute types, mapped to GEXF and GraphML type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// 64-bit integer (GEXF `long`, GraphML `long`).
    Long,
    /// 64-bit float (`double`).
    Double,
    /// `boolean`.
    Boolean,
    /// `string`.
    Text,
}

impl AttrType {
    /// GEXF 1.3 attribute type name.
    pub fn gexf(self) -> &'static str {
        match self {
            AttrType::Long => "long",
            AttrType::Double => "double",
            AttrType::Boolean => "boolean",
            AttrType::Text => "string",
        }
    }
    /// GraphML `attr.type` (one of `boolean|int|long|float|double|string`).
    pub fn graphml(self) -> &'static str {
        match self {
            AttrType::Long => "long",
            AttrType::Double => "double",
            AttrType::Boolean => "boolean",
            AttrType::Text => "string",
        }
    }
}

/// A declared attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrDef {
    /// Attribute name (GEXF title, GraphML attr.name).
    pub name: String,
    /// Its type.
    pub ty: AttrType,
}

impl AttrDef {
    /// A declaration.
    pub fn new(name: impl Into<String>, ty: AttrType) -> Self {
        AttrDef {
            name: name.into(),
            ty,
        }
    }
}

/// One attribute value; `Missing` writes nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// Integer.
    Long(i64),
    /// Float (non-finite values are written as missing).
    Double(f64),
    /// Boolean.
    Bool(bool),
    /// Text.
    Text(String),
    /// No value.
    Missing,
}

impl AttrValue {
    /// The value as XML attribute text, or None when missing.
    pub fn render(&self) -> Option<Cow<'_, str>> {
        match self {
            AttrValue::Long(x) => Some(Cow::Owned(x.to_string())),
            AttrValue::Double(x) if x.is_finite() => Some(Cow::Owned(crate::export::table::format_float(*x))),
            AttrValue::Double(_) => None,
            AttrValue::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            AttrValue::Text(s) => Some(Cow::Borrowed(s)),
            AttrValue::Missing => None,
        }
    }
}

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Mix with white: `t` = 0 keeps the colour, 1 gives white.
    pub fn lighten(self, t: f64) -> Rgb {
        let mix = |c: u8| (c as f64 + (255.0 - c as f64) * t).round().clamp(0.0, 255.0) as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// A time interval `[start, end]` (inclusive) in the graph's clock units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Spell {
    /// Start.
    pub start: i64,
    /// End (≥ start).
    pub end: i64,
}

/// Sort spells and merge those that overlap or touch: Gephi refuses overlapping intervals on one
/// element.
pub fn merge_spells(mut spells: Vec<Spell>) -> Vec<Spell> {
    spells.sort_unstable();
    let mut out: Vec<Spell> = Vec::with_capacity(spells.len());
    for s in spells {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// How spell times are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeFormat {
    /// Milliseconds since the epoch written as `xsd:dateTime` in UTC (GEXF `timeformat="date"`).
    Date,
    /// Logical positions written as numbers (GEXF `timeformat="double"`).
    Double,
}

impl TimeFormat {
    /// The GEXF `timeformat` value.
    ///
    /// Real timestamps are declared `date` although the values carry the time of day
    /// (`2023-11-14T22:13:20Z`, valid for the 1.3 schema's time type): networkx's `read_gexf`
    /// has no converter for `dateTime` and fails on any spell under it, while Gephi parses both
    /// with the same ISO parser (the declaration only changes how its timeline labels dates).
    pub fn gexf(self) -> &'static str {
        match self {
            TimeFormat::Date => "date",
            TimeFormat::Double => "double",
        }
    }

    /// One time as text.
    pub fn format(self, t: i64) -> String {
        match self {
            TimeFormat::Date => crate::input::time::format_ms(t),
            TimeFormat::Double => t.to_string(),
        }
    }
}

/// A node of a graph file.
#[derive(Debug, Clone, PartialEq)]
pub struct DocNode {
    /// Stable id (`a12`, `p7`): never derived from a name.
    pub id: String,
    /// Display label (the account or post name).
    pub label: String,
    /// Values in the order of [`GraphDoc::node_attrs`].
    pub attrs: Vec<AttrValue>,
    /// Colour.
    pub color: Option<Rgb>,
    /// Size.
    pub size: Option<f64>,
    /// Layout position.
    pub position: Option<(f64, f64)>,
    /// When the node exists (dynamic GEXF only), sorted and disjoint.
    pub spells: Vec<Spell>,
}

/// An edge of a graph file (indices into the node list).
#[derive(Debug, Clone, PartialEq)]
pub struct DocEdge {
    /// Source node index.
    pub source: usize,
    /// Target node index.
    pub target: usize,
    /// Weight.
    pub weight: f64,
    /// Values in the order of [`GraphDoc::edge_attrs`].
    pub attrs: Vec<AttrValue>,
    /// When the edge exists (dynamic GEXF only), sorted and disjoint.
    pub spells: Vec<Spell>,
}

/// A typed attribute graph, written as GEXF or GraphML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphDoc {
    /// What the graph is, for the file's description.
    pub description: String,
    /// Node attribute declarations.
    pub node_attrs: Vec<AttrDef>,
    /// Edge attribute declarations.
    pub edge_attrs: Vec<AttrDef>,
    /// Nodes.
    pub nodes: Vec<DocNode>,
    /// Edges (undirected).
    pub edges: Vec<DocEdge>,
    /// Dynamic mode: how spells are written (None = static graph, spells ignored).
    pub time: Option<TimeFormat>,
}

impl GraphDoc {
    /// Drop the characters XML forbids from every label and text value, counting them once.
    pub fn clean(&mut self, cleaning: &XmlCleaning) {
        let fix = |s: &mut String| {
            if let Cow::Owned(c) = cleaning.clean(s) {
                *s = c;
            }
        };
        fix(&mut self.description);
        for n in &mut self.nodes {
            fix(&mut n.id);
            fix(&mut n.label);
            for a in &mut n.attrs {
                if let AttrValue::Text(s) = a {
                    fix(s);
                }
            }
        }
        for e in &mut self.edges {
            for a in &mut e.attrs {
                if let AttrValue::Text(s) = a {
                    fix(s);
                }
            }
        }
    }
}

/// Counts of what XML cleaning changed, for the manifest.
#[derive(Debug, Default, Serialize)]
pub struct XmlCleaning {
    /// Characters dropped because XML 1.0 forbids them (control characters, U+FFFE, U+FFFF).
    pub dropped_chars: Cell<u64>,
    /// Values (names, labels, text attributes) that lost at least one character.
    pub cleaned_values: Cell<u64>,
}

pub use crate::text::xml_allowed;

impl XmlCleaning {
    /// Drop characters XML 1.0 forbids, counting them.
    pub fn clean<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if s.chars().all(xml_allowed) {
            return Cow::Borrowed(s);
        }
        let before = s.chars().count() as u64;
        let out: String = s.chars().filter(|&c| xml_allowed(c)).collect();
        let dropped = before - out.chars().count() as u64;
        self.dropped_chars.set(self.dropped_chars.get() + dropped);
        self.cleaned_values.set(self.cleaned_values.get() + 1);
        Cow::Owned(out)
    }
}

/// Escape `s` for a double-quoted XML attribute value. Characters XML forbids are dropped
/// (callers clean and count them beforehand; this is the last line of defence).
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    escape_xml(s, Markup::Attribute)
}

/// Escape `s` for XML character data (`]]>` cannot appear: `>` is always escaped).
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_xml(s, Markup::Text)
}

/// A number with a fixed number of decimals, without a negative zero, so files are
/// byte-identical across runs and platforms.
pub fn fixed(x: f64, decimals: usize) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A minimal XML writer: raw markup plus escaped attributes and text.
pub struct XmlOut<W: Write> {
    out: W,
}

impl<W: Write> XmlOut<W> {
    /// Wrap a writer.
    pub fn new(out: W) -> Self {
        XmlOut { out }
    }
    /// Markup as is (the caller guarantees it is well-formed).
    pub fn raw(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(s.as_bytes())
    }
    /// ` name="value"` with the value escaped.
    pub fn attr(&mut self, name: &str, value: &str) -> io::Result<()> {
        self.out.write_all(b" ")?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(b"=\"")?;
        self.out.write_all(escape_attr(value).as_bytes())?;
        self.out.write_all(b"\"")
    }
    /// Escaped character data.
    pub fn text(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(escape_text(s).as_bytes())
    }
    /// `<name>text</name>` on its own line after `indent`.
    pub fn element_text(&mut self, indent: &str, name: &str, text: &str) -> io::Result<()> {
        write!(self.out, "{indent}<{name}>")?;
        self.text(text)?;
        writeln!(self.out, "</{name}>")
    }
    /// Flush and return the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Flagged clusters: Paul Tol's "vibrant" qualitative scheme (grey left out), designed to stay
/// distinct for colour-blind readers. Every one is darker than every organic colour
/// ([`ORGANIC_COLORS`]), so flagged and organic clusters differ in lightness too, which no
/// kind of colour blindness hides; and no organic cluster ever shares a flagged colour.
pub const FLAGGED_COLORS: [Rgb; 6] = [
    Rgb(238, 119, 51),
    Rgb(0, 119, 187),
    Rgb(204, 51, 17),
    Rgb(51, 187, 238),
    Rgb(238, 51, 119),
    Rgb(0, 153, 136),
];

/// Organic (unflagged) clusters: Paul Tol's "pale" scheme, muted tones that recede behind
/// the flagged clusters.
pub const ORGANIC_COLORS: [Rgb; 5] = [
    Rgb(187, 204, 238),
    Rgb(204, 238, 255),
    Rgb(204, 221, 170),
    Rgb(238, 238, 187),
    Rgb(255, 204, 204),
];

/// Accounts in no cluster.
pub const NO_CLUSTER_COLOR: Rgb = Rgb(221, 221, 221);

/// The colour of cluster `cluster` (0 = no cluster), from its own palette for flagged and
/// organic clusters: a cluster keeps its colour as long as it keeps its number (the same input
/// and parameters give the same numbers), and a flagged colour never means an organic cluster.
pub fn cluster_color(cluster: u32, flagged: bool) -> Rgb {
    let k = cluster.saturating_sub(1) as usize;
    match (cluster, flagged) {
        (0, _) => NO_CLUSTER_COLOR,
        (_, true) => FLAGGED_COLORS[k % FLAGGED_COLORS.len()],
        (_, false) => ORGANIC_COLORS[k % ORGANIC_COLORS.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_and_counts_forbidden_characters() {
        let c = XmlCleaning::default();
        assert_eq!(c.clean("ok <tag> & \u{202E} 😀"), "ok <tag> & \u{202E} 😀");
        assert_eq!(c.clean("a\u{0}b\u{1b}c\u{FFFF}"), "abc");
        assert_eq!(c.dropped_chars.get(), 3);
        assert_eq!(c.cleaned_values.get(), 1);
        assert_eq!(c.clean("tab\tok\r\n"), "tab\tok\r\n");
        assert_eq!(c.clean("\u{7F}\u{85}\u{FFFD}"), "\u{7F}\u{85}\u{FFFD}");
        assert_eq!(c.dropped_chars.get(), 3);
    }

    #[test]
    fn escaping_keeps_names_exact_through_a_parser() {
        assert_eq!(
            escape_attr("=HYPERLINK(\"x\") <script>]]> &amp; 'q'\ta\nb\rc\u{1}"),
            "=HYPERLINK(&quot;x&quot;) &lt;script&gt;]]&gt; &amp;amp; &apos;q&apos;&#9;a&#10;b&#13;c"
        );
        assert_eq!(
            escape_text("]]> <b> & \r\n\t"),
            "]]&gt; &lt;b&gt; &amp; &#13;\n\t"
        );
        assert!(matches!(escape_attr("plain \u{202E} 😀"), Cow::Borrowed(_)));
        // quick-xml, an independent parser, reads back the original.
        let name = "a\"b'<c>&d\te\nf\rg ]]> \u{202E}x 😀";
        let doc = format!("<n v=\"{}\"/>", escape_attr(name));
        let mut reader = quick_xml::Reader::from_str(&doc);
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) => {
                let v = e.try_get_attribute("v").unwrap().unwrap();
                assert_eq!(
                    v.normalized_value(quick_xml::XmlVersion::Explicit1_0).unwrap(),
                    name
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spells_merge_when_they_overlap_or_touch() {
        let s = |start, end| Spell { start, end };
        assert_eq!(
            merge_spells(vec![s(5, 6), s(1, 2), s(2, 3), s(10, 10), s(4, 4)]),
            vec![s(1, 3), s(4, 4), s(5, 6), s(10, 10)]
        );
        assert_eq!(merge_spells(vec![s(1, 9), s(2, 3)]), vec![s(1, 9)]);
    }

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: Rgb) -> f64 {
        let lin = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    #[test]
    fn flagged_colours_are_their_own_and_stand_out_in_lightness() {
        let flagged: std::collections::HashSet<Rgb> = (1..=200).map(|c| cluster_color(c, true)).collect();
        let organic: std::collections::HashSet<Rgb> = (1..=200).map(|c| cluster_color(c, false)).collect();
        assert!(
            flagged.is_disjoint(&organic),
            "no organic cluster shares a flagged colour"
        );
        assert!(!flagged.contains(&cluster_color(0, false)) && !organic.contains(&cluster_color(0, true)));
        // Cluster 13 (the collision) and cluster 1: each keeps its own colour.
        assert_eq!(cluster_color(13, false), cluster_color(13, false));
        assert_ne!(cluster_color(13, false), cluster_color(1, true));
        // Neighbouring flagged clusters differ.
        for c in 1..200 {
            assert_ne!(cluster_color(c, true), cluster_color(c + 1, true));
        }
        // Even without any colour vision, flagged is darker: a clear luminance gap.
        let darkest_organic = organic
            .iter()
            .map(|&c| luminance(c))
            .fold(f64::INFINITY, f64::min);
        let lightest_flagged = flagged.iter().map(|&c| luminance(c)).fold(0.0, f64::max);
        assert!(
            darkest_organic - lightest_flagged > 0.1,
            "{lightest_flagged:.2} vs {darkest_organic:.2}"
        );
        assert!(luminance(NO_CLUSTER_COLOR) > lightest_flagged + 0.1);
    }

    #[test]
    fn fixed_precision_has_no_negative_zero() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(-1.005, 1), "-1.0");
        assert_eq!(fixed(12.345678, 2), "12.35");
        assert_eq!(fixed(f64::NAN, 2), "0.00");
    }
}
