"""One of each: access-log object references are built by wijk.core.access (and
wijk.core.audit), "the user's teams" is Team.objects.active_for, and what a role may do is
read from wijk.accounts.roles. A copy of any of them in an app fails here.

Each rule carries a line it must catch and a line it must let through, so the check itself is
tested (as in test_no_second_road)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from wijk.core.tests.test_no_second_road import ROOT, _sources


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    allowed: frozenset[str]
    bad: str
    good: str
    # The rule holds in modules with these file names (all modules when empty).
    only_in: frozenset[str] = frozenset()


RULES = [
    Rule(
        name="an access-log object reference built by hand",
        pattern=re.compile(r"""f["'][a-z_]+\.[a-z_]+:\{"""),
        allowed=frozenset({"core/access.py", "core/audit.py"}),
        bad='        objects=[f"residents.resident:{pk}"],',
        good="        objects=[model_ref(Resident, pk)],",
    ),
    Rule(
        name="a refusal logger of the app's own",
        pattern=re.compile(r"^def _(refuse|log_refusal|record_list)\("),
        allowed=frozenset(),
        bad="def _refuse(*, user: User, pk: int | None, event: AccessEvent) -> None:",
        good="    log_refusal(user=user, event=event, model=Resident, pk=pk)",
        only_in=frozenset({"selectors.py", "services.py"}),
    ),
    Rule(
        name="a selector writing the access log itself",
        pattern=re.compile(r"\baccess_log_record\("),
        allowed=frozenset(),
        bad="    access_log_record(actor=user, event=AccessEvent.SEARCH, objects=objects)",
        good="    log_list(user=user, objects=refs_with_resident(trajectories))",
        only_in=frozenset({"selectors.py"}),
    ),
    Rule(
        name="a team filter of the app's own",
        pattern=re.compile(r"\bmembers=(user|actor|request\.user)\b|teams__in=\w+\.teams\.all\(\)"),
        allowed=frozenset({"organisations/models.py"}),
        bad="    teams = Team.objects.filter(members=user, active=True).values('pk')",
        good="    teams = Team.objects.active_for(user).values('pk')",
    ),
    Rule(
        name="a role table of the app's own",
        pattern=re.compile(r"\{\s*Role\.[A-Z_]+\s*:|frozenset\(\{\s*Role\."),
        allowed=frozenset(),
        bad="SCOPES = {Role.TEAM_LEAD: MonitoringScope(compliance=True)}",
        good="    return gate_for(user).aggregates",
    ),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_rule_catches_its_bad_example_and_passes_its_good_one(rule: Rule) -> None:
    assert rule.pattern.search(rule.bad)
    assert not rule.pattern.search(rule.good)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_no_app_keeps_a_copy_of_the_shared_access_code(rule: Rule) -> None:
    offenders = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative in rule.allowed or (rule.only_in and path.name not in rule.only_in):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if rule.pattern.search(line):
                offenders.append(f"wijk/{relative}:{number}: {line.strip()}")
    assert not offenders, (
        f"{rule.name}: use wijk.core.access, Team.objects.active_for or wijk.accounts.roles:\n"
        + "\n".join(offenders)
    )
