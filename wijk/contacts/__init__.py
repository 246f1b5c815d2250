"""Count-only contacts: short information and advice, registered without personal data."""
