"""Writes on the reference lists. Codes are never deleted: a code that may no longer be chosen
gets an end date (`valid_until`), and the code itself never changes once it exists, because
exports and the data already recorded refer to it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import structlog
from django.db import transaction
from django.utils.translation import gettext as _

from wijk.core.errors import ValidationFailed
from wijk.reference.models import Code, CodeList

if TYPE_CHECKING:
    from wijk.accounts.models import User

log = structlog.get_logger(__name__)


def _problems(
    *,
    code: Code,
    parent: Code | None,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
) -> dict[str, str]:
    """What is wrong with a new or changed code, per field; all of it, so that the form
    shows every problem at once."""
    errors: dict[str, str] = {}
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _(
            "De einddatum ligt vóór de begindatum. Kies een einddatum op of na de datum "
            "bij Geldig vanaf, of laat het veld leeg."
        )
    ancestor = parent
    while ancestor is not None:
        if ancestor.code_list_id != code.code_list_id:
            errors["parent"] = _("Kies een code uit dezelfde keuzelijst.")
            break
        if code.pk is not None and ancestor.pk == code.pk:
            errors["parent"] = _("Een code kan niet onder zichzelf vallen.")
            break
        ancestor = ancestor.parent
    return errors


@transaction.atomic(durable=True)
def code_create(
    *,
    actor: User,
    code_list: CodeList,
    code: str,
    label_nl: str,
    label_en: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    sort_order: int = 0,
    parent: Code | None = None,
) -> Code:
    new = Code(
        code_list=code_list,
        code=code,
        label_nl=label_nl,
        label_en=label_en,
        parent=parent,
        valid_from=valid_from,
        valid_until=valid_until,
        sort_order=sort_order,
    )
    problems = _problems(code=new, parent=parent, valid_from=valid_from, valid_until=valid_until)
    if Code.objects.filter(code_list=code_list, code=code).exists():
        problems["code"] = _(
            "Deze keuzelijst heeft al een code %(code)s. Codes worden nooit verwijderd: "
            "kies een andere code, of pas de bestaande aan."
        ) % {"code": code}
    if problems:
        raise ValidationFailed(fields=problems)
    new.save()
    log.info("code_created", code_id=new.pk, code_list_id=code_list.pk, by=actor.pk)
    return new


@transaction.atomic(durable=True)
def code_update(
    *,
    actor: User,
    code: Code,
    label_nl: str,
    label_en: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    sort_order: int,
    parent: Code | None,
) -> Code:
    """Change everything of a code except the code itself."""
    problems = _problems(code=code, parent=parent, valid_from=valid_from, valid_until=valid_until)
    if problems:
        raise ValidationFailed(fields=problems)
    code.label_nl = label_nl
    code.label_en = label_en
    code.valid_from = valid_from
    code.valid_until = valid_until
    code.sort_order = sort_order
    code.parent = parent
    code.save(
        update_fields=["label_nl", "label_en", "valid_from", "valid_until", "sort_order", "parent"]
    )
    log.info("code_updated", code_id=code.pk, code_list_id=code.code_list_id, by=actor.pk)
    return code
