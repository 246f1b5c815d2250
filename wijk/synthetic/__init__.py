"""The synthetic city: deterministic, realistic demo and benchmark data."""
