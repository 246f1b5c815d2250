"""Every read of person-level resident data. Each one goes through the access rule of
ResidentQuerySet and writes its access-log entry; a record that is missing and a record that
may not be seen give the same NotFoundError."""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Collate, Concat, Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from wijk.accounts.models import Role, User
from wijk.accounts.roles import gate_for
from wijk.core.access import (
    log_list,
    log_read,
    log_refusal,
    model_ref,
    overview_entries,
    require_or_refuse,
)
from wijk.core.errors import BreakGlassRequired, NotFoundError
from wijk.core.models import AccessEvent, AccessLogEntry, AccessOutcome
from wijk.core.quality import (
    Category,
    QualityCheck,
    QualityRow,
    QualitySource,
    counts_of,
    counts_per_wijk,
)
from wijk.core.rows import Capped, Columns, Values, capped_rows, record_refs
from wijk.organisations.models import Team
from wijk.residents.models import (
    BreakGlassGrant,
    HouseholdMembership,
    Resident,
    ResidentQuerySet,
    WorkUnderGrant,
    address_text,
    full_name_of,
    own_work,
)

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ResidentListing:
    """A resident as search results show them: name, date of birth and address (as text, ""
    without a fixed address); nothing else is read for a list."""

    pk: int
    full_name: str
    date_of_birth: datetime.date
    address: str

    @classmethod
    def of(cls, resident: Resident) -> ResidentListing:
        return cls(
            pk=resident.pk,
            full_name=resident.full_name,
            date_of_birth=resident.date_of_birth,
            address=str(resident.address) if resident.address is not None else "",
        )


_LISTING_COLUMNS = (
    "pk",
    "given_names",
    "name_prefix",
    "family_name",
    "date_of_birth",
    "address__street",
    "address__house_number",
    "address__house_letter",
    "address__house_number_addition",
    "address__postcode",
    "address__city",
)


def _listings(ids: list[int]) -> list[ResidentListing]:
    """The residents of `ids`, in that order: one query of the columns a list shows."""
    by_id = {
        pk: ResidentListing(
            pk=pk,
            full_name=full_name_of(given_names, name_prefix, family_name),
            date_of_birth=date_of_birth,
            address=address_text(street, number, letter, addition, postcode, city)
            if street is not None
            else "",
        )
        for (
            pk,
            given_names,
            name_prefix,
            family_name,
            date_of_birth,
            street,
            number,
            letter,
            addition,
            postcode,
            city,
        ) in Resident.objects.filter(pk__in=ids).values_list(*_LISTING_COLUMNS)
    }
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class ResidentView:
    """A resident as a user may see them, with how the access was granted."""

    resident: Resident
    break_glass_reason: str | None
    household: list[HouseholdMembership]
    # The grant the access came from, when it came from a grant only (then work started on
    # the resident is flagged for review: ADR 0020).
    grant: BreakGlassGrant | None = None


def _resident_queryset() -> ResidentQuerySet:
    return Resident.objects.select_related("address__buurt__wijk")


def resident_get_for_user(
    *, user: User, pk: int, event: AccessEvent = AccessEvent.READ
) -> ResidentView:
    """One resident with their household, or NotFoundError. A user who may break the glass
    and asks for an existing resident outside their access gets BreakGlassRequired."""
    gate = gate_for(user)
    resident = _resident_queryset().normally_visible_to(user).filter(pk=pk).first()
    reason: str | None = None
    grant: BreakGlassGrant | None = None
    if resident is None and gate.person_level:
        grant = BreakGlassGrant.objects.active_for(user).filter(resident_id=pk).first()
        if grant is not None:
            resident = _resident_queryset().get(pk=pk)
            reason = grant.reason
    if resident is None:
        log_refusal(user=user, event=event, model=Resident, pk=pk, resident_id=pk)
        if gate.break_glass and Resident.objects.filter(pk=pk).exists():
            raise BreakGlassRequired
        raise NotFoundError
    household = list(
        HouseholdMembership.objects.filter(
            household__memberships__resident=resident
        ).select_related("resident", "household__address__buurt")
    )
    log_read(
        user=user,
        event=event,
        resident_id=resident.pk,
        objects=[resident, *(m.resident for m in household if m.resident_id != resident.pk)],
        reason=reason or "",
        flagged=reason is not None,
    )
    return ResidentView(
        resident=resident, break_glass_reason=reason, household=household, grant=grant
    )


