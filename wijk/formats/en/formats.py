"""English, in the same order as Dutch: "17 November 2026", "17 November 2026 14:05"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
