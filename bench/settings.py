"""Settings for the benchmarks: the project's, with a URLconf that adds the trivial view the
pages are measured against. Used only by `python -m bench.run` and the WSGI server it starts
(DJANGO_SETTINGS_MODULE=bench.settings)."""

from wijk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