# Words that are tussenvoegsels ("de Jong", "van der Berg"): left out of a search that has
# other words (as the BRP does: "de jong" finds Jong with any tussenvoegsel); alone, they are
# searched for as any other word.
NAME_PREFIX_WORDS = frozenset(
    [
        "'s",
        "'t",
        "aan",
        "bij",
        "da",
        "de",
        "den",
        "der",
        "des",
        "di",
        "du",
        "el",
        "het",
        "in",
        "la",
        "le",
        "op",
        "te",
        "ten",
        "ter",
        "uit",
        "van",
        "von",
    ]
)
# A word finds given names from this many letters on ("Jo" alone finds family names only).
GIVEN_NAME_MIN = 3
# Above every character a name can hold: the upper end of "starts with" as a range.
_PREFIX_END = "\U0010ffff"


def _collation() -> str:
    return "C" if connection.vendor == "postgresql" else "BINARY"


def _name_key(field: str) -> Collate:
    """A name in lower case with the byte order of its text: the order of the result lists,
    and of the index that lets PostgreSQL read them in that order (migration 0002)."""
    return Collate(Lower(field), _collation())


def _family_starts(text: str) -> Q:
    return Q(family_key__gte=text, family_key__lt=text + _PREFIX_END)


def _given_matches(word: str) -> Q:
    return Q(given_lower__startswith=word) | Q(given_lower__contains=" " + word)


def _word_matches(word: str) -> Q:
    """One typed word: the start of the family name, of one of the given names, or the
    whole tussenvoegsel (or one of its words)."""
    return (
        _family_starts(word)
        | _given_matches(word)
        | Q(prefix_lower=word)
        | Q(prefix_lower__startswith=word + " ")
        | Q(prefix_lower__endswith=" " + word)
    )


