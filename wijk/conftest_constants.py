"""Constants shared by the test fixtures (kept out of conftest so factories can import them)."""

PASSWORD = "correct horse battery staple"  # noqa: S105  (test accounts only)
