// Load a GEXF or GraphML file with graphology (graphology-gexf / graphology-graphml) and print
// nodes and edges as JSON, each attribute with its JavaScript type.
// Used by tests/cli/export.rs: `node graphology_dump.js FILE` (modules from NODE_PATH).
'use strict';
const fs = require('fs');
const Graph = require('graphology');

const path = process.argv[2];
const text = fs.readFileSync(path, 'utf8');
const parser = path.endsWith('.gexf') ? require('graphology-gexf') : require('graphology-graphml');
const g = parser.parse(Graph, text);

function entry(attrs) {
  const types = {};
  for (const k of Object.keys(attrs)) types[k] = typeof attrs[k];
  return {attrs, types};
}

const out = {directed: g.type === 'directed', graph: g.getAttributes(), nodes: [], edges: []};
g.forEachNode((key, attrs) => out.nodes.push(Object.assign({id: key}, entry(attrs))));
g.forEachEdge((key, attrs, source, target) =>
  out.edges.push(Object.assign({id: key, source, target}, entry(attrs))));
process.stdout.write(JSON.stringify(out));
