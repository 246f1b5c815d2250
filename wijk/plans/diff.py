"""What a version of a support plan says, as plain values, and the differences between two
versions, part by part: pure functions, no database.

A `Snapshot` is a version's six parts (seed 002 §5.1) and its Aanvullende Ondersteuning
fields, read from a version whose goals and links were loaded with it. Two snapshots are
equal when nothing a reader sees differs: the plan services save no new version then.

`plan_diff` compares two snapshots: text by word, lists of links by line, goals by their
position (goal 1 with goal 1). Each side is a list of segments, unchanged, removed (old side)
or added (new side), that the template marks with <del> and <ins> and a text for screen
readers, so the change is never shown by colour alone."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from wijk.plans.models import PlanVersion

TEXT_FIELDS = (
    "own_strength",
    "preceding_provisions",
    "solution",
    "partners",
    "perspective",
    "ao_scope",
)


@dataclass(frozen=True)
class GoalSnapshot:
    member_id: int | None
    member_name: str  # "" for the household's
    goal: str
    result: str


@dataclass(frozen=True)
class Snapshot:
    goals: tuple[GoalSnapshot, ...]
    own_strength: str
    preceding_provisions: str
    solution: str
    trajectories: tuple[tuple[int, str], ...]  # (id, label), by id
    activities: tuple[tuple[int, str], ...]
    partners: str
    organisations: tuple[tuple[int, str], ...]
    perspective: str
    ao_scope: str
    ao_start_on: datetime.date | None
    ao_review_on: datetime.date | None

    def same_as(self, other: Snapshot) -> bool:
        """Whether a reader sees the same plan: texts, goals (with whom they are for), the
        linked records by id and the dates. Labels do not count (a renamed activity)."""

        def ids(links: tuple[tuple[int, str], ...]) -> tuple[int, ...]:
            return tuple(pk for pk, _label in links)

        def goals(snapshot: Snapshot) -> tuple[tuple[int | None, str, str], ...]:
            return tuple((g.member_id, g.goal, g.result) for g in snapshot.goals)

        return (
            all(getattr(self, name) == getattr(other, name) for name in TEXT_FIELDS)
            and goals(self) == goals(other)
            and ids(self.trajectories) == ids(other.trajectories)
            and ids(self.activities) == ids(other.activities)
            and ids(self.organisations) == ids(other.organisations)
            and self.ao_start_on == other.ao_start_on
            and self.ao_review_on == other.ao_review_on
        )


def trajectory_label(part: str, inflow_date: datetime.date, resident_name: str) -> str:
    return _("%(part)s sinds %(day)s (%(name)s)") % {
        "part": part,
        "day": date_format(inflow_date),
        "name": resident_name,
    }


def snapshot_of(version: PlanVersion) -> Snapshot:
    """The snapshot of a version read with its goals (and their member), trajectories (and
    their resident), activities and organisations prefetched."""
    goals = tuple(
        GoalSnapshot(
            member_id=goal.member_id,
            member_name=goal.member.full_name if goal.member is not None else "",
            goal=goal.goal,
            result=goal.result,
        )
        for goal in sorted(version.goals.all(), key=lambda goal: goal.position)
    )
    return Snapshot(
        goals=goals,
        own_strength=version.own_strength,
        preceding_provisions=version.preceding_provisions,
        solution=version.solution,
        trajectories=tuple(
            sorted(
                (
                    t.pk,
                    trajectory_label(t.get_part_display(), t.inflow_date, t.resident.full_name),
                )
                for t in version.trajectories.all()
            )
        ),
        activities=tuple(sorted((a.pk, a.name) for a in version.activities.all())),
        partners=version.partners,
        organisations=tuple(sorted((o.pk, o.name) for o in version.organisations.all())),
        perspective=version.perspective,
        ao_scope=version.ao_scope,
        ao_start_on=version.ao_start_on,
        ao_review_on=version.ao_review_on,
    )


# -- the differences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    op: Literal["same", "del", "ins"]
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: list[Segment]
    new: list[Segment]

    @property
    def changed(self) -> bool:
        return any(segment.op != "same" for segment in [*self.old, *self.new])


@dataclass(frozen=True)
class PartDiff:
    title: str
    fields: list[FieldDiff]

    @property
    def changed(self) -> bool:
        return any(field.changed for field in self.fields)


_WORDS = re.compile(r"\s+|\S+")


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring changes as one: the spaces between two removed (or added) words belong to
    the change, so "Haar zus" is one removal, not two."""
    merged: list[Segment] = []
    for index, segment in enumerate(segments):
        following = segments[index + 1] if index + 1 < len(segments) else None
        previous = merged[-1] if merged else None
        if (
            segment.op == "same"
            and not segment.text.strip()
            and previous is not None
            and following is not None
            and previous.op != "same"
            and following.op == previous.op
        ) or (previous is not None and segment.op != "same" and previous.op == segment.op):
            merged[-1] = Segment(previous.op, previous.text + segment.text)
        else:
            merged.append(segment)
    return merged


