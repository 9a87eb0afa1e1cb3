//! GEXF 1.3 writer (namespace `http://gexf.net/1.3`, viz `http://gexf.net/1.3/viz`): typed
//! attributes, colour as r/g/b (networkx cannot read hex-only colours), size, position and, in
//! dynamic mode, spells.
//!
//! The output validates against the official 1.3 RelaxNG schema (`gexf.rng`; the 1.3 XSD wrongly
//! rejects `viz:` elements). No `xsi:schemaLocation` (the RNG rejects it) and no modification
//! date, so identical runs give identical files.

use super::xml::{AttrValue, GraphDoc, Spell, TimeFormat, XmlOut, fixed};
use std::io::{self, Write};

/// Decimals of `viz:position` and `viz:size`.
const DECIMALS: usize = 2;

/// Write `doc` as GEXF 1.3 to `out`. Text should have been cleaned ([`GraphDoc::clean`]).
pub fn write_gexf<W: Write>(doc: &GraphDoc, out: W) -> io::Result<W> {
    let mut w = XmlOut::new(out);
    w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    w.raw("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n")?;
    w.raw("  <meta>\n")?;
    w.element_text("    ", "creator", concat!("lockstep ", env!("CARGO_PKG_VERSION")))?;
    w.element_text("    ", "description", &doc.description)?;
    w.raw("  </meta>\n")?;
    w.raw("  <graph defaultedgetype=\"undirected\"")?;
    match doc.time {
        Some(tf) => {
            w.attr("mode", "dynamic")?;
            w.attr("timeformat", tf.gexf())?;
            w.attr("timerepresentation", "interval")?;
        }
        None => w.attr("mode", "static")?,
    }
    w.raw(">\n")?;

    for (class, defs) in [("node", &doc.node_attrs), ("edge", &doc.edge_attrs)] {
        if defs.is_empty() {
            continue;
        }
        w.raw("    <attributes")?;
        w.attr("class", class)?;
        w.raw(">\n")?;
        for (i, def) in defs.iter().enumerate() {
            w.raw("      <attribute")?;
            w.attr("id", &i.to_string())?;
            w.attr("title", &def.name)?;
            w.attr("type", def.ty.gexf())?;
            w.raw("/>\n")?;
        }
        w.raw("    </attributes>\n")?;
    }

    w.raw("    <nodes")?;
    w.attr("count", &doc.nodes.len().to_string())?;
    w.raw(">\n")?;
    for node in &doc.nodes {
        w.raw("      <node")?;
        w.attr("id", &node.id)?;
        w.attr("label", &node.label)?;
        w.raw(">\n")?;
        write_attvalues(&mut w, &node.attrs)?;
        if let Some(tf) = doc.time {
            write_spells(&mut w, tf, &node.spells)?;
        }
        if let Some(c) = node.color {
            w.raw(&format!(
                "        <viz:color r=\"{}\" g=\"{}\" b=\"{}\"/>\n",
                c.0, c.1, c.2
            ))?;
        }
        if let Some((x, y)) = node.position {
            w.raw(&format!(
                "        <viz:position x=\"{}\" y=\"{}\" z=\"0.0\"/>\n",
                fixed(x, DECIMALS),
                fixed(y, DECIMALS)
            ))?;
        }
        if let Some(s) = node.size {
            w.raw(&format!(
                "        <viz:size value=\"{}\"/>\n",
                fixed(s.max(0.0), DECIMALS)
            ))?;
        }
        w.raw("      </node>\n")?;
    }
    w.raw("    </nodes>\n")?;

    w.raw("    <edges")?;
    w.attr("count", &doc.edges.len().to_string())?;
    w.raw(">\n")?;
    for (i, edge) in doc.edges.iter().enumerate() {
        w.raw("      <edge")?;
        w.attr("id", &i.to_string())?;
        w.attr("source", &doc.nodes[edge.source].id)?;
        w.attr("target", &doc.nodes[edge.target].id)?;
        let weight = if edge.weight.is_finite() { edge.weight } else { 0.0 };
        w.attr("weight", &super::table::format_float(weight))?;
        let has_values = edge.attrs.iter().any(|a| a.render().is_some());
        let has_spells = doc.time.is_some() && !edge.spells.is_empty();
        if !has_values && !has_spells {
            w.raw("/>\n")?;
            continue;
        }
        w.raw(">\n")?;
        write_attvalues(&mut w, &edge.attrs)?;
        if let Some(tf) = doc.time {
            write_spells(&mut w, tf, &edge.spells)?;
        }
        w.raw("      </edge>\n")?;
    }
    w.raw("    </edges>\n")?;
    w.raw("  </graph>\n</gexf>\n")?;
    w.finish()
}

fn write_attvalues<W: Write>(w: &mut XmlOut<W>, values: &[AttrValue]) -> io::Result<()> {
    if values.iter().all(|v| v.render().is_none()) {
        return Ok(());
    }
    w.raw("        <attvalues>\n")?;
    for (i, v) in values.iter().enumerate() {
        if let Some(text) = v.render() {
            w.raw("          <attvalue")?;
            w.attr("for", &i.to_string())?;
            w.attr("value", &text)?;
            w.raw("/>\n")?;
        }
    }
    w.raw("        </attvalues>\n")
}

fn write_spells<W: Write>(w: &mut XmlOut<W>, tf: TimeFormat, spells: &[Spell]) -> io::Result<()> {
    if spells.is_empty() {
        return Ok(());
    }
    w.raw("        <spells>\n")?;
    for s in spells {
        w.raw("          <spell")?;
        w.attr("start", &tf.format(s.start))?;
        w.attr("end", &tf.format(s.end))?;
        w.raw("/>\n")?;
    }
    w.raw("        </spells>\n")
}
