"""The reference lists seeded by the data migration, and validity by date."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from wijk.reference.models import Code, CodeList

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "count"),
    [
        ("channels", 6),
        ("referrer_types", 10),
        ("inflow_reasons", 8),
        ("life_domains", 13),
        ("outflow_reasons", 11),
        ("out_of_scope_provisions", 18),
        ("policy_themes", 21),
        ("target_groups", 7),
    ],
)
def test_each_list_is_seeded_with_its_codes(slug: str, count: int) -> None:
    assert Code.objects.filter(code_list__slug=slug).count() == count


def test_outflow_reasons_follow_wmo588_codes() -> None:
    codes = set(
        Code.objects.filter(code_list__slug="outflow_reasons").values_list("code", flat=True)
    )
    assert codes == {"02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39"}


def test_a_retired_code_is_not_valid_after_its_end_date() -> None:
    code = Code.objects.get(code_list__slug="channels", code="writing")
    code.valid_until = datetime.date(2025, 12, 31)
    code.save()
    channels = Code.objects.filter(code_list__slug="channels")
    assert code in channels.valid_on(datetime.date(2025, 12, 31))
    assert code not in channels.valid_on(datetime.date(2026, 1, 1))


def test_labels_follow_the_active_language() -> None:
    code_list = CodeList.objects.get(slug="life_domains")
    code = code_list.codes.get(code="finances")
    with translation.override("nl"):
        assert (code_list.name, code.label) == ("Leefgebieden (ZRM 2017)", "Financiën")
    with translation.override("en"):
        assert (code_list.name, code.label) == ("Life domains (ZRM 2017)", "Finances")


def test_policy_themes_hold_the_four_themes_with_their_sub_themes() -> None:
    themes = Code.objects.filter(code_list__slug="policy_themes", parent__isnull=True)
    assert [t.code for t in themes] == ["physical_social", "practical", "together", "participation"]
    assert [t.children.count() for t in themes] == [4, 6, 4, 3]
