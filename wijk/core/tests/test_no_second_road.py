"""No second road to person-level data: a sensitive model's manager is used only in the
modules allowed to (selectors and services of its app, its models, and the bulk seed).

Each rule carries a line it must catch and a line it must let through, so the check itself is
tested (the idea of Zulip's tools/linter_lib/custom_check.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    allowed: frozenset[str]
    bad: str
    good: str


# Sensitive models by the app that owns them: only that app's models, selectors and services
# use their managers, besides the bulk seed and the aggregate-only monitoring selectors.
SENSITIVE_BY_APP = {
    "residents": (
        "Resident|Household|HouseholdMembership|Address|Assignment|BreakGlassGrant|WorkUnderGrant"
    ),
    "requests": "HelpRequest|ContactAttempt|RequestStatusChange",
    "trajectories": "Trajectory|TrajectoryStatusChange|ZrmAssessment|ZrmScore|Handover",
    "activities": "Participation",
    # What a user typed before their session ended (docs/adr/0025).
    "accounts": "FormDraft",
    "notes": "CaseNote|CaseNoteVersion",
    "letters": "Letter",
    "investigations": "Investigation|OwnView",
    "plans": (
        "SupportPlan|PlanStatusChange|PlanCoordinatorChange|PlanVersion|PlanGoal|Signature"
        "|Evaluation|EvaluationGoal|RightsExplanation"
    ),
    # The municipality's decision desk (docs/adr/0040).
    "decisions": "DecisionCase|DecisionStatusChange|PgbEvaluation",
    "meldcode": "MeldcodeCase|MeldcodeStep|MeldcodeStatusChange|MeldcodeReader|MeldcodeReaderEnd",
}
EVERYWHERE_ALLOWED = frozenset(
    {
        # The synthetic city writes in bulk and never reads for a user.
        "synthetic/services.py",
        "synthetic/management/commands/seed.py",
        # Aggregates only (counts per team, wijk and month); test_monitoring asserts that.
        "monitoring/selectors.py",
    }
)
MANAGER = r"\.(objects|_default_manager|_base_manager)\b"

RULES = [
    *(
        Rule(
            pattern=re.compile(rf"\b({models}){MANAGER}"),
            allowed=frozenset(
                f"{app}/{module}.py" for module in ("models", "selectors", "services")
            )
            | EVERYWHERE_ALLOWED,
            bad=f"    rows = {models.split('|')[0]}.objects.filter(pk=pk)",
            good=f"    row = {app}_get_for_user(user=user, pk=pk)",
        )
        for app, models in SENSITIVE_BY_APP.items()
    ),
    Rule(
        pattern=re.compile(r"\bAccessLogEntry\.objects\b"),
        allowed=frozenset({"core/audit.py", "residents/selectors.py"}),
        bad="    entries = AccessLogEntry.objects.filter(resident_id=pk)",
        good="    resident, entries = resident_access_log_for_user(user=user, pk=pk)",
    ),
]


def _sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


@pytest.mark.parametrize("rule", RULES)
def test_rule_catches_its_bad_example_and_passes_its_good_one(rule: Rule) -> None:
    assert rule.pattern.search(rule.bad)
    assert not rule.pattern.search(rule.good)


@pytest.mark.parametrize("rule", RULES)
def test_no_module_reads_sensitive_records_around_the_selectors(rule: Rule) -> None:
    offenders = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative in rule.allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if rule.pattern.search(line):
                offenders.append(f"wijk/{relative}:{number}: {line.strip()}")
    assert not offenders, "Use a selector or service instead:\n" + "\n".join(offenders)
