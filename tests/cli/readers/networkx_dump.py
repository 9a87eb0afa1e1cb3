"""Load a GEXF or GraphML file with networkx and print nodes and edges as JSON.

Used by tests/cli/export.rs: `python3 networkx_dump.py FILE`. Every attribute comes with the
Python type networkx gave it, so the test can check types, not only values.
"""
import json
import math
import sys

import networkx as nx


def clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v


def entry(attrs):
    return {
        "attrs": {k: clean(v) for k, v in attrs.items()},
        "types": {k: type(v).__name__ for k, v in attrs.items()},
    }


path = sys.argv[1]
if path.endswith(".gexf"):
    g = nx.read_gexf(path, version="1.3")
else:
    g = nx.read_graphml(path)
out = {
    "directed": g.is_directed(),
    "multigraph": g.is_multigraph(),
    "graph": clean(dict(g.graph)),
    "nodes": [dict(id=n, **entry(d)) for n, d in g.nodes(data=True)],
    "edges": [dict(source=u, target=v, **entry(d)) for u, v, d in g.edges(data=True)],
}
json.dump(out, sys.stdout, ensure_ascii=True, allow_nan=False)
