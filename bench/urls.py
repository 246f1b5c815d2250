"""The project's URLs and one more: /bench/trivial, the yardstick for the page benchmarks."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from bench.views import trivial
from wijk.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/trivial", trivial, name="bench_trivial"),
    *project_urlpatterns,
]
