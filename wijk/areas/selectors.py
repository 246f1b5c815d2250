"""Reads of area data shared by other apps (no person-level data here)."""

from __future__ import annotations

from django.db.models import Count, Max

from wijk.areas.models import Buurt, Wijk


def wijk_newest_year() -> int | None:
    """The newest CBS year loaded: teams and new registrations use its wijken."""
    year: int | None = Wijk.objects.aggregate(year=Max("source_year"))["year"]
    return year


def buurt_for_postcode(*, postcode: str, house_number: int | None = None) -> Buurt | None:
    """The buurt a postcode lies in, with its wijk, to route a request to a team: the buurt of
    the known address with this postcode and house number, else the buurt most known addresses
    with this postcode lie in (the lowest id on a tie), else None.

    Known addresses are the residents' (their `buurt` points here, `related_name="addresses"`);
    the query goes through that relation and answers with an area only, so it reads no one's
    data: it has no access check and writes no access-log entry."""
    buurten = Buurt.objects.select_related("wijk")
    if house_number is not None:
        numbered = (
            buurten.filter(addresses__postcode=postcode, addresses__house_number=house_number)
            .order_by("pk")
            .first()
        )
        if numbered is not None:
            return numbered
    return (
        buurten.filter(addresses__postcode=postcode)
        .annotate(known_addresses=Count("addresses"))
        .order_by("-known_addresses", "pk")
        .first()
    )


def buurten_for_address(*, postcode: str, house_number: int | None = None) -> list[Buurt]:
    """The buurten an address may lie in, judged by the known addresses (as
    buurt_for_postcode): those known at this postcode and house number, else those known at
    this postcode, by name. One buurt: the address lies there. Several: the postcode crosses a
    buurt border and the house number does not decide. None: the postcode is not known yet."""
    buurten = Buurt.objects.select_related("wijk").order_by("name", "pk")
    if house_number is not None:
        numbered = list(
            buurten.filter(
                addresses__postcode=postcode, addresses__house_number=house_number
            ).distinct()
        )
        if numbered:
            return numbered
    return list(buurten.filter(addresses__postcode=postcode).distinct())
