"""The project's URLs and two more: /bench/trivial, the yardstick for the page benchmarks, and
the same page in wijk's layout."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from bench.views import trivial, trivial_in_layout
from wijk.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("bench/trivial-in-layout", trivial_in_layout, name="bench_trivial_in_layout"),
    *project_urlpatterns,
]
