//! GraphML 1.0 writer with typed keys (`boolean|int|long|float|double|string` only), plus
//! label, colour (r, g, b) and size keys so Gephi and yEd users see the same picture.

use super::xml::{AttrType, AttrValue, GraphDoc, XmlCleaning};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{self, Write};

struct Key {
    id: String,
    domain: &'static str,
    name: &'static str,
    ty: AttrType,
}

/// Write `doc` as GraphML to `out`. Text is cleaned with `cleaning`.
pub fn write_graphml<W: Write>(doc: &GraphDoc, out: W, cleaning: &XmlCleaning) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    root.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    root.push_attribute((
        "xsi:schemaLocation",
        "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
    ));
    w.write_event(Event::Start(root))?;

    let mut keys: Vec<Key> = Vec::new();
    let fixed_node: [(&'static str, AttrType); 5] = [
        ("label", AttrType::Text),
        ("r", AttrType::Long),
        ("g", AttrType::Long),
        ("b", AttrType::Long),
        ("size", AttrType::Double),
    ];
    for (name, ty) in fixed_node
        .iter()
        .copied()
        .chain(doc.node_attrs.iter().map(|d| (d.name, d.ty)))
    {
        keys.push(Key {
            id: format!("n{}", keys.len()),
            domain: "node",
            name,
            ty,
        });
    }
    let n_node_keys = keys.len();
    for (name, ty) in
        std::iter::once(("weight", AttrType::Double)).chain(doc.edge_attrs.iter().map(|d| (d.name, d.ty)))
    {
        keys.push(Key {
            id: format!("e{}", keys.len() - n_node_keys),
            domain: "edge",
            name,
            ty,
        });
    }
    for k in &keys {
        w.create_element("key")
            .with_attribute(("id", k.id.as_str()))
            .with_attribute(("for", k.domain))
            .with_attribute(("attr.name", k.name))
            .with_attribute(("attr.type", k.ty.graphml()))
            .write_empty()?;
    }
    let mut desc = BytesStart::new("graph");
    desc.push_attribute(("id", "lockstep"));
    desc.push_attribute(("edgedefault", "undirected"));
    w.write_event(Event::Start(desc))?;
    w.create_element("desc")
        .write_text_content(BytesText::new(&cleaning.clean(&doc.description)))?;

    let (node_keys, edge_keys) = keys.split_at(n_node_keys);
    for node in &doc.nodes {
        let mut start = BytesStart::new("node");
        start.push_attribute(("id", cleaning.clean(&node.id).as_ref()));
        w.write_event(Event::Start(start))?;
        let color = node.color;
        let mut values: Vec<AttrValue> = vec![
            AttrValue::Text(node.label.clone()),
            color.map_or(AttrValue::Missing, |c| AttrValue::Long(c.0 as i64)),
            color.map_or(AttrValue::Missing, |c| AttrValue::Long(c.1 as i64)),
            color.map_or(AttrValue::Missing, |c| AttrValue::Long(c.2 as i64)),
            node.size.map_or(AttrValue::Missing, AttrValue::Double),
        ];
        values.extend(node.attrs.iter().cloned());
        write_data(&mut w, node_keys, &values, cleaning)?;
        w.write_event(Event::End(BytesEnd::new("node")))?;
    }
    for (i, edge) in doc.edges.iter().enumerate() {
        let mut start = BytesStart::new("edge");
        start.push_attribute(("id", format!("e{i}").as_str()));
        start.push_attribute(("source", cleaning.clean(&doc.nodes[edge.source].id).as_ref()));
        start.push_attribute(("target", cleaning.clean(&doc.nodes[edge.target].id).as_ref()));
        w.write_event(Event::Start(start))?;
        let mut values = vec![AttrValue::Double(edge.weight)];
        values.extend(edge.attrs.iter().cloned());
        write_data(&mut w, edge_keys, &values, cleaning)?;
        w.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    w.get_mut().write_all(b"\n")?;
    Ok(())
}

fn write_data<W: Write>(
    w: &mut Writer<W>,
    keys: &[Key],
    values: &[AttrValue],
    cleaning: &XmlCleaning,
) -> io::Result<()> {
    for (k, v) in keys.iter().zip(values) {
        if let Some(text) = v.render() {
            w.create_element("data")
                .with_attribute(("key", k.id.as_str()))
                .write_text_content(BytesText::new(&cleaning.clean(&text)))?;
        }
    }
    Ok(())
}
