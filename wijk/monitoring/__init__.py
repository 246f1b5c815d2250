"""Steering on aggregates: deadlines, waiting-list counts, inflow, outflow and their reasons,
reach (no person-level data; no small numbers for the municipality, docs/adr/0011)."""
