"""Organisations of and around the consortium, and the neighbourhood teams."""
