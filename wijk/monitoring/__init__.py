"""Steering on aggregates: deadline compliance and waiting-list counts (no person-level data)."""
