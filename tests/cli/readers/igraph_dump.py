"""Load a GraphML file with python-igraph and print nodes and edges as JSON.

Used by tests/cli/export.rs: `python3 igraph_dump.py FILE`. igraph reads every numeric GraphML
type (int, long, float, double) as a float and fills missing numeric values with NaN (printed
as null); edges are reported by their endpoints' `id`s.
"""
import json
import math
import sys

import igraph


def clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def entry(attrs):
    return {
        "attrs": {k: clean(v) for k, v in attrs.items()},
        "types": {k: type(v).__name__ for k, v in attrs.items()},
    }


g = igraph.Graph.Read_GraphML(sys.argv[1])
ids = g.vs["id"]
out = {
    "directed": g.is_directed(),
    "nodes": [dict(id=v["id"], **entry(v.attributes())) for v in g.vs],
    "edges": [
        dict(source=ids[e.source], target=ids[e.target], **entry(e.attributes())) for e in g.es
    ],
}
json.dump(out, sys.stdout, ensure_ascii=True, allow_nan=False)
