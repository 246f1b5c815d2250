"""The teams' daily work in the synthetic city, generated: pure and deterministic.

Requests for help with their status histories and contact attempts, the trajectories that
start from them (with life domains, status histories, ZRM assessments and warm handovers),
the investigations, support plans and decision cases of those trajectories (issue 13),
count-only short contacts, and group activities with their sessions: the history of `years`
years that ends at the start of `as_of` (Europe/Amsterdam).

Like wijk.synthetic.generate this touches no database. It draws from its own
`random.Random`, seeded from the city's seed, in a fixed order; the city comes in as a
compact `CityIndex` (collected while the city's households stream past), the database's ids
of teams, staff, codes and areas come in as plain values (`WorkSetting`), and so do the first
ids to use for each new table: the rows come out ready to write, month by month.

The shape, at scale 1 (Haarlem, about 165,000 residents), per year:

- about 10,000 new trajectories and 2.2 times as many requests (~22,000); outcomes about 45%
  support started, 30% information and advice, 12% referred out (with the provision), 8%
  withdrawn, 5% not reachable (after at least three failed attempts);
- first contact within the deadline (five working days) for about 88%;
- requests of the last weeks partly still open, received or contacted: the worklists and the
  waiting list (a few hundred open per team);
- trajectories of weeks to years, mostly Sociaal Wijkteam, some Aanvullende Ondersteuning and
  Sociale Basis; caseloads of about CASELOAD open trajectories per professional;
- for Sociaal Wijkteam and AO trajectories: an investigation of the request for most (60%,
  90%; about one in eight completed later than six weeks after receipt); a plan for the
  household (85%, AO always, one open at a time) with 1-4 versions of 1-3 goals, signed (typed
  or in person) for about 92%, its rights explained, evaluated every five to seven months
  (the one due in the last two months overdue for some), ended with the trajectory; an AO
  trajectory rests on the signed version of its plan (`decision_version`); a pgb for about 5%
  of AO plans (most granted, evaluated within two years) and a written decision asked for
  about 2% of signed plans. These draw from a stream of their own (the rest is the same
  without them); no letters (their PDFs are slow to render) and no meldcode cases;
- about 50,000 count-only contacts, on working days, over the teams by population;
- about 150 group activities running at any time, weekly, fortnightly or monthly.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import decimal
import functools
import heapq
import itertools
import math
import random
import zoneinfo
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from wijk.synthetic.generate import (
    CHILD,
    OTHER,
    OTHER_FAMILY,
    PARENT,
    PARTNER,
    REFERENCE_PERSON,
    Area,
    DrawnHousehold,
    DrawnResident,
    NameData,
    load_data,
)
from wijk.synthetic.rows import WORK_TABLES as _WORK_TABLES
from wijk.synthetic.rows import (
    activity_row,
    activity_session_row,
    contact_attempt_row,
    decision_case_row,
    decision_status_change_row,
    evaluation_goal_row,
    evaluation_row,
    handover_row,
    investigation_row,
    pgb_evaluation_row,
    plan_goal_row,
    plan_row,
    plan_status_change_row,
    plan_version_row,
    request_row,
    request_status_change_row,
    rights_explanation_row,
    short_contact_row,
    signature_row,
    trajectory_life_domain_row,
    trajectory_row,
    trajectory_status_change_row,
    zrm_assessment_row,
    zrm_score_row,
)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC

TRAJECTORIES_PER_YEAR_AT_SCALE_1 = 10_000
REQUESTS_PER_TRAJECTORY = 2.2
CONTACTS_PER_YEAR_AT_SCALE_1 = 50_000
ACTIVITIES_AT_SCALE_1 = 150  # running at any one time
CASELOAD = 32  # open trajectories per professional the staff is sized for
OPEN_WINDOW_DAYS = 56  # requests older than this are all closed
MIN_ATTEMPTS_FOR_NOT_REACHABLE = 3  # as wijk.requests.workflow

# The tables this module fills, in the order they are written; their rows are declared by
# name in wijk.synthetic.rows, and so are their fields.
WORK_TABLES = tuple(_WORK_TABLES)
WORK_FIELDS: dict[str, tuple[str, ...]] = {key: table.fields for key, table in _WORK_TABLES.items()}

# Rows per table (keys of WORK_TABLES), ready to write: each one its table's declared row.
Rows = dict[str, list[tuple[object, ...]]]
# The requests and everything that follows from them; then the rest.
REQUEST_TABLES = WORK_TABLES[: WORK_TABLES.index("pgb_evaluations") + 1]
COMMUNITY_TABLES = WORK_TABLES[len(REQUEST_TABLES) :]


@dataclass
class WorkChunk:
    """A part of the work: rows per table; `finished`, the tables that get no more rows
    after these (so their indexes can be built while the rest is made); `months`, how many
    months of requests it completes (for a progress bar)."""

    rows: Rows
    finished: tuple[str, ...] = ()
    months: int = 0


def _no_rows() -> Rows:
    return {table: [] for table in WORK_TABLES}


_RELATIONS = (REFERENCE_PERSON, PARTNER, CHILD, PARENT, OTHER_FAMILY, OTHER)
_PARENT_RELATIONS = frozenset({_RELATIONS.index(REFERENCE_PERSON), _RELATIONS.index(PARTNER)})
_CHILD = _RELATIONS.index(CHILD)
_NO_CHILD = -(10**9)


# -- the city, compactly -----------------------------------------------------------------------


@dataclass
class CityIndex:
    """What the work needs to know of each household and resident, in flat arrays indexed by
    their position in the generated city (ids are the first id plus the position)."""

    household_buurt: array[int] = field(default_factory=lambda: array("q"))
    household_postcode: bytearray = field(default_factory=bytearray)  # six bytes each
    household_youngest_child: array[int] = field(default_factory=lambda: array("q"))  # ordinal
    resident_household: array[int] = field(default_factory=lambda: array("q"))
    resident_birth: array[int] = field(default_factory=lambda: array("q"))  # ordinal
    resident_created: array[int] = field(default_factory=lambda: array("q"))  # POSIX seconds
    resident_relation: bytearray = field(default_factory=bytearray)  # index in _RELATIONS

    def collect(
        self, households: Iterable[tuple[DrawnHousehold, list[DrawnResident]]]
    ) -> Iterator[tuple[DrawnHousehold, list[DrawnResident]]]:
        """Pass the households through, noting each one."""
        relation_index = {relation: number for number, relation in enumerate(_RELATIONS)}
        for household, residents in households:
            position = len(self.household_buurt)
            self.household_buurt.append(household.buurt_id)
            self.household_postcode += household.postcode.encode("ascii").ljust(6)[:6]
            youngest = _NO_CHILD
            for row in residents:
                birth = row.date_of_birth.toordinal()
                relation = relation_index.get(row.relation, len(_RELATIONS) - 1)
                if relation == _CHILD:
                    youngest = max(youngest, birth)
                self.resident_household.append(position)
                self.resident_birth.append(birth)
                self.resident_created.append(int(row.created_at.timestamp()))
                self.resident_relation.append(relation)
            self.household_youngest_child.append(youngest)
            yield household, residents

    @property
    def households(self) -> int:
        return len(self.household_buurt)

    @property
    def residents(self) -> int:
        return len(self.resident_household)

    def postcode(self, household: int) -> str:
        return self.household_postcode[household * 6 : household * 6 + 6].decode("ascii").strip()


# -- what the database knows -------------------------------------------------------------------


@dataclass(frozen=True)
class TeamArea:
    team_id: int
    slug: str  # for usernames: prof-<slug>-<n>
    wijk_codes: frozenset[str]
    is_intake: bool = False


@dataclass(frozen=True)
class WijkInfo:
    wijk_id: int
    code: str
    name: str


class Deadlines(NamedTuple):
    first_contact: datetime.date
    support: datetime.date
    investigation: datetime.date


@dataclass(frozen=True)
class WorkSetting:
    """The database's side of the work: ids of areas, teams, staff and codes, the first id of
    each new table, and the calendar (working days and request deadlines, as the app computes
    them)."""

    areas: Sequence[Area]
    teams: Sequence[TeamArea]
    wijken: Sequence[WijkInfo]
    codes: Mapping[str, Mapping[str, int]]  # code list slug -> code -> id
    sub_themes: frozenset[str]  # policy theme codes that have a parent
    organisers: Sequence[int]  # organisations that run activities, the lead partner first
    professionals: Mapping[int, Sequence[int]]  # team id -> user ids
    team_leads: Mapping[int, Sequence[int]]
    first_ids: Mapping[str, int]  # "residents", "households" and every WORK_TABLES key
    working_day: Callable[[datetime.date], bool]
    deadlines: Callable[[datetime.datetime], Deadlines]
    # someone of the municipality's decision desk, who decides the decision cases (none: the
    # cases all still wait for a decision)
    decider: int | None = None


# -- distributions -----------------------------------------------------------------------------


class _Weighted[T]:
    """Items with weights; `pick` draws one with a single random()."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        kept = [(item, weight) for item, weight in pairs if weight > 0]
        if not kept:
            raise ValueError("nothing to choose from")
        self.items = tuple(item for item, _ in kept)
        self.cumulative = tuple(itertools.accumulate(weight for _, weight in kept))
        self.total = self.cumulative[-1]

    def pick(self, random_: Callable[[], float]) -> T:
        index = bisect.bisect(self.cumulative, random_() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def _code_weights(
    codes: Mapping[str, int], weights: Mapping[str, float], slug: str, default: float = 0.0
) -> _Weighted[int]:
    """Code ids weighted by code; codes without a weight get `default` (a code list may hold
    codes an administrator added). An empty list is a configuration error."""
    if not codes:
        raise ValueError(f"The reference list {slug!r} has no valid codes: load the lists first.")
    pairs = [
        (code_id, float(weights.get(code, default))) for code, code_id in sorted(codes.items())
    ]
    if not any(weight > 0 for _, weight in pairs):
        pairs = [(code_id, 1.0) for code_id, _ in pairs]
    return _Weighted(pairs)


CHANNEL_WEIGHTS = {
    "phone": 33, "digital_form": 20, "referral": 22, "walk_in": 10, "writing": 5, "outreach": 10,
}  # fmt: skip
REFERRER_WEIGHTS = {
    "gp": 25, "housing": 15, "ggd": 7, "cjg": 10, "school": 8, "police": 5, "debt_signal": 12,
    "municipality": 8, "volunteer_org": 5, "other": 5,
}  # fmt: skip
PROVISION_WEIGHTS = {
    "ggz": 18, "other_wmo": 16, "youth_care": 12, "debt_settlement": 10, "district_nursing": 8,
    "addiction": 6, "wlz": 5, "client_support": 5, "job_coaching": 5, "veilig_thuis": 4,
    "sheltered_housing": 3, "shelter": 3, "womens_shelter": 1, "integration": 1, "sensory": 1,
    "crisis_service": 1, "meldpunt": 1, "compulsory_care": 0.5,
}  # fmt: skip
# Life domains of a request's need, by age group.
DOMAIN_WEIGHTS_MINOR = {
    "domestic_relations": 30, "mental_health": 20, "time_use": 15, "social_network": 10,
    "work_education": 8, "substance_use": 5, "physical_health": 5, "justice": 4,
    "participation": 3,
}  # fmt: skip
DOMAIN_WEIGHTS_ADULT = {
    "finances": 22, "mental_health": 14, "domestic_relations": 12, "housing": 10,
    "social_network": 10, "work_education": 8, "physical_health": 6, "instrumental_adl": 5,
    "time_use": 4, "substance_use": 3, "participation": 3, "basic_adl": 2, "justice": 1,
}  # fmt: skip
DOMAIN_WEIGHTS_ELDERLY = {
    "physical_health": 20, "instrumental_adl": 20, "social_network": 18, "basic_adl": 12,
    "finances": 10, "housing": 8, "mental_health": 7, "domestic_relations": 3, "participation": 2,
}  # fmt: skip
CONTACT_CHANNEL_WEIGHTS = {
    "phone": 45, "walk_in": 25, "digital_form": 12, "outreach": 12, "writing": 3, "referral": 3,
}  # fmt: skip
CONTACT_DOMAIN_WEIGHTS = {
    "finances": 25, "housing": 10, "social_network": 9, "instrumental_adl": 9,
    "work_education": 7, "physical_health": 7, "mental_health": 7, "domestic_relations": 6,
    "participation": 6, "time_use": 5, "basic_adl": 3, "substance_use": 2, "justice": 2,
}  # fmt: skip
# WMO588 reasons for ending support (iWmo), weighted.
OUTFLOW_WEIGHTS = {
    "19": 55, "23": 10, "21": 9, "39": 6, "31": 5, "38": 5, "20": 3, "22": 2, "02": 2, "36": 1,
    "37": 1,
}  # fmt: skip
# Per reason: the chance of a warm handover, and where to.
# Together about one in ten closed trajectories.
HANDOVER_BY_REASON: dict[str, tuple[float, tuple[str, ...]]] = {
    "31": (0.6, ("other_municipality",)),
    "38": (0.6, ("other_provider",)),
    "39": (0.45, ("zvw", "wlz", "jeugdwet")),
    "19": (0.02, ("zvw", "other_provider")),
    "23": (0.03, ("other_provider",)),
}
HANDOVER_RECEIVERS = {
    "zvw": ("Huisartsenpraktijk (POH-GGZ)", "Wijkverpleging Spaarnestad", "GGZ Kennemerland"),
    "wlz": ("Zorgkantoor Zilveren Kruis", "Woonzorgcentrum De Linde", "CIZ-indicatie, Wlz"),
    "jeugdwet": ("Centrum voor Jeugd en Gezin Haarlem", "Jeugdhulp Kennemerland"),
    "other_municipality": (
        "Gemeente Heemstede", "Gemeente Bloemendaal", "Gemeente Zandvoort", "Gemeente Velsen",
        "Gemeente Haarlemmermeer", "Gemeente Amsterdam", "Gemeente Leiden",
    ),
    "other_provider": ("Stichting Thuisbegeleiding Noord", "Zorgaanbieder Spaarnezorg"),
}  # fmt: skip
PART_WEIGHTS = {"sociaal_wijkteam": 70, "aanvullende_ondersteuning": 20, "sociale_basis": 10}
ZRM_SHARE = {"sociaal_wijkteam": 0.75, "aanvullende_ondersteuning": 0.85, "sociale_basis": 0.35}

# Investigations and support plans (issue 13), for trajectories of these parts: the share of
# them with an investigation of the request, and with a plan for the household (AO always:
# its trajectory rests on a signed plan).
INVESTIGATION_SHARE = {"sociaal_wijkteam": 0.6, "aanvullende_ondersteuning": 0.9}
PLAN_SHARE = {"sociaal_wijkteam": 0.85, "aanvullende_ondersteuning": 1.0}
INVESTIGATION_WEEKS = 6  # completed within six weeks of receipt, as the law asks; some late
INVESTIGATION_LATE_SHARE = 0.12
PLAN_VERSION_SHARES = (0.45, 0.3, 0.15, 0.1)  # 1-4 versions
PLAN_GOAL_SHARES = (0.3, 0.45, 0.25)  # 1-3 goals per version
PLAN_UNSIGNED_SHARE = 0.08  # a plan that never got signed (draft, or ended as a draft)
SIGNATURE_METHOD_WEIGHTS = {"in_person": 55, "typed": 45}  # no files: no drawn or scan
RIGHTS_EXPLAINED_SHARE = 0.9
EVALUATION_OVERDUE_SHARE = 0.2  # of evaluations due in the last two months: not held yet
PLAN_END_REASON_WEIGHTS = {
    "goals_reached": 50,
    "no_longer_wanted": 15,
    "moved": 10,
    "transferred": 15,
    "died": 2,
    "other": 8,
}
PERSPECTIVE_WEIGHTS = {"yes": 45, "partly": 40, "no": 15}
GOAL_PROGRESS_WEIGHTS = {"achieved": 20, "progressing": 50, "no_progress": 20, "stopped": 10}
PLAN_GOALS = (
    ("Mijn schulden zijn in beeld en ik heb een regeling.", "Rust over geld."),
    ("Ik kan zelf mijn administratie bijhouden.", "Geen achterstanden meer."),
    ("Ik heb iemand met wie ik praat als het moeilijk gaat.", "Minder alleen."),
    ("Ik woon veilig en houd mijn huis schoon.", "Geen klachten van de verhuurder."),
    ("Ik ga twee keer per week naar een activiteit in de buurt.", "Meer mensen om me heen."),
    ("Mijn kinderen gaan elke dag naar school.", "Rust in het gezin."),
    ("Ik zoek werk of vrijwilligerswerk dat bij me past.", "Een dag met ritme."),
    ("Ik krijg de zorg die ik thuis nodig heb.", "Langer zelfstandig wonen."),
)
PLAN_TEXTS = {
    "own_strength": "Een zus en een buurvrouw helpen mee; de inwoner wil zelf de regie houden.",
    "preceding_provisions": "Schuldhulp via de gemeente; huisarts en POH-GGZ zijn betrokken.",
    "solution": "Wekelijks gesprek met de regisseur; een maatje via de sociale basis.",
    "partners": "Huisarts, woningcorporatie, schuldhulpverlening.",
    "perspective": "De inwoner redt het zelf, met hulp van het eigen netwerk.",
}
AO_SCOPE = "Ambulante begeleiding, twee uur per week, voor een jaar."
NO_ZRM_REASON = "De ZRM wordt bij het traject bijgehouden."
UNDERLYING_QUESTION = "Wat is er nodig zodat de inwoner weer grip krijgt op het dagelijks leven?"
RESIDENT_VIEW = "Het gaat beter, maar ik heb de steun nog nodig."
TYPED_NAME = "Getypt en bevestigd door de inwoner"
# Decision cases: a pgb for about one in twenty AO plans, a written decision the resident asks
# for now and then.
PGB_SHARE = 0.05
WRITTEN_DECISION_SHARE = 0.02
PGB_GRANTED_SHARE = 0.85
DRAFT_DECISION = {
    "pgb": "Wij stellen voor een persoonsgebonden budget toe te kennen voor de begeleiding.",
    "requested": "De inwoner vraagt om een schriftelijke beschikking over de ondersteuning.",
}
PGB_PLAN = "De inwoner koopt de begeleiding zelf in bij een zorgverlener die hij kent."
PGB_EVALUATION_OUTCOME = "Het budget wordt goed besteed; de begeleiding gaat door."

QUESTIONS = {
    "finances": (
        "Ik heb schulden en de rekeningen stapelen zich op.",
        "Ik kom niet rond van mijn inkomen.",
        "Ik wil hulp bij mijn geldzaken en mijn post.",
    ),
    "work_education": (
        "Ik ben mijn baan kwijt en wil weer aan het werk.",
        "Ik zoek een opleiding en weet niet waar ik moet beginnen.",
    ),
    "time_use": (
        "Ik zit veel thuis en wil overdag iets zinvols doen.",
        "Mijn kind gaat niet meer naar school.",
    ),
    "housing": (
        "Ik dreig mijn huis te verliezen.",
        "Mijn woning past niet meer bij wat ik kan.",
    ),
    "domestic_relations": (
        "Er is veel spanning thuis.",
        "Wij hebben vragen over de opvoeding van onze kinderen.",
        "Ik ga scheiden en weet niet hoe het verder moet.",
    ),
    "mental_health": (
        "Ik voel me somber en heb weinig energie.",
        "Ik maak me zorgen over mijn buurvrouw, zij lijkt in de war.",
    ),
    "physical_health": (
        "Door mijn ziekte lukt het huishouden niet meer.",
        "Na mijn operatie heb ik een tijd hulp nodig.",
    ),
    "substance_use": (
        "Ik drink te veel en wil daar hulp bij.",
        "Mijn zoon gebruikt drugs en ik weet niet wat ik moet doen.",
    ),
    "basic_adl": ("Mezelf wassen en aankleden gaat niet meer goed.",),
    "instrumental_adl": (
        "Boodschappen doen en koken lukt niet meer.",
        "Ik heb hulp nodig bij formulieren en brieven.",
    ),
    "social_network": (
        "Ik voel me eenzaam en ken weinig mensen in de buurt.",
        "Ik zorg voor mijn moeder en het wordt me te veel.",
    ),
    "participation": ("Ik wil graag meedoen in de buurt, maar weet niet hoe.",),
    "justice": (
        "Ik kom net uit detentie en zoek hulp bij een nieuwe start.",
        "Ik heb een boete die ik niet kan betalen.",
    ),
}
OTHER_QUESTIONS = ("Ik heb een vraag over ondersteuning in mijn situatie.",)

# Group activities: name, sub-theme, target group, typical attendance, youth share.
ACTIVITY_KINDS: tuple[tuple[str, str, str, int, float], ...] = (
    ("Koffieochtend", "meeting", "everyone", 14, 0.02),
    ("Buurtmaaltijd", "housing", "everyone", 20, 0.10),
    ("Taalcafé", "belonging", "everyone", 12, 0.08),
    ("Wandelgroep", "healthy_lifestyle", "everyone", 10, 0.02),
    ("Beweegles voor ouderen", "healthy_lifestyle", "elderly", 12, 0.0),
    ("Digicafé", "administration_digital", "elderly", 8, 0.0),
    ("Formulierenspreekuur", "administration_digital", "everyone", 9, 0.03),
    ("Inloop geldzaken", "money_worries", "everyone", 7, 0.04),
    ("Kookclub", "making_ends_meet", "everyone", 10, 0.10),
    ("Repair Café", "initiatives", "everyone", 15, 0.05),
    ("Mantelzorgcafé", "informal_care", "informal_carers", 9, 0.02),
    ("Lotgenotengroep", "peer_support", "vulnerable", 8, 0.05),
    ("Vrijwilligerspunt", "volunteering", "everyone", 6, 0.10),
    ("Huiswerkbegeleiding", "belonging", "children", 12, 1.0),
    ("Tienerinloop", "safety", "youth", 16, 1.0),
    ("Sport in de wijk", "healthy_lifestyle", "youth", 18, 0.95),
    ("Speeltuinmiddag", "belonging", "children", 25, 0.8),
    ("Ouder-en-kindochtend", "parenting", "parents", 12, 0.45),
    ("Opvoedcafé", "parenting", "parents", 9, 0.0),
    ("Buurtmoestuin", "meaningful_work", "vulnerable", 8, 0.05),
    ("Werkplaats", "meaningful_work", "vulnerable", 10, 0.10),
    ("Mentaal fit", "mental_functioning", "everyone", 9, 0.10),
    ("Fietsmaatjes", "mobility", "elderly", 6, 0.0),
    ("Samen aan tafel", "social_network", "elderly", 12, 0.0),
)
VENUES = ("Buurtcentrum", "Wijkcentrum", "Buurthuis", "Bibliotheek", "Sporthal", "Kerkzaal")

# Requests by day: weekday factors (Monday first), and lower in the summer and at Christmas.
REQUEST_WEEKDAY = (1.25, 1.1, 1.05, 1.0, 0.85, 0.12, 0.08)
CONTACT_WEEKDAY = (1.1, 1.05, 1.0, 1.0, 0.85, 0.03, 0.0)
CLOSED_DAY = 0.1  # a holiday on a weekday: the digital form only
MONTH_FACTOR = {7: 0.85, 8: 0.8, 12: 0.9}
# The chance that a resident asks, by age: few requests are about young children directly.
_ASK_BY_AGE = tuple(
    0.05 if age < 4 else 0.25 if age < 12 else 0.4 if age < 18 else 0.9 if age < 23
    else 0.75 if age < 65 else 0.9 if age < 80 else 1.0
    for age in range(130)
)  # fmt: skip
_DAY = 86_400


# -- sizing the staff --------------------------------------------------------------------------


def _duration_days(random_: Callable[[], float], part: str) -> int:
    """How long a trajectory of this part lasts: weeks to years."""
    draw = random_()
    if part == "sociale_basis":
        return 14 + int(random_() * 99)
    if part == "aanvullende_ondersteuning":
        return 90 + int(random_() * 276) if draw < 0.4 else 366 + int(random_() * 1095)
    if draw < 0.35:
        return 28 + int(random_() * 57)
    if draw < 0.8:
        return 90 + int(random_() * 276)
    return 366 + int(random_() * 735)


def _team_of_buurt(areas: Sequence[Area], teams: Sequence[TeamArea]) -> dict[int, int]:
    """buurt id -> the team covering its wijk, or the intake team."""
    intake = next((team.team_id for team in teams if team.is_intake), None)
    by_wijk = {
        code: team.team_id for team in teams if not team.is_intake for code in team.wijk_codes
    }
    mapping = {}
    for area in areas:
        team_id = by_wijk.get(area.wijk_code, intake)
        if team_id is not None:
            mapping[area.buurt_id] = team_id
    return mapping


def team_residents(
    *, city: CityIndex, areas: Sequence[Area], teams: Sequence[TeamArea]
) -> dict[int, int]:
    """Residents per team (by the wijk they live in)."""
    team_of = _team_of_buurt(areas, teams)
    per_buurt: dict[int, int] = {}
    for household in city.resident_household:
        buurt = city.household_buurt[household]
        per_buurt[buurt] = per_buurt.get(buurt, 0) + 1
    counts = {team.team_id: 0 for team in teams}
    for buurt, count in per_buurt.items():
        team_id = team_of.get(buurt)
        if team_id is not None:
            counts[team_id] += count
    return counts


def staff_plan(
    *,
    city: CityIndex,
    areas: Sequence[Area],
    teams: Sequence[TeamArea],
    scale: float,
    years: int,
) -> dict[int, tuple[int, int]]:
    """Professionals and team leads per team: enough professionals for CASELOAD open
    trajectories each at the end of the history (the team's share of new trajectories times
    their average time open, by Little's law), one team lead per twelve professionals."""
    durations = random.Random(0)
    parts = _Weighted(PART_WEIGHTS.items())
    samples = 20_000
    mean_open_years = (
        sum(
            min(_duration_days(durations.random, str(parts.pick(durations.random))), years * 365)
            for _ in range(samples)
        )
        / samples
        / 365
    )
    residents = team_residents(city=city, areas=areas, teams=teams)
    total = sum(residents.values()) or 1
    new_per_year = TRAJECTORIES_PER_YEAR_AT_SCALE_1 * scale
    plan = {}
    for team in teams:
        if team.is_intake:
            professionals = max(2, round(2 * scale))
        else:
            open_at_end = new_per_year * residents[team.team_id] / total * mean_open_years
            professionals = max(2, round(open_at_end / CASELOAD))
        plan[team.team_id] = (professionals, max(1, round(professionals / 12)))
    return plan


def person_name(seed_text: str, data: NameData | None = None) -> tuple[str, str]:
    """A given name and a family name (with its prefix), the same for the same text."""
    data = data or load_data()
    rng = random.Random(seed_text)
    origin = "nl" if rng.random() < 0.8 else rng.choice(("ma", "tr", "sr", "pl", "int"))
    sex = "f" if rng.random() < 0.6 else "m"
    cohort = "middle" if origin == "nl" else "any"
    given = rng.choice(data.given[(sex, origin, cohort)])
    weighted = data.family[origin]
    index = bisect.bisect(weighted.cumulative, rng.random() * weighted.cumulative[-1])
    prefix, family = weighted.items[min(index, len(weighted.items) - 1)]
    return given, f"{prefix} {family}".strip()


# -- request references ------------------------------------------------------------------------

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as wijk.requests.services
_REFERENCE_SPACE = len(_REFERENCE_ALPHABET) ** 8
_REFERENCE_MULTIPLIER = 2_654_435_761  # prime, so id -> reference is a bijection


_REFERENCE_PAIRS = tuple(a + b for a in _REFERENCE_ALPHABET for b in _REFERENCE_ALPHABET)
_PAIR_SPACE = len(_REFERENCE_PAIRS)


def request_reference(request_id: int) -> str:
    """An eight-character reference made from the id: unique (a bijection on the ids), but
    not in order. wijk.requests.services draws them at random instead."""
    value = (request_id * _REFERENCE_MULTIPLIER + 48_271) % _REFERENCE_SPACE
    value, first = divmod(value, _PAIR_SPACE)
    value, second = divmod(value, _PAIR_SPACE)
    fourth, third = divmod(value, _PAIR_SPACE)
    pairs = _REFERENCE_PAIRS
    return pairs[first] + pairs[second] + pairs[third] + pairs[fourth]


# -- the calendar ------------------------------------------------------------------------------


class _Calendar:
    """Local days (ordinals) of the history, their start as POSIX seconds in Amsterdam, the
    working days among them and the request deadlines per day of receipt."""

    def __init__(
        self,
        first: int,
        last: int,
        working_day: Callable[[datetime.date], bool],
        deadlines: Callable[[datetime.datetime], Deadlines],
    ) -> None:
        self.first = first
        self.starts: list[int] = []
        self.working: list[int] = []
        self.is_working = bytearray()
        for ordinal in range(first, last + 1):
            day = datetime.date.fromordinal(ordinal)
            start = datetime.datetime(day.year, day.month, day.day, tzinfo=AMSTERDAM)
            self.starts.append(int(start.timestamp()))
            working = working_day(day)
            self.is_working.append(working)
            if working:
                self.working.append(ordinal)
        self._deadlines = deadlines
        self._deadline_cache: dict[int, Deadlines] = {}

    def start(self, ordinal: int) -> int:
        return self.starts[ordinal - self.first]

    def working_day_after(self, ordinal: int, count: int) -> int:
        """The `count`-th working day after `ordinal` (0: the day itself when it is one,
        otherwise the next working day)."""
        index = bisect.bisect_right(self.working, ordinal)
        if count == 0:
            return ordinal if self.is_working[ordinal - self.first] else self.working[index]
        return self.working[index + count - 1]

    def next_working_day(self, ordinal: int) -> int:
        return self.working_day_after(ordinal, 0)

    def deadlines(self, ordinal: int, moment: int) -> Deadlines:
        """The deadlines of a request received at `moment` on local day `ordinal`: computed
        by the app's own function, once per day of receipt (they depend on the day only)."""
        cached = self._deadline_cache.get(ordinal)
        if cached is None:
            cached = self._deadlines(datetime.datetime.fromtimestamp(moment, UTC))
            self._deadline_cache[ordinal] = cached
        return cached


# -- generation --------------------------------------------------------------------------------


class _Asker(NamedTuple):
    resident: int | None  # position in the city
    household: int | None
    buurt: int | None
    age: int
    requested_by: str
    name: str  # the requester's, when not the resident
    phone: str
    postcode: str


class _Timeline(NamedTuple):
    attempts: list[tuple[int, bool]]  # (moment, reached), the reached one last
    contact: int | None  # the first contact
    closed: int


class _Start(NamedTuple):
    """A request that started support: what its trajectory starts from."""

    request_id: int
    resident: int
    household: int
    team: int
    moment: int
    need: int  # the primary life domain
    received: int  # when the request came in


class _Counter:
    """Ids for one table: the first id, then one more per row."""

    __slots__ = ("next_id",)

    def __init__(self, first: int) -> None:
        self.next_id = first

    def take(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


@dataclass
class _Activity:
    activity_id: int
    ends: int  # ordinal of the last possible session day (exclusive)
    next_session: int  # ordinal
    step: int  # days between sessions
    summer_break: bool
    size: float
    youth_share: float
    registered_by: Sequence[int]


class _WorkGenerator:
    """Draws the work, a month at a time (see work_generate)."""

    def __init__(
        self,
        *,
        seed: int,
        scale: float,
        years: int,
        as_of: datetime.date,
        city: CityIndex,
        setting: WorkSetting,
    ) -> None:
        self.rng = random.Random(f"wijk-work-{seed}")
        self.random = self.rng.random
        # moments (POSIX seconds) and days (ordinals) as the rows hold them
        self.time: Callable[[int], datetime.datetime] = functools.partial(
            datetime.datetime.fromtimestamp, tz=UTC
        )
        self.date: Callable[[int], datetime.date] = datetime.date.fromordinal
        self.scale = scale
        self.city = city
        self.setting = setting
        self.data = load_data()
        self.end_ordinal = as_of.toordinal()  # exclusive
        self.start_ordinal = self.end_ordinal - years * 365
        self.calendar = _Calendar(
            self.start_ordinal - 7,
            self.end_ordinal + 400,
            setting.working_day,
            setting.deadlines,
        )
        self.end_ts = self.calendar.start(self.end_ordinal)
        self.ids = {table: _Counter(setting.first_ids[table]) for table in WORK_TABLES}
        self.resident_0 = setting.first_ids["residents"]
        self.household_0 = setting.first_ids["households"]
        self._codes(setting)
        self._teams(setting)
        self._residents_by_creation()
        # Investigations and plans draw from a stream of their own, so the rest of the work
        # is the same with or without them.
        self.plan_rng = random.Random(f"wijk-plans-{seed}")
        self.plan_random = self.plan_rng.random
        # per household (position in the city): the last day of its newest plan (open: the
        # end of time) and, of an AO plan, its newest signed version (the decision an AO
        # trajectory rests on)
        self.plan_until: dict[int, int] = {}
        self.plan_signed_ao: dict[int, int] = {}

    # set-up

    def _codes(self, setting: WorkSetting) -> None:
        codes = setting.codes

        def weighted(
            slug: str, weights: Mapping[str, float], default: float = 0.0
        ) -> _Weighted[int]:
            return _code_weights(codes.get(slug, {}), weights, slug, default)

        self.channels = weighted("channels", CHANNEL_WEIGHTS, 1)
        self.channel_ids = dict(codes["channels"])
        self.channel_code = {code_id: code for code, code_id in self.channel_ids.items()}
        self.referrers = weighted("referrer_types", REFERRER_WEIGHTS, 1)
        self.referrer_code = {code_id: code for code, code_id in codes["referrer_types"].items()}
        self.provisions = weighted("out_of_scope_provisions", PROVISION_WEIGHTS, 1)
        self.inflow_reasons = dict(codes["inflow_reasons"])
        if not self.inflow_reasons:
            raise ValueError("The reference list 'inflow_reasons' has no valid codes.")
        self.domains = dict(codes["life_domains"])
        self.domain_code = {code_id: code for code, code_id in self.domains.items()}
        self.domain_order = tuple(sorted(self.domains.values()))
        self.need_by_age = (
            weighted("life_domains", DOMAIN_WEIGHTS_MINOR),
            weighted("life_domains", DOMAIN_WEIGHTS_ADULT),
            weighted("life_domains", DOMAIN_WEIGHTS_ELDERLY),
        )
        self.outflow = weighted("outflow_reasons", OUTFLOW_WEIGHTS)
        self.outflow_code = {code_id: code for code, code_id in codes["outflow_reasons"].items()}
        self.death = codes["outflow_reasons"].get("02")
        self.contact_channels = weighted("channels", CONTACT_CHANNEL_WEIGHTS, 1)
        self.contact_domains = weighted("life_domains", CONTACT_DOMAIN_WEIGHTS, 1)
        themes = codes.get("policy_themes", {})
        sub_themes = {
            code: code_id for code, code_id in themes.items() if code in setting.sub_themes
        }
        groups = dict(codes.get("target_groups", {}))
        if not sub_themes or not groups:
            raise ValueError("The lists 'policy_themes' and 'target_groups' need valid codes.")
        self.sub_themes = sub_themes
        self.target_groups = groups
        self.parts = _Weighted(PART_WEIGHTS.items())
        self.signature_methods = _Weighted(SIGNATURE_METHOD_WEIGHTS.items())
        self.goal_progress = _Weighted(GOAL_PROGRESS_WEIGHTS.items())
        self.plan_end_reasons = _Weighted(PLAN_END_REASON_WEIGHTS.items())
        self.perspectives = _Weighted(PERSPECTIVE_WEIGHTS.items())

    def _teams(self, setting: WorkSetting) -> None:
        self.team_of_buurt = _team_of_buurt(setting.areas, setting.teams)
        intake = [team.team_id for team in setting.teams if team.is_intake]
        if not intake:
            raise ValueError("There is no intake team: run the seed's team set-up first.")
        self.intake = intake[0]
        for team in setting.teams:
            if not setting.professionals.get(team.team_id):
                raise ValueError(f"Team {team.slug} has no professionals.")
        self.professionals = {team: tuple(ids) for team, ids in setting.professionals.items()}
        self.leads = {
            team: tuple(ids) or self.professionals[team] for team, ids in setting.team_leads.items()
        }
        # open trajectories per professional, as heaps of the days they end
        self.caseloads: dict[int, list[list[int]]] = {
            team: [[] for _ in ids] for team, ids in self.professionals.items()
        }
        residents = team_residents(city=self.city, areas=setting.areas, teams=setting.teams)
        # short contacts and activities follow where people live; the intake team takes some
        weights = [
            (team.team_id, float(residents[team.team_id]))
            for team in setting.teams
            if team.team_id != self.intake
        ]
        weights.append((self.intake, 0.02 * sum(weight for _, weight in weights)))
        self.contact_teams = _Weighted(weights)
        wijk_id = {wijk.code: wijk.wijk_id for wijk in setting.wijken}
        households = collections.Counter(self.city.household_buurt)
        per_wijk: collections.Counter[int] = collections.Counter()
        for area in setting.areas:
            if area.wijk_code in wijk_id:
                per_wijk[wijk_id[area.wijk_code]] += households[area.buurt_id]
        team_of_wijk = {
            wijk_id[code]: team.team_id
            for team in setting.teams
            if not team.is_intake
            for code in sorted(team.wijk_codes)
            if code in wijk_id
        }
        self.wijk_name = {wijk.wijk_id: wijk.name for wijk in setting.wijken}
        self.team_of_wijk = team_of_wijk
        self.wijken_of_team: dict[int, _Weighted[int]] = {}
        for team in setting.teams:
            pairs = [
                (wijk, float(per_wijk[wijk]))
                for wijk, owner in team_of_wijk.items()
                if owner == team.team_id
            ]
            if any(weight > 0 for _, weight in pairs):
                self.wijken_of_team[team.team_id] = _Weighted(pairs)
        covered = [(wijk, float(per_wijk[wijk])) for wijk in team_of_wijk]
        if not any(weight > 0 for _, weight in covered):
            raise ValueError("No team covers a wijk where people live: run the team set-up.")
        self.activity_wijken = _Weighted(covered)

    def _residents_by_creation(self) -> None:
        city = self.city
        order = sorted(range(city.residents), key=city.resident_created.__getitem__)
        self.created_order = array("q", order)
        self.created_sorted = array("q", (city.resident_created[p] for p in order))

    # small draws

    def _below(self, count: int) -> int:
        return int(self.random() * count)

    def _poisson(self, mean: float) -> int:
        if mean <= 0:
            return 0
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, count, product = math.exp(-mean), 0, self.random()
        while product > limit:
            count += 1
            product *= self.random()
        return count

    def _moment(self, ordinal: int, first_hour: float, last_hour: float) -> int:
        """A moment on a local day between two hours."""
        seconds = int((first_hour + self.random() * (last_hour - first_hour)) * 3600)
        return self.calendar.start(ordinal) + seconds

    def _staff(self, team: int) -> int:
        """Someone of the team doing the work: a professional, now and then a team lead."""
        if self.random() < 0.05:
            leads = self.leads[team]
            return leads[self._below(len(leads))]
        professionals = self.professionals[team]
        return professionals[self._below(len(professionals))]

    def _coordinator(self, team: int, inflow: int, outflow: int) -> int:
        """The coordinator: the less busy of two professionals (open trajectories on the day
        of inflow), so caseloads stay even; now and then a team lead."""
        if self.random() < 0.03:
            leads = self.leads[team]
            return leads[self._below(len(leads))]
        professionals, loads = self.professionals[team], self.caseloads[team]
        first, second = self._below(len(professionals)), self._below(len(professionals))
        for candidate in (first, second):
            heap = loads[candidate]
            while heap and heap[0] <= inflow:
                heapq.heappop(heap)
        chosen = first if len(loads[first]) <= len(loads[second]) else second
        heapq.heappush(loads[chosen], outflow)
        return professionals[chosen]

    def _age(self, resident: int, ordinal: int) -> int:
        return (ordinal - self.city.resident_birth[resident]) * 4 // 1461

    def _resident_asking(self, ordinal: int, moment: int) -> int | None:
        """A resident registered before `moment` and born by then, likelier by age."""
        count = bisect.bisect_right(self.created_sorted, moment)
        if count == 0:
            return None
        chosen = None
        for _ in range(12):
            resident = self.created_order[self._below(count)]
            if self.city.resident_birth[resident] > ordinal:
                continue
            chosen = resident
            if self.random() < _ASK_BY_AGE[min(self._age(resident, ordinal), 129)]:
                break
        return chosen

    def _name(self) -> str:
        data, random_ = self.data, self.random
        origin = "nl" if random_() < 0.8 else ("ma", "tr", "sr", "pl", "int")[self._below(5)]
        sex = "f" if random_() < 0.55 else "m"
        names = data.given[(sex, origin, "middle" if origin == "nl" else "any")]
        weighted = data.family[origin]
        index = bisect.bisect(weighted.cumulative, random_() * weighted.cumulative[-1])
        prefix, family = weighted.items[min(index, len(weighted.items) - 1)]
        return " ".join(part for part in (names[self._below(len(names))], prefix, family) if part)

    # the history, a month at a time

    def chunks(self) -> Iterator[WorkChunk]:
        """Two passes over the history: first the requests and all that follows from them,
        a month at a time; then the short contacts and the activities, a year at a time."""
        request_factor, contact_factor = self._day_factors()
        years = (self.end_ordinal - self.start_ordinal) / 365
        request_mean = (
            TRAJECTORIES_PER_YEAR_AT_SCALE_1 * REQUESTS_PER_TRAJECTORY * self.scale * years
            / sum(request_factor)
        )  # fmt: skip
        contact_mean = CONTACTS_PER_YEAR_AT_SCALE_1 * self.scale * years / sum(contact_factor)
        start, end = self.start_ordinal, self.end_ordinal
        for first, until in self._periods(yearly=False):
            rows = _no_rows()
            for ordinal in range(first, until):
                for _ in range(self._poisson(request_mean * request_factor[ordinal - start])):
                    self._request(rows, ordinal)
            yield WorkChunk(rows, finished=REQUEST_TABLES if until == end else (), months=1)
        rows = _no_rows()
        activities = self._activities(rows)
        for first, until in self._periods(yearly=True):
            for ordinal in range(first, until):
                count = self._poisson(contact_mean * contact_factor[ordinal - start])
                self._short_contacts(rows, ordinal, count)
            self._sessions(rows, activities, first, until)
            yield WorkChunk(rows, finished=COMMUNITY_TABLES if until == end else ())
            rows = _no_rows()

    def _periods(self, *, yearly: bool) -> Iterator[tuple[int, int]]:
        """The history in calendar months (or years): (first day, day after the last)."""
        first = self.start_ordinal
        for ordinal in range(self.start_ordinal + 1, self.end_ordinal + 1):
            day = datetime.date.fromordinal(ordinal)
            if ordinal == self.end_ordinal or (day.day == 1 and (day.month == 1 or not yearly)):
                yield first, ordinal
                first = ordinal

    def _day_factors(self) -> tuple[list[float], list[float]]:
        requests, contacts = [], []
        for ordinal in range(self.start_ordinal, self.end_ordinal):
            day = datetime.date.fromordinal(ordinal)
            weekday = day.weekday()
            season = MONTH_FACTOR.get(day.month, 1.0)
            if day.month == 12 and day.day > 20:
                season = 0.6
            closed = weekday < 5 and not self.calendar.is_working[ordinal - self.calendar.first]
            requests.append((CLOSED_DAY if closed else REQUEST_WEEKDAY[weekday]) * season)
            contacts.append((0.03 if closed else CONTACT_WEEKDAY[weekday]) * season)
        return requests, contacts

    # requests

    def _request(self, chunk: Rows, ordinal: int) -> None:
        """One request received on local day `ordinal`, its history up to the end, and the
        trajectory it started."""
        random_, calendar = self.random, self.calendar
        if calendar.is_working[ordinal - calendar.first]:
            channel = self.channels.pick(random_)
        else:  # weekends and holidays: the digital form
            channel = self.channel_ids.get("digital_form") or self.channels.pick(random_)
        channel_code = self.channel_code.get(channel, "")
        if channel_code == "digital_form":
            received = self._moment(ordinal, 6, 23.5)
        elif channel_code in ("phone", "walk_in", "writing"):
            received = self._moment(ordinal, 8.5, 17)
        else:
            received = self._moment(ordinal, 8, 19)
        request_id = self.ids["requests"].take()
        deadlines = calendar.deadlines(ordinal, received)
        asker = self._asker(ordinal, received, channel_code)
        team = (
            self.intake if asker.buurt is None else self.team_of_buurt.get(asker.buurt, self.intake)
        )
        referrer_type = None
        if channel_code == "referral" or (channel_code != "outreach" and random_() < 0.05):
            referrer_type = self.referrers.pick(random_)
        age = asker.age
        need = self.need_by_age[0 if age < 18 else 2 if age >= 75 else 1].pick(random_)
        questions = QUESTIONS.get(self.domain_code.get(need, ""), OTHER_QUESTIONS)
        question = questions[self._below(len(questions))]
        created_by = None if channel_code == "digital_form" else self._staff(team)
        outcomes = UNLINKED_OUTCOMES if asker.resident is None else LINKED_OUTCOMES
        outcome = _pick_outcome(random_(), outcomes)
        timeline = self._timeline(outcome, ordinal, received, deadlines)

        # what of it happened before the end of the history
        end_ts, closed = self.end_ts, timeline.closed
        is_closed = closed < end_ts or ordinal < self.end_ordinal - OPEN_WINDOW_DAYS
        attempts = [attempt for attempt in timeline.attempts if is_closed or attempt[0] < end_ts]
        contact = timeline.contact
        if contact is not None and not is_closed and contact >= end_ts:
            contact = None
        if is_closed and closed >= end_ts:  # an old request closed late: on the last day
            closed = max(end_ts - 3600, max((moment for moment, _ in attempts), default=0) + 1)
        assigned = self._staff(team)
        assigned_to: int | None = assigned
        if not is_closed and not attempts and random_() < 0.35:
            assigned_to = None  # still in the team's queue

        status_ids, status_rows = (
            self.ids["request_status_changes"],
            chunk["request_status_changes"],
        )
        time = self.time
        status_rows.append(
            request_status_change_row(
                id=status_ids.take(),
                help_request=request_id,
                seq=1,
                status="received",
                at=time(received),
                by=created_by,
                reason="",
            )
        )
        if contact is not None:
            status_rows.append(
                request_status_change_row(
                    id=status_ids.take(),
                    help_request=request_id,
                    seq=2,
                    status="contacted",
                    at=time(contact),
                    by=assigned,
                    reason="",
                )
            )
        attempt_ids = self.ids["contact_attempts"]
        chunk["contact_attempts"].extend(
            contact_attempt_row(
                id=attempt_ids.take(),
                help_request=request_id,
                at=time(moment),
                by=assigned,
                reached=reached,
            )
            for moment, reached in attempts
        )
        provision = None
        if is_closed:
            seq = 3 if contact is not None else 2
            status_rows.append(
                request_status_change_row(
                    id=status_ids.take(),
                    help_request=request_id,
                    seq=seq,
                    status="closed",
                    at=time(closed),
                    by=assigned,
                    reason="",
                )
            )
            if outcome == "referred_out":
                provision = self.provisions.pick(random_)
            status = "closed"
        else:
            outcome = ""
            status = "received" if contact is None else "contacted"
        resident, household = asker.resident, asker.household
        chunk["requests"].append(
            request_row(
                id=request_id,
                reference=request_reference(request_id),
                received_at=time(received),
                channel=channel,
                referrer_type=referrer_type,
                referrer_organisation=None,
                resident=None if resident is None else self.resident_0 + resident,
                household=None if household is None else self.household_0 + household,
                requested_by=asker.requested_by,
                requester_name=asker.name,
                requester_phone=asker.phone,
                requester_email="",
                postcode=asker.postcode,
                buurt=asker.buurt,
                question=question,
                team=team,
                assigned_to=assigned_to,
                created_by=created_by,
                status=status,
                first_contact_due=deadlines.first_contact,
                support_due=deadlines.support,
                investigation_due=deadlines.investigation,
                first_contact_at=None if contact is None else time(contact),
                outcome=outcome,
                outcome_at=time(closed) if is_closed else None,
                outcome_provision=provision,
                submission_key=None,
                unreached_attempts=sum(1 for _moment, reached in attempts if not reached),
            )
        )
        if outcome == "support_started" and resident is not None and household is not None:
            self._trajectory(
                chunk,
                _Start(request_id, resident, household, team, closed, need, received),
                channel_code,
                referrer_type,
                asker.requested_by,
            )

    def _asker(self, ordinal: int, received: int, channel_code: str) -> _Asker:
        """Who the request is for, and who asked: mostly a registered resident (themselves,
        a relative, a referrer, a parent for a minor); now and then someone not (yet) linked
        to a file, with a postcode or without (then the intake team takes it)."""
        random_, city = self.random, self.city
        linked = channel_code in ("referral", "outreach") or random_() < 0.925
        resident = self._resident_asking(ordinal, received) if linked else None
        if resident is None:
            postcode, buurt = "", None
            if random_() < 0.7:
                place = self._below(city.households)
                postcode, buurt = city.postcode(place), city.household_buurt[place]
            return _Asker(None, None, buurt, 40, "self", self._name(), self._phone(), postcode)
        household = city.resident_household[resident]
        age = self._age(resident, ordinal)
        draw = random_()
        if age < 18:
            requested_by = "legal_representative" if draw < 0.85 else "relative"
        elif channel_code == "referral" and draw < 0.55:
            requested_by = "referrer"
        elif draw < 0.84:
            requested_by = "self"
        elif draw < 0.95:
            requested_by = "relative"
        else:
            requested_by = ("mentor", "curator", "legal_representative", "other")[self._below(4)]
        name = phone = ""
        if requested_by != "self":
            name, phone = self._name(), self._phone()
        buurt = city.household_buurt[household]
        return _Asker(resident, household, buurt, age, requested_by, name, phone, "")

    def _timeline(
        self, outcome: str, ordinal: int, received: int, deadlines: Deadlines
    ) -> _Timeline:
        """When the attempts, the first contact and the closing would happen, as if the
        history went on: not reachable after three to five failed attempts; withdrawn, for
        some before any contact; the others after a first contact, support starting within
        four weeks of receipt for most and later for some (the waiting list)."""
        random_, calendar = self.random, self.calendar
        attempts: list[tuple[int, bool]] = []  # (moment, reached)
        if outcome == "not_reachable":
            count = MIN_ATTEMPTS_FOR_NOT_REACHABLE + self._below(3)
            days = sorted(self.rng.sample(range(12), count))
            for number in days:
                day = calendar.working_day_after(ordinal, number)
                earliest = received + 600 * (len(attempts) + 1)
                attempts.append((max(self._moment(day, 9, 17), earliest), False))
            attempts.sort()
            last_day = calendar.working_day_after(ordinal, days[-1])
            closed = self._moment(calendar.working_day_after(last_day, 2 + self._below(4)), 9, 17)
            return _Timeline(attempts, None, max(closed, attempts[-1][0] + 60))
        if outcome == "withdrawn" and random_() < 0.4:  # before any contact
            if random_() < 0.5:
                day = calendar.working_day_after(ordinal, 1 + self._below(3))
                attempts.append((self._moment(day, 9, 17), False))
            day = calendar.working_day_after(ordinal, 1 + self._below(8))
            earliest = attempts[-1][0] + 60 if attempts else received + 60
            return _Timeline(attempts, None, max(self._moment(day, 9, 17), earliest))
        contact = self._first_contact(ordinal, received, deadlines)
        failed = 0 if random_() < 0.62 else 1 if random_() < 0.68 else 2
        for _ in range(failed):
            attempts.append((received + 60 + int(random_() * (contact - received - 120)), False))
        attempts.sort()
        attempts.append((contact, True))
        contact_day = self._ordinal_of(contact)
        if outcome == "information_given" and random_() < 0.6:
            return _Timeline(attempts, contact, contact + 600 + self._below(3000))
        if outcome == "support_started":
            if random_() < 0.8:
                wait = 28 - int(random_() ** 1.6 * 27)
            else:
                wait = 29 + self._below(OPEN_WINDOW_DAYS - 29)
            day = calendar.next_working_day(max(ordinal + wait, contact_day + 1))
            return _Timeline(attempts, contact, self._moment(day, 9, 16))
        later = {"information_given": 5, "referred_out": 15, "withdrawn": 20}[outcome]
        day = calendar.working_day_after(contact_day, 1 + self._below(later))
        return _Timeline(attempts, contact, self._moment(day, 9, 17))

    def _phone(self) -> str:
        return f"06-{10_000_000 + self._below(90_000_000)}"

    def _ordinal_of(self, moment: int) -> int:
        starts, first = self.calendar.starts, self.calendar.first
        return first + bisect.bisect_right(starts, moment) - 1

    def _first_contact(self, ordinal: int, received: int, deadlines: Deadlines) -> int:
        """The moment of first contact: within five working days for most (so by the
        deadline), late for about one in eight."""
        random_, calendar = self.random, self.calendar
        if random_() < 0.88:
            count = _pick_index(random_(), (0.12, 0.30, 0.22, 0.15, 0.12, 0.09))
        else:
            count = 6 + self._below(10)
        received_seconds = received - calendar.start(ordinal)
        same_day_possible = (
            calendar.is_working[ordinal - calendar.first] and received_seconds < 15 * 3600
        )
        if count == 0 and not same_day_possible:
            count = 1
        day = calendar.working_day_after(ordinal, count)
        if count == 0 or day == ordinal:
            earliest = max(received_seconds + 1800, 9 * 3600) / 3600
            return self._moment(day, earliest, 17.5)
        moment = self._moment(day, 9, 17)
        due_end = calendar.start(deadlines.first_contact.toordinal() + 1)
        if count <= 5 and moment >= due_end:  # keep "within" within
            moment = due_end - 3600
        return moment

    # trajectories

    def _trajectory(
        self,
        chunk: Rows,
        start: _Start,
        channel_code: str,
        referrer_type: int | None,
        requested_by: str,
    ) -> None:
        """The trajectory a request started: part, reasons, life domains, coordinator, how
        long it lasts, its status history, ZRM assessments and a warm handover."""
        random_, city, team = self.random, self.city, start.team
        resident, household = start.resident, start.household
        trajectory_id = self.ids["trajectories"].take()
        inflow = self._ordinal_of(start.moment)
        part = self.parts.pick(random_)
        duration = _duration_days(random_, part)
        outflow = inflow + duration
        closed = outflow < self.end_ordinal
        coordinator = self._coordinator(team, inflow, outflow)
        decision_version = None
        if part in PLAN_SHARE:
            investigation = self._investigation(chunk, start, part, coordinator)
            decision_version = self._plan(
                chunk, start, part, inflow, outflow, closed, coordinator, investigation
            )
        age = self._age(resident, inflow)
        youth = age < 18
        if not youth and city.resident_relation[resident] in _PARENT_RELATIONS:
            youngest = city.household_youngest_child[household]
            youth = youngest != _NO_CHILD and (inflow - youngest) < 18 * 365
        reason = self._inflow_reason(channel_code, referrer_type, requested_by)
        extra_count = _pick_index(random_(), (0.30, 0.35, 0.22, 0.13))
        others = [code_id for code_id in self.domain_order if code_id != start.need]
        extra = sorted(self.rng.sample(others, min(extra_count, len(others))))
        domain_ids = self.ids["trajectory_life_domains"]
        chunk["trajectory_life_domains"].extend(
            trajectory_life_domain_row(id=domain_ids.take(), trajectory=trajectory_id, code=code_id)
            for code_id in extra
        )
        limit = outflow if closed else self.end_ordinal
        changes = self._trajectory_changes(start.moment, inflow, duration, limit, closed)
        outflow_reason = None
        if closed:
            if self.death is not None and age >= 80 and random_() < 0.15:
                outflow_reason = self.death
            else:
                outflow_reason = self.outflow.pick(random_)
        status_ids = self.ids["trajectory_status_changes"]
        chunk["trajectory_status_changes"].extend(
            trajectory_status_change_row(
                id=status_ids.take(),
                trajectory=trajectory_id,
                seq=seq,
                status=status,
                at=self.time(moment),
                by=coordinator,
                reason="",
            )
            for seq, (moment, status) in enumerate(changes, 1)
        )
        chunk["trajectories"].append(
            trajectory_row(
                id=trajectory_id,
                resident=self.resident_0 + resident,
                household=self.household_0 + household,
                help_request=start.request_id,
                team=team,
                part=part,
                inflow_date=self.date(inflow),
                inflow_reason=reason,
                primary_life_domain=start.need,
                youth_support=youth,
                coordinator=coordinator,
                status=changes[-1][1],
                outflow_date=self.date(outflow) if closed else None,
                outflow_reason=outflow_reason,
                created_at=self.time(start.moment),
                decision_version=decision_version,
            )
        )
        if random_() < ZRM_SHARE[part]:
            self._zrm(chunk, trajectory_id, inflow, limit, closed, start.need, extra, coordinator)
        if outflow_reason is not None:
            turning_18 = age < 18 <= self._age(resident, outflow)
            self._handover(chunk, trajectory_id, outflow, outflow_reason, turning_18, coordinator)

    # investigations and support plans (their own random stream: self.plan_random)

    def _plan_below(self, count: int) -> int:
        return int(self.plan_random() * count)

    def _plan_moment(
        self, ordinal: int, after: datetime.datetime | None = None
    ) -> datetime.datetime:
        """A moment in office hours on a local day; a minute past `after` at the earliest."""
        seconds = int((9 + self.plan_random() * 8) * 3600)
        moment = self.time(self.calendar.start(ordinal) + seconds)
        if after is not None and moment <= after:
            moment = after + datetime.timedelta(minutes=1)
        return moment

    def _investigation(self, chunk: Rows, start: _Start, part: str, by: int) -> int | None:
        """The investigation of the request for most (the kitchen-table conversation):
        started within days of receipt, completed within six weeks of it, some later; still
        open at the end when that falls after it. Returns the id of a completed one."""
        random_, below = self.plan_random, self._plan_below
        if random_() >= INVESTIGATION_SHARE[part]:
            return None
        received = self._ordinal_of(start.received)
        started = received + 1 + below(10)
        if started >= self.end_ordinal:
            return None
        weeks = INVESTIGATION_WEEKS * 7
        if random_() < INVESTIGATION_LATE_SHARE:
            completed = received + weeks + 1 + below(35)
        else:
            completed = started + 7 + below(received + weeks - started - 6)
        done = completed < self.end_ordinal
        conversation = started + below(completed - started)
        talked = conversation < self.end_ordinal
        place = ("home", "home", "office", "other")[below(4)]
        started_at = self._plan_moment(started)
        last = completed if done else conversation if talked else started
        investigation_id = self.ids["investigations"].take()
        chunk["investigations"].append(
            investigation_row(
                id=investigation_id,
                help_request=start.request_id,
                resident=self.resident_0 + start.resident,
                household=self.household_0 + start.household,
                conversation_on=self.date(conversation) if talked else None,
                conversation_place=place if talked else "",
                underlying_question=UNDERLYING_QUESTION if talked else "",
                own_strength=PLAN_TEXTS["own_strength"] if talked else "",
                started_at=started_at,
                started_by=by,
                updated_at=self._plan_moment(last, after=started_at),
                updated_by=by,
                completed_on=self.date(completed) if done else None,
                completed_by=by if done else None,
            )
        )
        return investigation_id if done else None

    def _plan(
        self,
        chunk: Rows,
        start: _Start,
        part: str,
        inflow: int,
        outflow: int,
        closed: bool,
        coordinator: int,
        investigation: int | None,
    ) -> int | None:
        """The household's support plan, when it has none open yet: versions with goals,
        signatures, the explanation of rights, evaluations about every six months, and its
        end with the trajectory's. Returns the signed version an AO trajectory rests on."""
        random_, below, date = self.plan_random, self._plan_below, self.date
        household = start.household
        ao = part == "aanvullende_ondersteuning"
        if random_() >= PLAN_SHARE[part]:
            return None
        if self.plan_until.get(household, -1) >= inflow:  # the open plan takes it in
            # an AO plan's signed version is the decision; not so a plan drawn up without AO
            return self.plan_signed_ao.get(household) if ao else None
        end = self.end_ordinal
        received = self._ordinal_of(start.received)
        last = min(outflow, end - 1) if closed else end - 1
        if ao:  # drawn up and signed before the trajectory starts
            created = max(received, inflow - 7 - below(21))
            first_signed: int | None = created + below(inflow - created + 1)
        else:
            created = inflow + below(21)
            if created > last:
                return None
            signed = random_() >= PLAN_UNSIGNED_SHARE
            if not closed and end - created < 30 and random_() < 0.5:
                signed = False  # recent: still being drawn up
            first_signed = created + below(15) if signed else None
            if first_signed is not None and first_signed > last:
                first_signed = None
        resident = self.resident_0 + start.resident
        plan_id = self.ids["plans"].take()
        # the versions: the first on the day the plan starts, then now and then a new one
        days = [created]
        if first_signed is not None:
            count = 1 + _pick_index(random_(), PLAN_VERSION_SHARES)
            day = first_signed + 90 + below(120)
            while len(days) < count and day <= last:
                days.append(day)
                day += 90 + below(120)
        version_ids: list[int] = []
        goals_of: list[list[int]] = []
        signed_days: list[int | None] = []
        version_rows, goal_rows = chunk["plan_versions"], chunk["plan_goals"]
        for number, day in enumerate(days, 1):
            version_id = self.ids["plan_versions"].take()
            version_rows.append(
                plan_version_row(
                    id=version_id,
                    plan=plan_id,
                    number=number,
                    based_on=version_ids[-1] if version_ids else None,
                    own_strength=PLAN_TEXTS["own_strength"],
                    preceding_provisions=PLAN_TEXTS["preceding_provisions"],
                    solution=PLAN_TEXTS["solution"],
                    partners=PLAN_TEXTS["partners"],
                    perspective=PLAN_TEXTS["perspective"],
                    ao_scope=AO_SCOPE if ao else "",
                    ao_start_on=date(inflow) if ao else None,
                    ao_review_on=date(inflow + 365) if ao else None,
                    created_at=self._plan_moment(day),
                    created_by=coordinator,
                )
            )
            goals = []
            for position in range(1, 2 + _pick_index(random_(), PLAN_GOAL_SHARES)):
                goal, result = PLAN_GOALS[below(len(PLAN_GOALS))]
                goal_id = self.ids["plan_goals"].take()
                goals.append(goal_id)
                goal_rows.append(
                    plan_goal_row(
                        id=goal_id,
                        version=version_id,
                        position=position,
                        member=resident if random_() < 0.3 else None,
                        goal=goal,
                        result=result,
                    )
                )
            version_ids.append(version_id)
            goals_of.append(goals)
            if first_signed is None:
                signed_days.append(None)
            elif number == 1:
                signed_days.append(first_signed)
            else:
                signing = day + below(10)
                newest_unsigned = number == len(days) and not closed and random_() < 0.15
                signed_days.append(None if signing > last or newest_unsigned else signing)
        methods = self.signature_methods
        for version_id, signed_on in zip(version_ids, signed_days, strict=True):
            if signed_on is None:
                continue
            method = methods.pick(random_)
            chunk["signatures"].append(
                signature_row(
                    id=self.ids["signatures"].take(),
                    version=version_id,
                    method=method,
                    signed_on=date(signed_on),
                    signer=resident,
                    signer_name=TYPED_NAME if method == "typed" else "",
                    witness=coordinator,
                    created_at=self._plan_moment(signed_on),
                )
            )
        if random_() < RIGHTS_EXPLAINED_SHARE:
            explained = created + below(8)
            if explained <= last:
                wants = random_() < 0.15
                chunk["rights_explanations"].append(
                    rights_explanation_row(
                        id=self.ids["rights_explanations"].take(),
                        plan=plan_id,
                        explained_on=date(explained),
                        client_support=True,
                        wants_client_support=wants,
                        privacy=True,
                        complaints=random_() < 0.9,
                        objection_appeal=ao or random_() < 0.7,
                        by=coordinator,
                        created_at=self._plan_moment(explained),
                    )
                )
        # evaluations every six months or so once signed; the one due last may be overdue
        next_evaluation: int | None = None
        if first_signed is not None:
            day = first_signed + 150 + below(61)
            while day <= last:
                if not closed and day >= end - 60 and random_() < EVALUATION_OVERDUE_SHARE:
                    break
                following = day + 150 + below(61)
                index = bisect.bisect_right(days, day) - 1
                evaluation_id = self.ids["evaluations"].take()
                chunk["evaluations"].append(
                    evaluation_row(
                        id=evaluation_id,
                        plan=plan_id,
                        version=version_ids[index],
                        held_on=date(day),
                        resident_view=RESIDENT_VIEW,
                        no_zrm_reason=NO_ZRM_REASON,
                        next_evaluation_on=date(following),
                        by=coordinator,
                        created_at=self._plan_moment(day),
                        due_on=date(day),  # held on the day it was due
                    )
                )
                chunk["evaluation_goals"].extend(
                    evaluation_goal_row(
                        id=self.ids["evaluation_goals"].take(),
                        evaluation=evaluation_id,
                        goal=goal_id,
                        progress=self.goal_progress.pick(random_),
                        note="",
                    )
                    for goal_id in goals_of[index]
                )
                day = following
            next_evaluation = day
        # the status: a draft until signed, active, ended with the trajectory
        status = "draft" if first_signed is None else "active"
        changes = [(created, "draft")]
        if first_signed is not None:
            changes.append((first_signed, "active"))
        if closed:
            status = "ended"
            changes.append((last, "ended"))
        moment: datetime.datetime | None = None
        status_rows = chunk["plan_status_changes"]
        for seq, (day, change) in enumerate(changes, 1):
            moment = self._plan_moment(day, after=moment)
            status_rows.append(
                plan_status_change_row(
                    id=self.ids["plan_status_changes"].take(),
                    plan=plan_id,
                    seq=seq,
                    status=change,
                    at=moment,
                    by=coordinator,
                    reason="",
                )
            )
        chunk["plans"].append(
            plan_row(
                id=plan_id,
                household=self.household_0 + household,
                resident=resident,
                help_request=start.request_id,
                team=start.team,
                coordinator=coordinator,
                status=status,
                current=version_ids[-1],
                next_evaluation_on=date(next_evaluation)
                if status == "active" and next_evaluation is not None
                else None,
                ended_on=date(last) if closed else None,
                end_reason=self.plan_end_reasons.pick(random_) if closed else "",
                perspective_reached=(
                    self.perspectives.pick(random_) if closed and first_signed is not None else ""
                ),
                created_at=self._plan_moment(created),
                created_by=coordinator,
            )
        )
        self.plan_until[household] = last if closed else end + 10**6
        signed_versions = [
            v for v, s in zip(version_ids, signed_days, strict=True) if s is not None
        ]
        if signed_versions:
            if ao:
                self.plan_signed_ao[household] = signed_versions[-1]
            assert first_signed is not None
            kind = ""
            if ao and random_() < PGB_SHARE:
                kind = "pgb"
            elif random_() < WRITTEN_DECISION_SHARE:
                kind = "requested"
            if kind:
                self._decision(
                    chunk, kind, plan_id, signed_versions[0], resident, investigation,
                    first_signed, last, coordinator,
                )  # fmt: skip
        return signed_versions[0] if ao and signed_versions else None

    def _decision(
        self,
        chunk: Rows,
        kind: str,
        plan_id: int,
        version_id: int,
        resident: int,
        investigation: int | None,
        signed: int,
        last: int,
        by: int,
    ) -> None:
        """A case on the municipality's decision desk about the signed version: placed
        within two weeks of signing, decided within about four weeks (and seen by the
        coordinator), unless it is recent; a granted pgb with its evaluations, the next one at
        most two years ahead."""
        random_, below, date, end = self.plan_random, self._plan_below, self.date, self.end_ordinal
        decider = self.setting.decider
        placed = min(signed + below(14), last)
        decided = placed + 5 + below(25)
        is_decided = decider is not None and decided < end
        pgb = kind == "pgb"
        requested = (
            decimal.Decimal(1_000 * (3 + below(23))) + decimal.Decimal(below(100) * 5)
            if pgb
            else None
        )
        granted = random_() < PGB_GRANTED_SHARE
        outcome = ("granted" if granted else "refused") if is_decided else ""
        amount = requested if pgb and outcome == "granted" else None
        case_id = self.ids["decision_cases"].take()
        placed_at = self._plan_moment(placed)
        decided_at = self._plan_moment(decided, after=placed_at) if is_decided else None
        moments: list[tuple[str, datetime.datetime, int]] = [("placed", placed_at, by)]
        if decided_at is not None and decider is not None:
            moments.append(("decided", decided_at, decider))
            seen = decided + 1 + below(10)
            if seen < end:
                moments.append(("seen", self._plan_moment(seen, after=decided_at), by))
        next_evaluation = None
        if amount is not None:  # a granted pgb: evaluated at least every two years
            day = decided + 365 + below(366)
            while day < end:
                following = day + 365 + below(366)
                chunk["pgb_evaluations"].append(
                    pgb_evaluation_row(
                        id=self.ids["pgb_evaluations"].take(),
                        case=case_id,
                        held_on=date(day),
                        outcome=PGB_EVALUATION_OUTCOME,
                        next_evaluation_on=date(following),
                        by=by,
                        created_at=self._plan_moment(day),
                        due_on=date(day),  # held on the day it was due
                    )
                )
                day = following
            next_evaluation = day
        chunk["decision_status_changes"].extend(
            decision_status_change_row(
                id=self.ids["decision_status_changes"].take(),
                case=case_id,
                seq=seq,
                status=status,
                at=at,
                by=who,
                reason="",
            )
            for seq, (status, at, who) in enumerate(moments, 1)
        )
        chunk["decision_cases"].append(
            decision_case_row(
                id=case_id,
                plan=plan_id,
                version=version_id,
                resident=resident,
                investigation=investigation,
                kind=kind,
                draft_text=DRAFT_DECISION[kind],
                pgb_plan=PGB_PLAN if pgb else "",
                amount_requested=requested,
                status=moments[-1][0],
                placed_at=placed_at,
                placed_by=by,
                outcome=outcome,
                decided_on=date(decided) if is_decided else None,
                starts_on=date(decided) if amount is not None else None,
                ends_on=None,
                amount=amount,
                reference=f"WMO-{date(decided).year}-{case_id:06d}" if is_decided else "",
                decided_by=decider if is_decided else None,
                decided_at=decided_at,
                next_evaluation_on=date(next_evaluation) if next_evaluation is not None else None,
            )
        )

    def _inflow_reason(
        self, channel_code: str, referrer_type: int | None, requested_by: str
    ) -> int:
        """The reason for inflow, as the request came in: a referral, outreach, a signal
        from the resident's network, now and then an acute situation or a handover."""
        reasons, draw = self.inflow_reasons, self.random()
        referrer = self.referrer_code.get(referrer_type, "") if referrer_type else ""
        if draw < 0.03:
            wanted = "crisis"
        elif draw < 0.05:
            wanted = "handover"
        elif referrer in ("debt_signal", "municipality"):
            wanted = referrer
        elif channel_code == "referral":
            wanted = "partner_referral"
        elif channel_code == "outreach":
            wanted = "outreach"
        elif requested_by in ("relative", "other"):
            wanted = "network_signal"
        else:
            wanted = "own_request"
        return reasons.get(wanted) or reasons.get("own_request") or min(reasons.values())

    def _trajectory_changes(
        self, started: int, inflow: int, duration: int, limit: int, closed: bool
    ) -> list[tuple[int, str]]:
        """The status history, as the transition table allows: active; for some a pause
        (and back to active); closed on the day of outflow, or still open at the end."""
        random_ = self.random
        changes = [(started, "active")]
        if duration >= 90 and random_() < 0.12:
            pause = inflow + int(duration * (0.2 + 0.4 * random_()))
            resume = pause + 14 + self._below(43)
            if inflow < pause < limit:
                changes.append((self._moment(pause, 9, 17), "paused"))
                if resume < limit:
                    changes.append((self._moment(resume, 9, 17), "active"))
        elif not closed and random_() < 0.04:
            pause = self.end_ordinal - 1 - self._below(60)
            if pause > inflow:
                changes.append((self._moment(pause, 9, 17), "paused"))
        if closed:
            changes.append((self._moment(limit, 16, 17), "closed"))
        return changes

    def _handover(
        self,
        chunk: Rows,
        trajectory_id: int,
        outflow: int,
        reason: int,
        turning_18: bool,
        by: int,
    ) -> None:
        """A warm handover for about one in ten closed trajectories: on moving, to another
        provider or domain, and for half of the young people who turned 18 meanwhile."""
        chance, destinations = HANDOVER_BY_REASON.get(self.outflow_code.get(reason, ""), (0, ()))
        if turning_18 and not destinations:
            chance, destinations = 0.5, ("jeugdwet", "other_provider")
        if not destinations or self.random() >= chance:
            return
        destination = destinations[self._below(len(destinations))]
        receivers = HANDOVER_RECEIVERS[destination]
        chunk["handovers"].append(
            handover_row(
                id=self.ids["handovers"].take(),
                trajectory=trajectory_id,
                destination=destination,
                receiver=receivers[self._below(len(receivers))],
                handed_over_on=self.date(outflow),
                by=by,
            )
        )

    def _zrm(
        self,
        chunk: Rows,
        trajectory_id: int,
        inflow: int,
        limit: int,
        closed: bool,
        need: int,
        extra: Sequence[int],
        by: int,
    ) -> None:
        """ZRM assessments: at the start, every six months or so, and at the end; the same
        domains each time (the trajectory's, and more), scores 1-5 that tend to improve."""
        random_ = self.random
        last_day = limit if closed else self.end_ordinal - 1
        start = inflow + self._below(22)
        if start > last_day:
            start = inflow
        moments = [("start", start)]
        day = start + 150 + self._below(61)
        while day < last_day - 14:
            moments.append(("evaluation", day))
            day += 150 + self._below(61)
        if closed and random_() < 0.8 and last_day > moments[-1][1]:
            moments.append(("end", last_day))
        focus = {need, *extra}
        others = [code_id for code_id in self.domain_order if code_id not in focus]
        size = 6 + self._below(8)
        more = self.rng.sample(others, max(0, min(len(others), size - len(focus))))
        scored = sorted({*focus, *more})
        scores = {}
        for code_id in scored:
            if code_id == need:
                scores[code_id] = 1 + (random_() < 0.4)
            elif code_id in focus:
                scores[code_id] = 2 + (random_() < 0.5)
            else:
                scores[code_id] = 3 + _pick_index(random_(), (0.35, 0.4, 0.25))
        assessment_ids, score_ids = self.ids["zrm_assessments"], self.ids["zrm_scores"]
        assessments, score_rows = chunk["zrm_assessments"], chunk["zrm_scores"]
        for number, (moment, day) in enumerate(moments):
            if number:
                for code_id, score in scores.items():
                    improve = 0.35 if code_id in focus else 0.1
                    if moment == "end":
                        improve += 0.15
                    draw = random_()
                    if score < 5 and draw < improve:
                        scores[code_id] = score + 1
                    elif score > 1 and draw > 0.94:
                        scores[code_id] = score - 1
            assessment_id = assessment_ids.take()
            assessments.append(
                zrm_assessment_row(
                    id=assessment_id,
                    trajectory=trajectory_id,
                    moment=moment,
                    assessed_on=self.date(day),
                    by=by,
                )
            )
            first = score_ids.next_id
            score_ids.next_id += len(scores)
            score_rows.extend(
                zrm_score_row(id=score_id, assessment=assessment_id, domain=code_id, score=score)
                for score_id, (code_id, score) in zip(
                    range(first, score_ids.next_id), scores.items(), strict=True
                )
            )

    # short contacts

    def _short_contacts(self, chunk: Rows, ordinal: int, count: int) -> None:
        """The day's short contacts: the team by where people live, its wijk for most, a
        moment in office hours, registered then or a few days later. One tight loop: there
        are some 200 a working day at scale 1."""
        random_, below, staff, time = self.random, self._below, self._staff, self.time
        pick_team, wijken_of_team = self.contact_teams.pick, self.wijken_of_team
        channel, domain = self.contact_channels.pick, self.contact_domains.pick
        day, start, last = self.date(ordinal), self.calendar.start(ordinal), self.end_ts - 60
        ids, rows = self.ids["short_contacts"], chunk["short_contacts"]
        for _ in range(count):
            team = pick_team(random_)
            wijken = wijken_of_team.get(team)
            wijk = wijken.pick(random_) if wijken is not None and random_() < 0.8 else None
            registered = start + int((8.5 + random_() * 9) * 3600)
            if random_() < 0.1:
                registered = min(registered + (1 + below(3)) * _DAY, last)
            rows.append(
                short_contact_row(
                    id=ids.take(),
                    contact_date=day,
                    channel=channel(random_),
                    life_domain=domain(random_),
                    team=team,
                    wijk=wijk,
                    registered_by=staff(team),
                    registered_at=time(registered),
                )
            )

    # activities

    def _activities(self, chunk: Rows) -> list[_Activity]:
        """Slots of activities: each slot runs one activity at a time, for one to six years,
        then after a gap the next one. All activities are written with the first month."""
        random_ = self.random
        activities = []
        slots = max(1, round(ACTIVITIES_AT_SCALE_1 * self.scale))
        organisers = self.setting.organisers
        if not organisers:
            raise ValueError("There are no organisations to run activities.")
        streets = self.data.streets
        for _ in range(slots):
            begins = self.start_ordinal + (
                self._below(60) if random_() < 0.85 else self._below(365 * 2)
            )
            while begins < self.end_ordinal:
                ends = begins + 365 + self._below(365 * 5)
                name, theme, group, size, youth = ACTIVITY_KINDS[self._below(len(ACTIVITY_KINDS))]
                wijk = self.activity_wijken.pick(random_)
                assert isinstance(wijk, int)
                team = self.team_of_wijk[wijk]
                activity_id = self.ids["activities"].take()
                organiser = (
                    organisers[0] if random_() < 0.4 else organisers[self._below(len(organisers))]
                )
                theme_id = self.sub_themes.get(theme) or sorted(self.sub_themes.values())[0]
                group_id = self.target_groups.get(group) or sorted(self.target_groups.values())[0]
                location = (
                    f"{VENUES[self._below(len(VENUES))]} {streets[self._below(len(streets))]}"
                )
                chunk["activities"].append(
                    activity_row(
                        id=activity_id,
                        name=f"{name} {self.wijk_name.get(wijk, '')}".strip(),
                        organiser=organiser,
                        theme=theme_id,
                        target_group=group_id,
                        wijk=wijk,
                        location=location,
                        registers_participants=False,
                        active=ends >= self.end_ordinal,
                        created_at=self.time(self._moment(begins, 9, 17)),
                    )
                )
                step = 7 if random_() < 0.6 else 14 if random_() < 0.75 else 28
                first = begins + 7 + self._below(21)
                first += (self._below(6) - datetime.date.fromordinal(first).weekday()) % 7
                activities.append(
                    _Activity(
                        activity_id=activity_id,
                        ends=min(ends, self.end_ordinal),
                        next_session=first,
                        step=step,
                        summer_break=random_() < 0.6,
                        size=size * (0.6 + 0.8 * random_()),
                        youth_share=youth,
                        registered_by=self.professionals[team],
                    )
                )
                begins = ends + 14 + self._below(107)
        return activities

    def _sessions(
        self, chunk: Rows, activities: Sequence[_Activity], first: int, until: int
    ) -> None:
        """The sessions held from `first` up to `until` (exclusive)."""
        random_, rows, ids = self.random, chunk["activity_sessions"], self.ids["activity_sessions"]
        calendar = self.calendar
        for activity in activities:
            while activity.next_session < min(until, activity.ends):
                day = activity.next_session
                activity.next_session += activity.step
                if day < first:
                    continue
                date = datetime.date.fromordinal(day)
                week = date.isocalendar().week
                if date.weekday() < 5 and not calendar.is_working[day - calendar.first]:
                    continue  # a holiday
                if (activity.summer_break and 29 <= week <= 33) or week in (52, 53, 1):
                    continue
                if random_() < 0.03:
                    continue  # cancelled
                total = max(1, round(self.rng.gauss(activity.size, math.sqrt(activity.size))))
                if activity.youth_share >= 1:
                    youth = total
                else:
                    expected = total * activity.youth_share
                    youth = min(
                        total,
                        max(0, round(self.rng.gauss(expected, math.sqrt(expected) / 2 + 1e-9))),
                    )
                by = activity.registered_by[self._below(len(activity.registered_by))]
                rows.append(
                    activity_session_row(
                        id=ids.take(),
                        activity=activity.activity_id,
                        held_on=date,
                        attendance_total=total,
                        attendance_youth=youth,
                        registered_by=by,
                    )
                )


LINKED_OUTCOMES = (
    ("support_started", 0.48),
    ("information_given", 0.285),
    ("referred_out", 0.115),
    ("withdrawn", 0.075),
    ("not_reachable", 0.045),
)
UNLINKED_OUTCOMES = (
    ("information_given", 0.45),
    ("referred_out", 0.12),
    ("withdrawn", 0.18),
    ("not_reachable", 0.25),
)


def _pick_outcome(draw: float, outcomes: Sequence[tuple[str, float]]) -> str:
    total = 0.0
    for outcome, share in outcomes:
        total += share
        if draw < total:
            return outcome
    return outcomes[-1][0]


def _pick_index(draw: float, shares: Sequence[float]) -> int:
    total = 0.0
    for index, share in enumerate(shares):
        total += share
        if draw < total:
            return index
    return len(shares) - 1


def work_generate(
    *,
    seed: int,
    scale: float,
    years: int,
    as_of: datetime.date,
    city: CityIndex,
    setting: WorkSetting,
) -> Iterator[WorkChunk]:
    """The work of `years` years ending at the start of `as_of`, a month at a time. The same
    arguments give the same rows."""
    if city.residents == 0:
        raise ValueError("There are no residents to do the work for.")
    return _WorkGenerator(
        seed=seed, scale=scale, years=years, as_of=as_of, city=city, setting=setting
    ).chunks()
