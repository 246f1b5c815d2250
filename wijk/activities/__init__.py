"""Group activities of the Sociale Basis and their sessions, with attendance counted."""
