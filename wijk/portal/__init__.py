"""The residents' own pages: the public request form (and, later, their file and consent)."""
