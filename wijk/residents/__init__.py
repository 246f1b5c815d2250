"""Residents, households and addresses: person-level data behind the access gate."""
