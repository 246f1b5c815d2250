"""The side-by-side comparison of two versions on texts built to make difflib slow (reviewer
R1): "a a a …" against "b a b a …" took minutes at 4,000 characters and hours at the 10,000
a plan's part may hold, on every opening of the versions page (it compares the two newest by
default). The changed middle beyond DIFF_MAX_PAIRS is one removal and one addition."""

from __future__ import annotations

from wijk.plans.diff import text_diff


def test_a_large_repetitive_change_is_one_removal_and_one_addition() -> None:
    old = "Begin. " + "a " * 300 + "Einde."
    new = "Begin. " + "b a " * 150 + "Einde."

    diff = text_diff("Eigen kracht", old, new)

    assert [segment.op for segment in diff.old] == ["same", "del", "same"]
    assert [segment.op for segment in diff.new] == ["same", "ins", "same"]
    assert "".join(segment.text for segment in diff.old) == old
    assert "".join(segment.text for segment in diff.new) == new
    assert diff.old[0].text.startswith("Begin.") and diff.old[-1].text.endswith("Einde.")


def test_a_small_change_in_a_long_text_is_still_shown_word_by_word() -> None:
    text = " ".join(f"woord{number}" for number in range(3000))  # some 30,000 characters
    changed = text.replace("woord1500", "anders", 1).replace("woord1510", "ook", 1)

    diff = text_diff("Eigen kracht", text, changed)

    assert [segment.text for segment in diff.old if segment.op == "del"] == [
        "woord1500",
        "woord1510",
    ]
    assert [segment.text for segment in diff.new if segment.op == "ins"] == ["anders", "ook"]
