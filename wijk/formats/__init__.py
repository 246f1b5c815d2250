"""Date formats, one per language, so that every page writes a date the same way:
"17 november 2026" (FORMAT_MODULE_PATH in settings; templates use `|date`, lists `date_text`
with "DATE_FORMAT")."""
