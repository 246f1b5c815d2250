"""Files about residents (letters, signature scans), kept under `WIJK_PRIVATE_ROOT`: outside
the web root and the static files, never served by the web server itself, read only by a
view that has gone through the gate.

A file is written once and never changed: `private_file_write` writes it atomically (a
temporary file in the same directory, flushed to disk, then renamed into place) under a name
nobody can guess, and returns the path relative to the root with its SHA-256 and size, which
the caller stores on its record. `private_file_read` reads it back, refusing any path that
would leave the root. This module knows no person-level app (ADR 0036)."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone

# Letters, scans: a folder name of lower-case letters and dashes, e.g. "letters".
_FOLDER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz-")


@dataclass(frozen=True)
class StoredFile:
    path: str
    """Relative to WIJK_PRIVATE_ROOT, with forward slashes: "letters/2026/12/<random>.pdf"."""
    sha256: str
    size: int


def private_root() -> Path:
    return Path(settings.WIJK_PRIVATE_ROOT)


def private_file_write(*, folder: str, data: bytes, suffix: str) -> StoredFile:
    """Write `data` as a new file in `folder` (e.g. "letters") under a random name with
    `suffix` (e.g. ".pdf"), readable by the server's user only; atomically, so a reader never
    sees half a file. The caller removes it (`private_file_remove`) when its transaction
    fails."""
    if not folder or not set(folder) <= _FOLDER_CHARS:
        raise ValueError(f"folder must be lower-case letters and dashes: {folder!r}")
    if not suffix.startswith(".") or not suffix[1:].isalnum() or not suffix.isascii():
        raise ValueError(f"suffix must be like '.pdf': {suffix!r}")
    today = timezone.localdate()
    relative = PurePosixPath(
        folder, f"{today:%Y}", f"{today:%m}", f"{secrets.token_urlsafe(24)}{suffix}"
    )
    directory = private_root()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in relative.parts[:-1]:  # each level readable by the server's user only
        directory = directory / part
        directory.mkdir(mode=0o700, exist_ok=True)
    target = directory / relative.name
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".writing-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(path=str(relative), sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _absolute(path: str) -> Path:
    """The file at `path` (relative to the root); ValueError for a path that leaves it."""
    root = private_root().resolve()
    absolute = root.joinpath(*PurePosixPath(path).parts).resolve()
    if not path or PurePosixPath(path).is_absolute() or not absolute.is_relative_to(root):
        raise ValueError("a private file's path is relative to WIJK_PRIVATE_ROOT")
    return absolute


def private_file_read(path: str) -> bytes:
    """The content of the file at `path` (relative to WIJK_PRIVATE_ROOT). FileNotFoundError
    when it is missing; ValueError for a path outside the root."""
    return _absolute(path).read_bytes()


def private_file_remove(path: str) -> None:
    """Remove a file written in a transaction that did not commit."""
    _absolute(path).unlink(missing_ok=True)