# difflib's matcher takes time quadratic, on repetitive text cubic, in the number of words:
# two texts of 10,000 characters ("a a a …" against "b a b a …") kept a worker busy for hours
# on every opening of the versions page. The words both sides start and end with are matched
# first (cheap, and most edits are small); a changed middle with more word pairs than this is
# shown as one removal and one addition instead of word by word.
DIFF_MAX_PAIRS = 20_000


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, within DIFF_MAX_PAIRS (see there)."""
    size = min(len(old), len(new))
    start = 0
    while start < size and old[start] == new[start]:
        start += 1
    end = 0
    while end < size - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_end, new_end = len(old) - end, len(new) - end
    middle: list[tuple[str, int, int, int, int]]
    if (old_end - start) * (new_end - start) <= DIFF_MAX_PAIRS:
        matcher = difflib.SequenceMatcher(
            a=old[start:old_end], b=new[start:new_end], autojunk=False
        )
        middle = [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    else:
        middle = [("replace", start, old_end, start, new_end)]
    return [
        *([("equal", 0, start, 0, start)] if start else []),
        *middle,
        *([("equal", old_end, len(old), new_end, len(new))] if end else []),
    ]


def _segments(old: list[str], new: list[str]) -> tuple[list[Segment], list[Segment]]:
    """Both sides as segments: what stayed, what was removed (old side), what was added."""
    before: list[Segment] = []
    after: list[Segment] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
        if tag == "equal":
            text = "".join(old[i1:i2])
            before.append(Segment("same", text))
            after.append(Segment("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            before.append(Segment("del", "".join(old[i1:i2])))
        if j2 > j1:
            after.append(Segment("ins", "".join(new[j1:j2])))
    return _merged(before), _merged(after)


def text_diff(label: str, old: str, new: str) -> FieldDiff:
    """A text compared word by word."""
    before, after = _segments(_WORDS.findall(old), _WORDS.findall(new))
    return FieldDiff(label=label, old=before, new=after)


def lines_diff(label: str, old: list[str], new: list[str]) -> FieldDiff:
    """A list (of linked records, by name) compared line by line."""
    before, after = _segments([f"{line}\n" for line in old], [f"{line}\n" for line in new])
    return FieldDiff(label=label, old=before, new=after)


def _day(day: datetime.date | None) -> str:
    return date_format(day) if day is not None else ""


def _goal_parts(old: Snapshot, new: Snapshot) -> list[FieldDiff]:
    household = _("het hele huishouden")
    fields: list[FieldDiff] = []
    for index in range(max(len(old.goals), len(new.goals))):
        a = old.goals[index] if index < len(old.goals) else None
        b = new.goals[index] if index < len(new.goals) else None
        number = index + 1

        def who(goal: GoalSnapshot | None) -> str:
            if goal is None:
                return ""
            return goal.member_name or household

        # As the plan page shows a goal: the goal, for whom, the wanted result.
        fields += [
            text_diff(
                _("Doel %(number)s") % {"number": number},
                a.goal if a else "",
                b.goal if b else "",
            ),
            text_diff(_("Doel %(number)s: voor wie") % {"number": number}, who(a), who(b)),
            text_diff(
                _("Doel %(number)s: gewenst resultaat") % {"number": number},
                a.result if a else "",
                b.result if b else "",
            ),
        ]
    return fields


def _names(links: tuple[tuple[int, str], ...]) -> list[str]:
    return [label for _pk, label in links]


def plan_diff(old: Snapshot, new: Snapshot) -> list[PartDiff]:
    """The six parts and the Aanvullende Ondersteuning fields, old against new."""
    return [
        PartDiff(_("1. Doelen en resultaten"), _goal_parts(old, new)),
        PartDiff(
            _("2. Eigen kracht en netwerk"),
            [text_diff(_("Eigen kracht en netwerk"), old.own_strength, new.own_strength)],
        ),
        PartDiff(
            _("3. Voorliggende voorzieningen en andere wetten"),
            [
                text_diff(
                    _("Voorliggende voorzieningen en andere wetten"),
                    old.preceding_provisions,
                    new.preceding_provisions,
                )
            ],
        ),
        PartDiff(
            _("4. Ondersteuning en activiteiten"),
            [
                text_diff(_("Ondersteuning en activiteiten"), old.solution, new.solution),
                lines_diff(_("Trajecten"), _names(old.trajectories), _names(new.trajectories)),
                lines_diff(_("Activiteiten"), _names(old.activities), _names(new.activities)),
            ],
        ),
        PartDiff(
            _("5. Met wie"),
            [
                text_diff(_("Mensen en organisaties"), old.partners, new.partners),
                lines_diff(_("Organisaties"), _names(old.organisations), _names(new.organisations)),
            ],
        ),
        PartDiff(
            _("6. Perspectief aan het einde"),
            [text_diff(_("Perspectief aan het einde"), old.perspective, new.perspective)],
        ),
        PartDiff(
            _("Aanvullende Ondersteuning"),
            [
                text_diff(_("Omvang"), old.ao_scope, new.ao_scope),
                text_diff(_("Ingangsdatum"), _day(old.ao_start_on), _day(new.ao_start_on)),
                text_diff(
                    _("Herzien uiterlijk op"), _day(old.ao_review_on), _day(new.ao_review_on)
                ),
            ],
        ),
    ]