def resident_search_for_user(
    *,
    user: User,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    bsn: str = "",
    postcode: str = "",
) -> list[ResidentListing]:
    """Residents the user may see that match every given criterion, in order of family name
    and given names; at most SEARCH_LIMIT. Each word of `name` matches the start of the
    family name or of a given name, or the tussenvoegsel ("jan de jo" finds Jan de Jong).
    The log records the search and the residents found, never the search terms.

    At most two queries whatever the number of matches. The first finds the ids: with a name, a
    union of one capped branch per word that could start the family name (PostgreSQL reads
    each in order from the family-name index and stops at the cap), and one branch for
    matches on given names and tussenvoegsels only; the second reads what the list shows of
    the residents found."""
    require_or_refuse(gate_for(user).person_level, user=user)
    base = (
        Resident.objects.visible_to(user)
        .annotate(
            family_key=_name_key("family_name"),
            given_key=_name_key("given_names"),
            given_lower=Lower("given_names"),
            prefix_lower=Lower("name_prefix"),
        )
        .order_by("family_key", "given_key", "pk")
    )
    if date_of_birth:
        base = base.filter(date_of_birth=date_of_birth)
    if bsn:
        base = base.filter(bsn=bsn)
    if len(postcode) == 6:  # a whole postcode: equality, which PostgreSQL estimates well
        base = base.filter(address__postcode=postcode)
    elif postcode:  # its first digits ("2011")
        base = base.filter(address__postcode__startswith=postcode)
    as_typed = name.lower().split()
    typed = list(dict.fromkeys(as_typed))
    # "de jong" looks for "jong" (with any tussenvoegsel, as the BRP does), and for family
    # names that start with "de jong" as typed: every word, a repeated one too ("van Hoevel
    # en van Zwindrecht").
    phrase = " ".join(as_typed)
    words = [w for w in typed if w not in NAME_PREFIX_WORDS] or typed
    columns = ("pk", "family_key", "given_key")
    if words and not connection.features.supports_slicing_ordering_in_compound:
        # SQLite (the demo): one query, the same matches; small enough to sort whole.
        every_word = reduce(operator.and_, map(_word_matches, words))
        matching = base.filter(every_word | _family_starts(phrase))
        found = set(matching.values_list(*columns)[:SEARCH_LIMIT])
    elif words:
        branches = [
            base.filter(_family_starts(w)).filter(*(_word_matches(o) for o in words if o != w))
            for w in words
        ]
        if " " in phrase:
            branches.append(base.filter(_family_starts(phrase)))
        # The rest: no word starts the family name, so each starts a given name or the
        # tussenvoegsel. Given names are looked for from GIVEN_NAME_MIN letters (the trigram
        # index finds those); a search of tussenvoegsels only looks for the tussenvoegsel.
        given_words = [w for w in words if len(w) >= GIVEN_NAME_MIN and w not in NAME_PREFIX_WORDS]
        if given_words or all(w in NAME_PREFIX_WORDS for w in words):
            rest_query = base.filter(*(_word_matches(w) for w in words))
            rest_query = rest_query.exclude(reduce(operator.or_, map(_family_starts, words)))
            if given_words:
                rest_query = rest_query.filter(
                    reduce(operator.or_, map(_given_matches, given_words))
                ).order_by(  # a key the family-name index does not hold: else PostgreSQL
                    # may read that whole index in order, hoping to meet the given names early
                    Collate(Concat(Lower("family_name"), Value("")), _collation()),
                    "given_key",
                    "pk",
                )
            branches.append(rest_query)
        first, *others = (b.values_list(*columns)[:SEARCH_LIMIT] for b in branches)
        found = set(first.union(*others, all=True).order_by()) if others else set(first)
    else:
        found = set(base.values_list(*columns)[:SEARCH_LIMIT])
    ids = [pk for pk, _, _ in sorted(found, key=lambda row: (row[1], row[2], row[0]))]
    results = _listings(ids[:SEARCH_LIMIT]) if ids else []
    log_list(user=user, objects=[model_ref(Resident, r.pk) for r in results])
    return results


def same_name_and_birth(
    *, family_name: str | OuterRef, date_of_birth: datetime.date | OuterRef
) -> Q:
    """The duplicate check's one matching rule by name (ADR 0017): the same family name,
    whatever its case, and the same date of birth. Given values (a registration) or
    `OuterRef`s (every resident against the others: the data-quality report, ADR 0047)."""
    return Q(family_name__iexact=family_name, date_of_birth=date_of_birth)


# The reason written on the access-log entry of a duplicate check: it tells these entries
# from other searches, so that they can be counted per user (ADR 0017).
DUPLICATE_CHECK_REASON = "duplicate check at registration"


@dataclass(frozen=True)
class Duplicates:
    """What a duplicate check tells the user: the matching residents they may see, how many
    others match (a count only), and whether the BSN is taken."""

    visible: list[Resident]
    others: int
    bsn_taken: bool


def resident_duplicates_for_user(
    *, user: User, bsn: str, family_name: str, date_of_birth: datetime.date, by_name: bool = True
) -> Duplicates:
    """Possible duplicates of a resident being registered: the same BSN, or (with `by_name`)
    the same family name and date of birth. Every check is one SEARCH entry in the access log
    naming every resident it matched, those outside the user's access too, and also when it
    matched nobody: the check itself tells something about people, so it is an access.
    resident_register commits it in a transaction of its own, so that refusing the
    registration does not undo it."""
    condition = Q(pk__in=[])
    if by_name:
        condition |= same_name_and_birth(
            family_name=family_name.strip(), date_of_birth=date_of_birth
        )
    if bsn:
        condition |= Q(bsn=bsn)
    matches = list(Resident.objects.filter(condition).only("pk", "bsn").order_by("pk"))
    ids = [match.pk for match in matches]
    visible = list(_resident_queryset().visible_to(user).filter(pk__in=ids)) if ids else []
    log_list(user=user, objects=matches, reason=DUPLICATE_CHECK_REASON)
    return Duplicates(
        visible=visible,
        others=len(matches) - len(visible),
        bsn_taken=bool(bsn) and any(match.bsn == bsn for match in matches),
    )


