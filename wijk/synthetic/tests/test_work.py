"""The work generator on its own (no database): determinism, in this process and in others,
and what it refuses. What the rows look like in the database: test_seed_work.py."""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import subprocess
import sys

import pytest
from django.utils.text import slugify

from wijk.core.calendar import is_working_day
from wijk.requests.deadlines import request_deadlines
from wijk.synthetic.generate import city_households
from wijk.synthetic.rows import WORK_TABLES
from wijk.synthetic.tests.test_generate import haarlem
from wijk.synthetic.work import (
    ACTIVITY_KINDS,
    CHANNEL_WEIGHTS,
    DOMAIN_WEIGHTS_ADULT,
    OUTFLOW_WEIGHTS,
    PROVISION_WEIGHTS,
    REFERRER_WEIGHTS,
    WORK_FIELDS,
    CityIndex,
    Deadlines,
    TeamArea,
    WijkInfo,
    WorkSetting,
    request_reference,
    staff_plan,
    work_generate,
)

AS_OF = datetime.date(2026, 6, 1)
INFLOW_REASONS = (
    "own_request", "network_signal", "partner_referral", "debt_signal", "outreach",
    "municipality", "handover", "crisis",
)  # fmt: skip


def _codes() -> tuple[dict[str, dict[str, int]], frozenset[str]]:
    """The code lists as the migrations load them, with made-up ids."""
    lists = {
        "channels": CHANNEL_WEIGHTS,
        "referrer_types": REFERRER_WEIGHTS,
        "inflow_reasons": INFLOW_REASONS,
        "life_domains": DOMAIN_WEIGHTS_ADULT,
        "outflow_reasons": OUTFLOW_WEIGHTS,
        "out_of_scope_provisions": PROVISION_WEIGHTS,
        "policy_themes": ["physical_social", *sorted({kind[1] for kind in ACTIVITY_KINDS})],
        "target_groups": sorted({kind[2] for kind in ACTIVITY_KINDS}),
    }
    codes = {}
    next_id = 1000
    for slug, names in lists.items():
        codes[slug] = {}
        for name in names:
            codes[slug][name] = next_id
            next_id += 1
    return codes, frozenset(codes["policy_themes"]) - {"physical_social"}


def _deadlines(moment: datetime.datetime) -> Deadlines:
    deadlines = request_deadlines(moment, liberation_day_every_year=True)
    return Deadlines(deadlines.first_contact, deadlines.support, deadlines.investigation)


@functools.cache
def generated(seed: int = 1, scale: float = 0.01, years: int = 2) -> tuple[str, dict[str, int]]:
    """The work for a small Haarlem: a digest over every row, and the rows per table."""
    areas = haarlem()
    city = CityIndex()
    for _ in city.collect(
        city_households(seed=seed, scale=scale, years=years, as_of=AS_OF, areas=areas)
    ):
        pass
    district_of = {area.wijk_code: area.district for area in areas}
    districts = sorted(set(district_of.values()) - {""})
    teams = [
        TeamArea(
            team_id=number,
            slug=slugify(district),
            wijk_codes=frozenset(code for code, name in district_of.items() if name == district),
        )
        for number, district in enumerate(districts, 1)
    ]
    teams.append(TeamArea(team_id=99, slug="intaketeam", wijk_codes=frozenset(), is_intake=True))
    plan = staff_plan(city=city, areas=areas, teams=teams, scale=scale, years=years)
    professionals, leads, user_id = {}, {}, 1
    for team_id, (professional_count, lead_count) in sorted(plan.items()):
        professionals[team_id] = list(range(user_id, user_id + professional_count))
        user_id += professional_count
        leads[team_id] = list(range(user_id, user_id + lead_count))
        user_id += lead_count
    codes, sub_themes = _codes()
    setting = WorkSetting(
        areas=areas,
        teams=teams,
        wijken=[
            WijkInfo(wijk_id=500 + number, code=code, name=code)
            for number, code in enumerate(sorted(district_of))
        ],
        codes=codes,
        sub_themes=sub_themes,
        organisers=[1, 2, 3],
        professionals=professionals,
        team_leads=leads,
        first_ids=dict.fromkeys([*WORK_FIELDS, "residents", "households"], 1),
        working_day=is_working_day,
        deadlines=_deadlines,
        decider=user_id,
    )
    digest = hashlib.sha256()
    counts = dict.fromkeys(WORK_FIELDS, 0)
    for chunk in work_generate(
        seed=seed, scale=scale, years=years, as_of=AS_OF, city=city, setting=setting
    ):
        for table, rows in chunk.rows.items():
            counts[table] += len(rows)
            for row in rows:
                assert len(row) == len(WORK_TABLES[table].fields), table
                digest.update(repr(row).encode())
        digest.update(b"|")
    return digest.hexdigest(), counts


def test_same_seed_gives_the_same_work() -> None:
    digest, counts = generated()
    generated.cache_clear()
    assert generated() == (digest, counts)
    # a pgb evaluated a year or more after it was granted is too rare for a city this small
    assert all(counts[table] > 0 for table in WORK_FIELDS if table != "pgb_evaluations"), counts


def test_another_seed_gives_other_work() -> None:
    assert generated(seed=2)[0] != generated()[0]


def test_same_seed_gives_the_same_work_in_other_processes() -> None:
    """Nothing depends on string hashing (set order), which differs between processes."""
    program = "from wijk.synthetic.tests.test_work import generated; print(generated()[0])"
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "wijk.settings"}
    digests = {
        subprocess.run(
            [sys.executable, "-c", program],
            env=environment | {"PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in (1, 2)
    }
    assert digests == {generated()[0]}


def test_volumes_scale_with_the_city_and_the_years() -> None:
    _, small = generated(scale=0.01, years=2)
    _, larger = generated(scale=0.02, years=2)
    for table in ("requests", "short_contacts", "trajectories"):
        assert larger[table] == pytest.approx(2 * small[table], rel=0.15), table


def test_request_references_are_unique_and_readable() -> None:
    references = [request_reference(request_id) for request_id in range(1, 20_001)]
    assert len(set(references)) == len(references)
    assert all(len(reference) == 8 for reference in references)
    assert not set("".join(references)) & set("01ILO")
