"""The state layer: plain Python records, diffing, sorting and figures."""