def resident_duplicate_checks_since(*, user: User, since: datetime.datetime) -> int:
    """How many duplicate checks the user made since `since`, counted from the access log's
    own entries (its index on user and time keeps this one short read)."""
    return AccessLogEntry.objects.filter(
        user_id=user.pk,
        at__gte=since,
        event=AccessEvent.SEARCH,
        outcome=AccessOutcome.SUCCESS,
        reason=DUPLICATE_CHECK_REASON,
    ).count()


def resident_access_log_for_user(*, user: User, pk: int) -> tuple[Resident, list[AccessLogEntry]]:
    """Who accessed this resident's file, newest first: the entries about this resident and
    the lists and searches that showed them (migration core 0004 indexes the objects named
    on PostgreSQL), but never an entry naming a record of a sealed app (the meldcode: its
    existence must not show, to the resident nor to a colleague; ADR 0039). Reading it is
    itself logged."""
    view = resident_get_for_user(user=user, pk=pk)
    ref = model_ref(Resident, pk)
    if connection.features.supports_json_field_contains:
        shown = Q(objects_touched__contains=[ref])
    else:  # SQLite: the JSON text holds the reference in quotes, as one element
        shown = Q(objects_touched__icontains=f'"{ref}"')
    about = overview_entries(AccessLogEntry.objects.filter(Q(resident_id=pk) | shown))
    entries = list(about.order_by("-id")[:500])
    roles = dict(Role.choices)
    for entry in entries:
        entry.role_label = roles.get(entry.role, entry.role)  # type: ignore[attr-defined]
    return view.resident, entries


def break_glass_grants_for_team_lead(*, user: User) -> list[BreakGlassGrant]:
    """Break-the-glass accesses made while their holder was a member of one of the team
    lead's teams (the teams recorded on the grant, ADR 0020), newest first."""
    if not gate_for(user).review_break_glass:
        raise NotFoundError
    return list(
        BreakGlassGrant.objects.for_review_by(user)
        .select_related("user")
        .order_by("-granted_at")[:500]
    )


