"""The rows of a form's error summary (core/error_summary.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()

_GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@dataclass(frozen=True)
class SummaryRow:
    """One error: its message, and the id of the element it is about ("" when it is about
    the whole form, or a hidden field, which has nothing to go to)."""

    message: str
    anchor: str


@register.filter
def error_summary(form: forms.BaseForm) -> list[SummaryRow]:
    """Every error of the form, in the order of the page: the form's own errors first, then
    each field's, linking to its input (to the first option of a group of options)."""
    rows = [SummaryRow(str(message), "") for message in form.non_field_errors()]
    for bound in form:
        anchor = "" if bound.is_hidden else bound.id_for_label or ""
        if bound.auto_id and isinstance(bound.field.widget, _GROUP_WIDGETS):
            anchor = f"{bound.auto_id}_0"  # a group's label points nowhere: its first option
        rows += [SummaryRow(str(message), anchor) for message in bound.errors]
    return rows
