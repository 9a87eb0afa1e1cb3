//! What GEXF and GraphML share: a typed attribute graph ([`GraphDoc`]) and the cleaning of text
//! for XML 1.0 — characters XML forbids even when escaped are dropped and counted; escaping
//! itself is done by quick-xml.

use serde::Serialize;
use std::cell::Cell;

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
    /// GraphML `attr.type`.
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
    /// Attribute name (title).
    pub name: &'static str,
    /// Its type.
    pub ty: AttrType,
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
    pub fn render(&self) -> Option<String> {
        match self {
            AttrValue::Long(x) => Some(x.to_string()),
            AttrValue::Double(x) if x.is_finite() => Some(crate::export::table::format_float(*x)),
            AttrValue::Double(_) => None,
            AttrValue::Bool(b) => Some(b.to_string()),
            AttrValue::Text(s) => Some(s.clone()),
            AttrValue::Missing => None,
        }
    }
}

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A node of a graph file.
#[derive(Debug, Clone, PartialEq)]
pub struct DocNode {
    /// Stable id (`a12`, `p7`).
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
}

/// Counts of what XML cleaning changed, for the manifest.
#[derive(Debug, Default, Serialize)]
pub struct XmlCleaning {
    /// Characters dropped because XML 1.0 forbids them (control characters, U+FFFE, U+FFFF).
    pub dropped_chars: Cell<u64>,
}

/// True for characters XML 1.0 allows.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

impl XmlCleaning {
    /// Drop characters XML 1.0 forbids, counting them. Escaping is left to quick-xml.
    pub fn clean<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if s.chars().all(xml_allowed) {
            return std::borrow::Cow::Borrowed(s);
        }
        let mut dropped = 0u64;
        let out: String = s
            .chars()
            .filter(|&c| {
                let ok = xml_allowed(c);
                if !ok {
                    dropped += 1;
                }
                ok
            })
            .collect();
        self.dropped_chars.set(self.dropped_chars.get() + dropped);
        std::borrow::Cow::Owned(out)
    }
}

/// A fixed palette of distinguishable colours for clusters; grey for "no cluster".
pub fn cluster_color(cluster: u32) -> Rgb {
    const PALETTE: [Rgb; 12] = [
        Rgb(228, 26, 28),
        Rgb(55, 126, 184),
        Rgb(77, 175, 74),
        Rgb(152, 78, 163),
        Rgb(255, 127, 0),
        Rgb(166, 86, 40),
        Rgb(247, 129, 191),
        Rgb(27, 158, 119),
        Rgb(217, 95, 2),
        Rgb(117, 112, 179),
        Rgb(102, 166, 30),
        Rgb(230, 171, 2),
    ];
    if cluster == 0 {
        Rgb(190, 190, 190)
    } else {
        PALETTE[(cluster as usize - 1) % PALETTE.len()]
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
        assert_eq!(c.clean("tab\tok"), "tab\tok");
    }
}
