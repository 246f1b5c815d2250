"""A static-files finder that serves chosen files of an npm package and nothing else.

A font package holds a file for every script and style (Cyrillic, Greek, Vietnamese, …);
wijk's pages need a few of them. `settings.WIJK_STATIC_PICKS` names them, each under a URL
prefix: `{"vendor/source-sans-3": (folder, ("a.woff2", "b.woff2"))}`. Only those files are
found, collected and served; the rest of the package stays in node_modules (ADR 0029)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


def _picks() -> dict[str, tuple[Path, tuple[str, ...]]]:
    picks: dict[str, tuple[Path, tuple[str, ...]]] = getattr(settings, "WIJK_STATIC_PICKS", {})
    return picks


class PickedFilesFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"{folder / name} is missing: run `make install` (npm ci).",
                id="wijk.E010",
            )
            for folder, names in _picks().values()
            for name in names
            if not (folder / name).is_file()
        ]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        head, _, name = path.rpartition("/")
        for prefix, (folder, names) in _picks().items():
            if head == prefix and name in names and (folder / name).is_file():
                found = str(folder / name)
                return [found] if find_all else found
        # Not found: an empty list in both modes, as Django's own finders answer (finders.find
        # would take a None for a match).
        return []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, (folder, names) in _picks().items():
            storage = FileSystemStorage(location=folder)
            storage.prefix = prefix  # type: ignore[attr-defined]
            for name in names:
                if (folder / name).is_file():
                    yield name, storage