def work_under_grant_for_team_lead(*, user: User) -> list[WorkUnderGrant]:
    """Work started under the break-the-glass grants the team lead reviews
    (break_glass_grants_for_team_lead), not yet reviewed first, then newest first (ADR
    0020). Kind, reference, who, when and the grant's reason only: no more of the resident
    than the grants list shows. `may_review` is False for work of the team lead's own grant
    or carried on by the team lead, which work_under_grant_review refuses: another team lead
    decides."""
    if not gate_for(user).review_break_glass:
        raise NotFoundError
    return list(
        WorkUnderGrant.objects.filter(grant__in=BreakGlassGrant.objects.for_review_by(user))
        .annotate(
            may_review=Case(
                When(own_work(user), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .select_related("grant__user", "responsible", "reviewed_by")
        .order_by(F("reviewed_at").desc(nulls_first=True), "-started_at", "-pk")[:500]
    )


# ---------------------------------------------------------------------------------------------
# Data quality (seed 002 §8.2, ADR 0047): possible duplicates, by the duplicate check's rule

# The reason on the access-log entry naming the residents that the listed ones match: their
# own access log then shows who saw that they may be registered twice (as ADR 0017 does).
DUPLICATE_REPORT_REASON = "data quality: possible duplicates"

RESIDENT_CHECKS = (
    QualityCheck(
        code="resident_possible_duplicate",
        category=Category.DUPLICATES,
        title=gettext_lazy("Inwoner mogelijk dubbel ingeschreven"),
        explanation=gettext_lazy(
            "Er is nog een inwoner met dezelfde achternaam en geboortedatum. Misschien is "
            "dit dezelfde persoon, twee keer ingeschreven. Kijk na of dat zo is."
        ),
    ),
)


def _resident_conditions() -> dict[str, Q]:
    twin = Resident.objects.filter(
        same_name_and_birth(
            family_name=OuterRef("family_name"), date_of_birth=OuterRef("date_of_birth")
        )
    ).exclude(pk=OuterRef("pk"))
    return {"resident_possible_duplicate": Q(Exists(twin))}


def resident_quality_counts(*, today: datetime.date) -> dict[tuple[str, str], int]:
    """Per check and wijk (the address), the city's residents that fail it: counts only,
    for nobody in particular (the feed's summary)."""
    return counts_per_wijk(
        Resident.objects.all(),
        wijk="address__buurt__wijk__code",
        conditions=_resident_conditions(),
    )


def _of_teams(user: User) -> Q:
    """Residents living in a wijk of the user's active teams: the teams' own residents."""
    return Q(address__buurt__wijk__in=Team.objects.active_for(user).values("wijken"))


def resident_quality_team_counts(*, user: User, today: datetime.date) -> dict[str, int]:
    """Per check, the residents of the team lead's active teams' wijken that fail it;
    nothing for other roles."""
    if not gate_for(user).oversee_teams:
        return {}
    return counts_of(Resident.objects.filter(_of_teams(user)), conditions=_resident_conditions())


_QUALITY_COLUMNS = Columns(
    {
        "pk": "pk",
        "given_names": "given_names",
        "name_prefix": "name_prefix",
        "family_name": "family_name",
        "date_of_birth": "date_of_birth",
        "created_at": "created_at",
    }
)


def resident_quality_rows(
    *, user: User, code: str, today: datetime.date, limit: int
) -> Capped[QualityRow]:
    """The team lead's residents that may be registered twice: living in their teams' wijken
    and visible to them, by name, at most `limit`, logged as a list; and one more entry
    naming the residents they match (also those the team lead may not open, who are never
    shown), as the duplicate check at registration does (ADR 0017)."""
    require_or_refuse(gate_for(user).oversee_teams, user=user)
    shown: list[tuple[str, datetime.date]] = []

    def build(values: Values) -> QualityRow:
        shown.append((values["family_name"], values["date_of_birth"]))
        name = full_name_of(values["given_names"], values["name_prefix"], values["family_name"])
        born = date_format(values["date_of_birth"], "SHORT_DATE_FORMAT")
        return QualityRow(
            pk=values["pk"],
            title=gettext("%(name)s, geboren %(born)s") % {"name": name, "born": born},
            day=values["created_at"].date(),
            url=reverse("residents:detail", args=[values["pk"]]),
        )

    capped = capped_rows(
        user=user,
        queryset=Resident.objects.visible_to(user)
        .filter(_of_teams(user))
        .filter(_resident_conditions()[code])
        .order_by(Lower("family_name"), "date_of_birth", "pk"),
        columns=_QUALITY_COLUMNS,
        build=build,
        refs=record_refs(Resident),
        limit=limit,
    )
    if shown:
        matching = reduce(
            operator.or_,
            (same_name_and_birth(family_name=name, date_of_birth=born) for name, born in shown),
        )
        twins = Resident.objects.filter(matching).exclude(pk__in=[row.pk for row in capped.rows])
        log_list(
            user=user,
            objects=[model_ref(Resident, pk) for pk in twins.values_list("pk", flat=True)],
            reason=DUPLICATE_REPORT_REASON,
        )
    return capped


RESIDENT_QUALITY = QualitySource(
    checks=RESIDENT_CHECKS,
    counts=resident_quality_counts,
    team_counts=resident_quality_team_counts,
    rows=resident_quality_rows,
)
