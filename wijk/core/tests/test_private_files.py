"""Private files (letters, signature scans): written once under WIJK_PRIVATE_ROOT, atomically,
under a name nobody guesses, readable by the server's user only; a path that leaves the root
is refused."""

from __future__ import annotations

import hashlib
import stat

import pytest

from wijk.core.private_files import private_file_read, private_file_remove, private_file_write


def test_a_file_is_written_under_the_root_with_its_checksum(private_root) -> None:
    stored = private_file_write(folder="letters", data=b"%PDF-1.7 brief", suffix=".pdf")

    path = private_root / stored.path
    assert path.read_bytes() == b"%PDF-1.7 brief"
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 brief").hexdigest()
    assert stored.size == len(b"%PDF-1.7 brief")
    assert stored.path.startswith("letters/") and stored.path.endswith(".pdf")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(private_root.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # Nothing half-written is left beside it.
    assert [entry.name for entry in path.parent.iterdir()] == [path.name]
    assert private_file_read(stored.path) == b"%PDF-1.7 brief"


def test_two_files_never_share_a_name(private_root) -> None:
    paths = {private_file_write(folder="letters", data=b"x", suffix=".pdf").path for _ in range(20)}

    assert len(paths) == 20


@pytest.mark.parametrize("path", ["../outside.pdf", "letters/../../outside.pdf", "/etc/passwd", ""])
def test_a_path_outside_the_root_is_refused(path, private_root, tmp_path) -> None:
    (tmp_path / "outside.pdf").write_bytes(b"secret")

    with pytest.raises(ValueError):
        private_file_read(path)
    with pytest.raises(ValueError):
        private_file_remove(path)


@pytest.mark.parametrize(
    ("folder", "suffix"),
    [("../up", ".pdf"), ("letters", "pdf"), ("letters", ".p/df"), ("", ".pdf")],
)
def test_folder_and_suffix_are_checked(folder, suffix, private_root) -> None:
    with pytest.raises(ValueError):
        private_file_write(folder=folder, data=b"x", suffix=suffix)


def test_a_removed_file_is_gone(private_root) -> None:
    stored = private_file_write(folder="letters", data=b"x", suffix=".pdf")

    private_file_remove(stored.path)

    with pytest.raises(FileNotFoundError):
        private_file_read(stored.path)
