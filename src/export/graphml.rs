//! GraphML 1.0 writer with typed keys (`boolean|int|long|float|double|string` only), plus
//! `label`, colour (`r`, `g`, `b`), `size` and position (`x`, `y`) keys — the names Gephi's
//! GraphML importer maps to its own visual properties, and graphology turns r/g/b into `color`.
//!
//! GraphML has no standard for time, so dynamic spells are GEXF only; node attributes
//! `first_like` and `last_like` carry the times in both formats. Validates against the GraphML
//! 1.0 XSD.

use super::xml::{AttrType, AttrValue, GraphDoc, XmlOut, fixed};
use std::io::{self, Write};

struct Key {
    id: String,
    name: String,
    ty: AttrType,
}

/// Write `doc` as GraphML to `out`. Text should have been cleaned ([`GraphDoc::clean`]).
pub fn write_graphml<W: Write>(doc: &GraphDoc, out: W) -> io::Result<W> {
    let mut w = XmlOut::new(out);
    w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    w.raw(concat!(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"",
        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
        " xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns",
        " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
    ))?;

    let has_color = doc.nodes.iter().any(|n| n.color.is_some());
    let has_size = doc.nodes.iter().any(|n| n.size.is_some());
    let has_position = doc.nodes.iter().any(|n| n.position.is_some());
    let mut fixed_node: Vec<(&str, AttrType)> = vec![("label", AttrType::Text)];
    if has_color {
        fixed_node.extend([
            ("r", AttrType::Long),
            ("g", AttrType::Long),
            ("b", AttrType::Long),
        ]);
    }
    if has_size {
        fixed_node.push(("size", AttrType::Double));
    }
    if has_position {
        fixed_node.extend([("x", AttrType::Double), ("y", AttrType::Double)]);
    }
    let node_keys: Vec<Key> = fixed_node
        .iter()
        .map(|&(n, t)| (n.to_string(), t))
        .chain(doc.node_attrs.iter().map(|d| (d.name.clone(), d.ty)))
        .enumerate()
        .map(|(i, (name, ty))| Key {
            id: format!("n{i}"),
            name,
            ty,
        })
        .collect();
    let edge_keys: Vec<Key> = std::iter::once(("weight".to_string(), AttrType::Double))
        .chain(doc.edge_attrs.iter().map(|d| (d.name.clone(), d.ty)))
        .enumerate()
        .map(|(i, (name, ty))| Key {
            id: format!("d{i}"),
            name,
            ty,
        })
        .collect();
    for (domain, keys) in [("node", &node_keys), ("edge", &edge_keys)] {
        for k in keys {
            w.raw("  <key")?;
            w.attr("id", &k.id)?;
            w.attr("for", domain)?;
            w.attr("attr.name", &k.name)?;
            w.attr("attr.type", k.ty.graphml())?;
            w.raw("/>\n")?;
        }
    }
    w.raw("  <graph id=\"lockstep\" edgedefault=\"undirected\">\n")?;
    w.element_text("    ", "desc", &doc.description)?;

    let mut values: Vec<AttrValue> = Vec::new();
    for node in &doc.nodes {
        w.raw("    <node")?;
        w.attr("id", &node.id)?;
        w.raw(">\n")?;
        values.clear();
        values.push(AttrValue::Text(node.label.clone()));
        if has_color {
            let c = node.color;
            values.push(c.map_or(AttrValue::Missing, |c| AttrValue::Long(c.0 as i64)));
            values.push(c.map_or(AttrValue::Missing, |c| AttrValue::Long(c.1 as i64)));
            values.push(c.map_or(AttrValue::Missing, |c| AttrValue::Long(c.2 as i64)));
        }
        if has_size {
            values.push(
                node.size
                    .map_or(AttrValue::Missing, |s| AttrValue::Text(fixed(s.max(0.0), 2))),
            );
        }
        if has_position {
            let p = node.position;
            values.push(p.map_or(AttrValue::Missing, |p| AttrValue::Text(fixed(p.0, 2))));
            values.push(p.map_or(AttrValue::Missing, |p| AttrValue::Text(fixed(p.1, 2))));
        }
        values.extend(node.attrs.iter().cloned());
        write_data(&mut w, &node_keys, &values)?;
        w.raw("    </node>\n")?;
    }
    for (i, edge) in doc.edges.iter().enumerate() {
        w.raw("    <edge")?;
        w.attr("id", &format!("e{i}"))?;
        w.attr("source", &doc.nodes[edge.source].id)?;
        w.attr("target", &doc.nodes[edge.target].id)?;
        w.raw(">\n")?;
        values.clear();
        values.push(AttrValue::Double(edge.weight));
        values.extend(edge.attrs.iter().cloned());
        write_data(&mut w, &edge_keys, &values)?;
        w.raw("    </edge>\n")?;
    }
    w.raw("  </graph>\n</graphml>\n")?;
    w.finish()
}

fn write_data<W: Write>(w: &mut XmlOut<W>, keys: &[Key], values: &[AttrValue]) -> io::Result<()> {
    for (k, v) in keys.iter().zip(values) {
        if let Some(text) = v.render() {
            w.raw("      <data")?;
            w.attr("key", &k.id)?;
            w.raw(">")?;
            w.text(&text)?;
            w.raw("</data>\n")?;
        }
    }
    Ok(())
}
