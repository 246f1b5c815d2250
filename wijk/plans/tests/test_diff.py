"""The differences between two versions of a plan: text by word, changes grouped, and
nothing lost: each side read back without its marks is the text it came from."""

from __future__ import annotations

from wijk.plans.diff import lines_diff, text_diff


def _plain(segments) -> str:
    return "".join(segment.text for segment in segments)


def test_words_that_changed_together_are_one_change() -> None:
    diff = text_diff("Eigen kracht", "Haar zus komt elke week.", "Zus en buurman komen elke week.")

    assert [(s.op, s.text) for s in diff.old] == [("del", "Haar zus komt"), ("same", " elke week.")]
    assert [(s.op, s.text) for s in diff.new] == [
        ("ins", "Zus en buurman komen"),
        ("same", " elke week."),
    ]
    assert diff.changed


def test_each_side_reads_back_as_its_text() -> None:
    old, new = "Een\ntwee  drie vier.", "Een twee\nvijf vier!"
    diff = text_diff("Tekst", old, new)

    assert (_plain(diff.old), _plain(diff.new)) == (old, new)


def test_the_same_text_is_no_change() -> None:
    assert not text_diff("Tekst", "Gelijk gebleven.", "Gelijk gebleven.").changed
    assert not text_diff("Tekst", "", "").changed


def test_lists_are_compared_by_line() -> None:
    diff = lines_diff("Organisaties", ["Present", "Zorgbalans"], ["Present", "Humanitas"])

    assert [(s.op, s.text) for s in diff.old] == [("same", "Present\n"), ("del", "Zorgbalans\n")]
    assert [(s.op, s.text) for s in diff.new] == [("same", "Present\n"), ("ins", "Humanitas\n")]
