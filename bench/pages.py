"""The page benchmarks (issue 4): the worklist, the waiting list and resident search on the
synthetic city at scale 10 over 8 years (about 1.65 million residents), each as server-side
time per request beside a trivial one-query page measured in the same run (goal: at most 2x),
with the number of queries per request for a short and a long list (constant whatever the
list length: asserted in the pages' own tests, printed here); and the worklist as a
professional, through the access gate, against the same list with the gate taken away
(goal: at most 1.2x).

Server-side time: the wall time of the Django test client's get/post in this process (the
whole middleware stack, the view, the template; no network), for a professional with a
verified session. The pages are requested in turns, so the load of the machine falls on all
of them alike. Beside it the report splits each page's time: its selector alone, the rest of
the request, and PostgreSQL's own time for the request's queries (docs/adr/0016).

"As an administrator": administrators have no person-level access in wijk (docs/adr/0004),
so they cannot open a worklist. The baseline is the same worklist with the access rule taken
out: HelpRequestQuerySet.visible_to replaced by the identity for the duration, so the
selector, the row building, the access-log entry and the template are the same and only the
rule's filter (the user's teams, or assigned to them) is gone. For the worklist (requests
assigned to the user) both give the same rows.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.harness import machine, machine_line, now_iso, stats, verified_client, write_results

if TYPE_CHECKING:
    from django.test import Client

    from wijk.accounts.models import User

PAGE_GOAL = "server-side time per request at most 2x the trivial page's (medians)"
GATE_GOAL = "worklist through the access gate at most 1.2x the same list without it (medians)"
TRIVIAL = "trivial page (one query)"
IN_LAYOUT = "trivial page in layout"  # a reference: what the layout of every page costs
REFERENCES = (TRIVIAL, IN_LAYOUT)
SEARCH_KINDS = ("family name and date of birth", "BSN", "postcode", "family name")


@dataclass
class Page:
    name: str
    url_name: str
    method: str = "GET"
    args: tuple[object, ...] = ()  # of the URL
    other_user: bool = True  # also counted as the other user (who may not see a record page)
    forms: list[dict[str, str]] = field(default_factory=list)  # POSTed in turn
    kinds: list[str] = field(default_factory=list)  # what each form is, for the report
    timings: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    turn: int = 0

    def request(self, client: Client) -> float:
        """One request (the next form in turn, for a POST); its server-side seconds."""
        from django.urls import reverse

        url = reverse(self.url_name, args=self.args)
        form = self.forms[self.turn % len(self.forms)] if self.forms else {}
        self.turn += 1
        started = time.perf_counter()
        response = client.post(url, form) if self.method == "POST" else client.get(url)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{self.url_name} answered {response.status_code}")
        return seconds

    def measure(self, client: Client) -> None:
        kind = self.kinds[self.turn % len(self.kinds)] if self.kinds else ""
        seconds = self.request(client)
        self.timings.append(seconds)
        if kind:
            self.by_kind.setdefault(kind, []).append(seconds)


def run(
    connection: Any, *, repetitions: int, city: dict[str, Any], results: Path
) -> dict[str, Any]:
    from wijk.requests.selectors import LIST_LIMIT, WAITING_PAGE

    professional, short_list_user = _professionals()
    client = verified_client(professional)
    other_client = verified_client(short_list_user)
    pages = [
        Page(TRIVIAL, "bench_trivial"),
        Page(IN_LAYOUT, "bench_trivial_in_layout"),
        Page("worklist", "requests:worklist"),
        Page("waiting list", "requests:waiting_list"),
        Page("my work", "core:work"),  # the one worklist of every app (ADR 0037)
        Page("team's work", "core:team_work"),
        _plan_page(professional),
        _search_page(professional),
    ]
    for page in pages:  # warm up: caches, connection, templates
        for _ in range(5):
            page.request(client)
    print(f"Pages: {repetitions} requests each, in turns, as {professional.username} ...")
    for _ in range(repetitions):
        for page in pages:
            page.measure(client)
    trivial = stats(pages[0].timings)
    figures: dict[str, Any] = {}
    for page in pages:
        entry: dict[str, Any] = stats(page.timings)
        entry["ratio_to_trivial"] = round(entry["median_ms"] / trivial["median_ms"], 2)
        entry["queries"] = _queries(page, client)
        if page.name not in REFERENCES and page.other_user:
            entry["queries_other_user"] = _queries(page, other_client)
        if page.kinds:
            entry["queries_by_kind"] = {
                kind: _queries(page, client, form=page.forms[page.kinds.index(kind)])
                for kind in dict.fromkeys(page.kinds)
            }
        if page.by_kind:
            entry["by_kind"] = {kind: stats(times) for kind, times in page.by_kind.items()}
        figures[page.name] = entry
    lengths = _list_lengths(professional, short_list_user, LIST_LIMIT, WAITING_PAGE)
    search_results = _search_results(professional, pages[-1])
    gate = _gate_comparison(client, professional, repetitions)
    split = _selector_split(professional, pages[-1], repetitions)
    for name, selector_ms in split.items():
        figures[name]["selector_median_ms"] = selector_ms
    for page in pages:
        if page.name != IN_LAYOUT:
            figures[page.name]["database_median_ms"] = _database_ms(
                page, client, max(repetitions // 4, 10)
            )
    pages_ok = all(
        entry["ratio_to_trivial"] <= 2 for name, entry in figures.items() if name not in REFERENCES
    )
    result: dict[str, Any] = {
        "benchmark": "pages",
        "date": now_iso(),
        "machine": machine(connection),
        "city": city,
        "repetitions": repetitions,
        "user": professional.username,
        "other_user": short_list_user.username,
        "list_lengths": lengths,
        "search_results": search_results,
        "pages": figures,
        "page_goal": PAGE_GOAL,
        "page_goal_met": pages_ok,
        "gate": gate,
        "gate_goal": GATE_GOAL,
        "gate_goal_met": gate["view"]["ratio"] <= 1.2,
        "administrator_baseline": (
            "administrators have no person-level access (docs/adr/0004): the baseline is the "
            "same worklist with HelpRequestQuerySet.visible_to replaced by the identity"
        ),
    }
    text = summary(result)
    print(text, end="")
    write_results(results, "pages", result, text)
    return result


# -- who and what ------------------------------------------------------------------------------


def _professionals() -> tuple[User, User]:
    """The professional with the longest worklist (open requests assigned to them) in the
    team with the most open requests, and the one with the shortest in the team with the
    fewest: lists of different lengths, for the query counts."""
    from wijk.accounts.models import Role, User
    from wijk.organisations.models import Team

    open_per_team = _open_requests_by("team")
    teams = sorted(
        Team.objects.filter(members__role=Role.PROFESSIONAL).distinct(),
        key=lambda team: (-open_per_team.get(team.pk, 0), team.pk),
    )
    if not teams:
        raise RuntimeError("No team with professionals: seed the city first.")
    open_per_user = _open_requests_by("assigned_to")

    def by_worklist(team: Team) -> list[User]:
        members = User.objects.filter(role=Role.PROFESSIONAL, teams=team)
        return sorted(members, key=lambda user: (-open_per_user.get(user.pk, 0), user.pk))

    return by_worklist(teams[0])[0], by_worklist(teams[-1])[-1]


def _plan_page(user: User) -> Page:
    """The plan page (plans:detail) of the fullest active plan the user may see: the most
    versions, then the most evaluations (ADR 0034, 0035)."""
    from django.db.models import Count

    from wijk.plans.models import SupportPlan

    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as after the TOTP step
    plan = (
        SupportPlan.objects.visible_to(user)
        .filter(status="active")
        .annotate(versions_n=Count("versions", distinct=True))
        .annotate(evaluations_n=Count("evaluations", distinct=True))
        .order_by("-versions_n", "-evaluations_n", "pk")
        .first()
    )
    if plan is None:
        raise RuntimeError(f"No active plan that {user.username} may see: seed the city first.")
    return Page("plan", "plans:detail", args=(plan.pk,), other_user=False)


def _open_requests_by(field: str) -> dict[int, int]:
    """Open requests counted per team or per assigned user (the lists' partial indexes)."""
    from django.db.models import Count

    from wijk.requests.models import HelpRequest

    counts = HelpRequest.objects.exclude(status="closed").values(field).annotate(n=Count("pk"))
    return {entry[field]: entry["n"] for entry in counts.order_by() if entry[field] is not None}


def _list_lengths(user: User, other: User, limit: int, page: int) -> dict[str, dict[str, int]]:
    """Rows on the worklist (capped at `limit`) and on the waiting list's first page (of
    `page` rows), and how many wait in all."""
    from django.db.models import Q

    from wijk.requests.models import HelpRequest

    lengths = {}
    for who in (user, other):
        open_requests = HelpRequest.objects.exclude(status="closed")
        teams = who.teams.values("pk")
        lengths[who.username] = {
            "worklist_rows": min(limit, open_requests.filter(assigned_to=who).count()),
            "waiting_list_rows": min(page, open_requests.filter(team__in=teams).count()),
            "waiting_total": open_requests.filter(Q(team__in=teams)).count(),
        }
    return lengths


def _search_results(user: User, page: Page) -> dict[str, int]:
    """How many residents each kind of search finds (for the first resident searched for),
    through the residents' own selector (so also logged, as the page would)."""
    from datetime import date

    from wijk.residents.selectors import resident_search_for_user

    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as after the TOTP step
    found = {}
    for kind in dict.fromkeys(page.kinds):
        form = page.forms[page.kinds.index(kind)]
        born = date.fromisoformat(form["date_of_birth"]) if form["date_of_birth"] else None
        found[kind] = len(
            resident_search_for_user(
                user=user,
                name=form["name"],
                date_of_birth=born,
                bsn=form["bsn"],
                postcode=form["postcode"],
            )
        )
    return found


def _search_page(user: User) -> Page:
    """Searches for residents in the user's wijken, as at a front desk: by family name and
    date of birth, by BSN, by postcode, and by family name alone; 25 residents, each kind in
    turn."""
    from wijk.residents.models import Resident

    wijken = user.teams.values("wijken")
    candidates = list(
        Resident.objects.filter(address__buurt__wijk__in=wijken, bsn__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not candidates:
        raise RuntimeError("No residents in the professional's wijken: seed the city first.")
    chosen = random.Random(4).sample(candidates, min(25, len(candidates)))
    by_pk = Resident.objects.select_related("address").in_bulk(chosen)
    residents = [by_pk[pk] for pk in chosen]
    forms, kinds = [], []
    for resident in residents:
        assert resident.address is not None
        for kind in SEARCH_KINDS:
            form = {"name": "", "date_of_birth": "", "bsn": "", "postcode": ""}
            if kind == "family name and date of birth":
                form |= {
                    "name": resident.family_name,
                    "date_of_birth": resident.date_of_birth.isoformat(),
                }
            elif kind == "BSN":
                form["bsn"] = resident.bsn or ""
            elif kind == "postcode":
                form["postcode"] = resident.address.postcode
            else:
                form["name"] = resident.family_name
            forms.append(form)
            kinds.append(kind)
    return Page("resident search", "residents:search", "POST", forms=forms, kinds=kinds)


def _captured(page: Page, client: Client, form: dict[str, str] | None = None) -> list[str]:
    """The SQL of one request's queries (of this form, for a POST)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    forms = page.forms
    if form is not None:
        page.forms = [form]
    try:
        page.request(client)  # the first request of a session writes to it: not counted
        with CaptureQueriesContext(connection) as queries:
            page.request(client)
    finally:
        page.forms = forms
    return [query["sql"] for query in queries.captured_queries]


def _queries(page: Page, client: Client, form: dict[str, str] | None = None) -> int:
    """Queries of one request (of this form, for a POST)."""
    return len(_captured(page, client, form))


_EXPLAINED = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")


def _database_ms(page: Page, client: Client, repetitions: int) -> float:
    """PostgreSQL's own time for one request of the page: the planning and execution time of
    each of its queries (the middleware's too), summed; the median over the repetitions (for a
    POST: over its kinds of form, in turn). The queries are those one request ran, run again
    under EXPLAIN ANALYZE (without per-node timing) in a transaction that is rolled back, so the
    access-log entries they write are not kept. No ORM, network or Python: what no change to
    the page's Python can take away."""
    from django.db import connection, transaction

    kinds = list(dict.fromkeys(page.kinds))
    forms: list[dict[str, str] | None] = (
        [page.forms[page.kinds.index(kind)] for kind in kinds] if kinds else [None]
    )
    requests = [
        [sql for sql in _captured(page, client, form) if sql.lstrip().startswith(_EXPLAINED)]
        for form in forms
    ]
    totals: list[float] = []
    for _ in range(repetitions):
        for statements in requests:
            total = 0.0
            with transaction.atomic(), connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0][0]
                    total += plan["Planning Time"] + plan["Execution Time"]
                transaction.set_rollback(True)
            totals.append(total)
    return round(statistics.median(totals), 2)


# -- the access gate ---------------------------------------------------------------------------


@contextmanager
def _without_access_rule() -> Iterator[None]:
    from wijk.requests.models import HelpRequestQuerySet

    original = HelpRequestQuerySet.visible_to
    HelpRequestQuerySet.visible_to = lambda self, user: self  # type: ignore[method-assign]
    try:
        yield
    finally:
        HelpRequestQuerySet.visible_to = original  # type: ignore[method-assign]


def _gate_comparison(client: Client, user: User, repetitions: int) -> dict[str, Any]:
    """The worklist through the gate and without it, in turns: the page (server-side time)
    and the selector alone (no HTTP, template or session)."""
    from django.urls import reverse

    from wijk.requests.selectors import worklist_for_user

    url = reverse("requests:worklist")
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as after the TOTP step

    def page() -> None:
        if client.get(url).status_code != 200:
            raise RuntimeError("the worklist did not answer 200")

    def selector() -> None:
        worklist_for_user(user=user)

    figures: dict[str, Any] = {}
    for label, call in (("view", page), ("selector", selector)):
        gated, ungated = _interleaved(call, repetitions)
        figures[label] = {
            "through_gate": stats(gated),
            "without_gate": stats(ungated),
        }
        figures[label]["ratio"] = round(
            figures[label]["through_gate"]["median_ms"]
            / figures[label]["without_gate"]["median_ms"],
            3,
        )
    return figures


def _selector_split(user: User, search: Page, repetitions: int) -> dict[str, float]:
    """Each page's selector alone (its queries, the row building and its access-log entry; no
    HTTP, middleware or template): median milliseconds. The rest of a page's time is the
    request cycle and rendering the HTML."""
    from datetime import date

    from wijk.organisations.models import Organisation
    from wijk.requests.selectors import waiting_list_for_user, worklist_for_user
    from wijk.residents.selectors import resident_search_for_user

    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as after the TOTP step
    forms = iter(search.forms * (repetitions // len(search.forms) + 2))

    def one_search() -> None:
        form = next(forms)
        born = date.fromisoformat(form["date_of_birth"]) if form["date_of_birth"] else None
        resident_search_for_user(
            user=user,
            name=form["name"],
            date_of_birth=born,
            bsn=form["bsn"],
            postcode=form["postcode"],
        )

    calls: dict[str, Callable[[], object]] = {
        TRIVIAL: Organisation.objects.count,
        "worklist": lambda: worklist_for_user(user=user),
        "waiting list": lambda: waiting_list_for_user(user=user),
        search.name: one_search,
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repetitions):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - started)
    return {name: stats(times)["median_ms"] for name, times in timings.items()}


def _interleaved(call: Callable[[], None], repetitions: int) -> tuple[list[float], list[float]]:
    gated: list[float] = []
    ungated: list[float] = []
    for number in range(repetitions + 5):
        for with_gate in (True, False) if number % 2 else (False, True):
            started = time.perf_counter()
            if with_gate:
                call()
            else:
                with _without_access_rule():
                    call()
            seconds = time.perf_counter() - started
            if number >= 5:  # the first rounds warm up
                (gated if with_gate else ungated).append(seconds)
    return gated, ungated


# -- the report --------------------------------------------------------------------------------


def summary(result: dict[str, Any]) -> str:
    city = result["city"]
    trivial_ms = result["pages"][TRIVIAL]["median_ms"]
    lines = [
        f"Page benchmark, {result['date']}",
        f"city: {city.get('residents', 0):,} residents"
        + (
            f", {city['rows']:,} rows seeded in {city['seconds']} s "
            f"({city['rows_per_second']:,} rows/s)"
            if city.get("seeded")
            else " (reused)"
        )
        + (f", scale {city['scale']:g}, {city['years']} years" if "scale" in city else ""),
        machine_line(result["machine"]),
        f"as {result['user']}, {result['repetitions']} requests per page, in turns",
        "",
        f"{'':<26}{'median ms':>10}{'p95 ms':>9}{'x trivial':>10}{'queries':>9}{'(other)':>9}",
    ]
    for name, entry in result["pages"].items():
        other = entry.get("queries_other_user", "")
        lines.append(
            f"{name:<26}{entry['median_ms']:>10.1f}{entry['p95_ms']:>9.1f}"
            f"{entry['ratio_to_trivial']:>10.2f}{entry['queries']:>9}{other!s:>9}"
        )
        for kind, figures in entry.get("by_kind", {}).items():
            ratio = figures["median_ms"] / trivial_ms
            queries = entry.get("queries_by_kind", {}).get(kind, "")
            lines.append(
                f"  {kind:<24}{figures['median_ms']:>10.1f}{figures['p95_ms']:>9.1f}{ratio:>10.2f}"
                f"{queries!s:>9}"
            )
    lines.append(
        f"({IN_LAYOUT}: the same query in the header, menu and footer every page has;"
        " a reference, not judged)"
    )
    lines += [
        "",
        "where the time goes (medians, ms): the selector alone (queries, rows, access-log",
        "entry) and the rest of the request (middleware, session, rendering the HTML); and",
        "PostgreSQL's own time for all of the request's queries (planning and execution):",
        f"{'':<26}{'page':>10}{'selector':>10}{'rest':>9}{'database':>10}",
    ]
    for name, entry in result["pages"].items():
        if "selector_median_ms" in entry:
            page_ms, selector_ms = entry["median_ms"], entry["selector_median_ms"]
            database = entry.get("database_median_ms")
            lines.append(
                f"{name:<26}{page_ms:>10.1f}{selector_ms:>10.1f}{page_ms - selector_ms:>9.1f}"
                + (f"{database:>10.1f}" if database is not None else "")
            )
    lines.append("")
    lines.append("list lengths (rows shown; queries above for the first user, then the other):")
    for username, lengths in result["list_lengths"].items():
        lines.append(
            f"  {username}: worklist {lengths['worklist_rows']}, waiting list "
            f"{lengths['waiting_list_rows']} of {lengths['waiting_total']}"
        )
    found = ", ".join(f"{kind} {count}" for kind, count in result["search_results"].items())
    lines.append(f"  resident search, residents found: {found}")
    per_page = ", ".join(
        f"{name} {ratio:.2f}x {'met' if ratio <= 2 else 'NOT met'}"
        for name, ratio in (
            (name, entry["ratio_to_trivial"]) for name, entry in result["pages"].items()
        )
        if name not in REFERENCES
    )
    lines.append(f"goal: {result['page_goal']}: {per_page}")
    gate = result["gate"]
    lines += [
        "",
        "worklist through the access gate vs without it (the administrator baseline):",
        f"  {'':<12}{'gate ms':>10}{'no gate ms':>12}{'ratio':>8}",
    ]
    for label in ("view", "selector"):
        figures = gate[label]
        lines.append(
            f"  {label:<12}{figures['through_gate']['median_ms']:>10.2f}"
            f"{figures['without_gate']['median_ms']:>12.2f}{figures['ratio']:>8.3f}"
        )
    lines.append(f"  ({result['administrator_baseline']})")
    lines.append(f"goal: {result['gate_goal']}: {'met' if result['gate_goal_met'] else 'NOT met'}")
    return "\n".join(lines) + "\n"
