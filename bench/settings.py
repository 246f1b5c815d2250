"""Settings for the benchmarks: the project's, with a URLconf that adds the trivial view the
pages are measured against. Used only by `python -m bench.run` and the processes it starts
(DJANGO_SETTINGS_MODULE=bench.settings). The delivery benchmark measures the record-level part:
on synthetic data it gets a legal basis and a pseudonym key when the environment has none."""

import os

os.environ.setdefault("WIJK_FEED_RECORDS_LEGAL_BASIS", "benchmark on synthetic data")
if len(os.environ.get("WIJK_PSEUDONYM_KEY", "")) < 32:
    os.environ["WIJK_PSEUDONYM_KEY"] = "bench-only-pseudonym-key-for-synthetic-data-0123456789"

from wijk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
