//! GEXF 1.3 writer (namespace `http://gexf.net/1.3`, viz `http://gexf.net/1.3/viz`): typed
//! attributes, colour as r/g/b (networkx cannot read hex-only colours), size and position.
//! No `xsi:schemaLocation` and no modification date, so identical runs give identical files.

use super::xml::{GraphDoc, XmlCleaning};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{self, Write};

/// Write `doc` as GEXF 1.3 to `out`. Text is cleaned with `cleaning`.
pub fn write_gexf<W: Write>(doc: &GraphDoc, out: W, cleaning: &XmlCleaning) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("gexf");
    root.push_attribute(("xmlns", "http://gexf.net/1.3"));
    root.push_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"));
    root.push_attribute(("version", "1.3"));
    w.write_event(Event::Start(root))?;

    w.create_element("meta").write_inner_content(|w| {
        w.create_element("creator")
            .write_text_content(BytesText::new(concat!("lockstep ", env!("CARGO_PKG_VERSION"))))?;
        w.create_element("description")
            .write_text_content(BytesText::new(&cleaning.clean(&doc.description)))?;
        Ok(())
    })?;

    let mut graph = BytesStart::new("graph");
    graph.push_attribute(("defaultedgetype", "undirected"));
    graph.push_attribute(("mode", "static"));
    w.write_event(Event::Start(graph))?;

    for (class, defs) in [("node", &doc.node_attrs), ("edge", &doc.edge_attrs)] {
        if defs.is_empty() {
            continue;
        }
        w.create_element("attributes")
            .with_attribute(("class", class))
            .write_inner_content(|w| {
                for (i, def) in defs.iter().enumerate() {
                    w.create_element("attribute")
                        .with_attribute(("id", i.to_string().as_str()))
                        .with_attribute(("title", def.name))
                        .with_attribute(("type", def.ty.gexf()))
                        .write_empty()?;
                }
                Ok(())
            })?;
    }

    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for node in &doc.nodes {
        let mut start = BytesStart::new("node");
        start.push_attribute(("id", cleaning.clean(&node.id).as_ref()));
        start.push_attribute(("label", cleaning.clean(&node.label).as_ref()));
        w.write_event(Event::Start(start))?;
        write_attvalues(&mut w, &node.attrs, cleaning)?;
        if let Some(c) = node.color {
            w.create_element("viz:color")
                .with_attribute(("r", c.0.to_string().as_str()))
                .with_attribute(("g", c.1.to_string().as_str()))
                .with_attribute(("b", c.2.to_string().as_str()))
                .write_empty()?;
        }
        if let Some((x, y)) = node.position {
            w.create_element("viz:position")
                .with_attribute(("x", format!("{x:.3}").as_str()))
                .with_attribute(("y", format!("{y:.3}").as_str()))
                .with_attribute(("z", "0.0"))
                .write_empty()?;
        }
        if let Some(s) = node.size {
            w.create_element("viz:size")
                .with_attribute(("value", format!("{s:.3}").as_str()))
                .write_empty()?;
        }
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;

    w.write_event(Event::Start(BytesStart::new("edges")))?;
    for (i, edge) in doc.edges.iter().enumerate() {
        let mut start = BytesStart::new("edge");
        start.push_attribute(("id", i.to_string().as_str()));
        start.push_attribute(("source", cleaning.clean(&doc.nodes[edge.source].id).as_ref()));
        start.push_attribute(("target", cleaning.clean(&doc.nodes[edge.target].id).as_ref()));
        let weight = if edge.weight.is_finite() { edge.weight } else { 0.0 };
        start.push_attribute(("weight", super::table::format_float(weight).as_str()));
        if edge.attrs.iter().all(|a| a.render().is_none()) {
            w.write_event(Event::Empty(start))?;
        } else {
            w.write_event(Event::Start(start))?;
            write_attvalues(&mut w, &edge.attrs, cleaning)?;
            w.write_event(Event::End(BytesEnd::new("edge")))?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))?;
    w.get_mut().write_all(b"\n")?;
    Ok(())
}

fn write_attvalues<W: Write>(
    w: &mut Writer<W>,
    values: &[super::xml::AttrValue],
    cleaning: &XmlCleaning,
) -> io::Result<()> {
    if values.iter().all(|v| v.render().is_none()) {
        return Ok(());
    }
    w.write_event(Event::Start(BytesStart::new("attvalues")))?;
    for (i, v) in values.iter().enumerate() {
        if let Some(text) = v.render() {
            w.create_element("attvalue")
                .with_attribute(("for", i.to_string().as_str()))
                .with_attribute(("value", cleaning.clean(&text).as_ref()))
                .write_empty()?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("attvalues")))?;
    Ok(())
}
