"""Forms of the area management screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijk.areas.models import District, Municipality, Wijk
from wijk.core.forms import SELECT, TEXT
from wijk.core.text import FreeTextField


class WijkDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Stadsdeel"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("Geen stadsdeel"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, wijk: Wijk, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"district": wijk.district_id})
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = District.objects.filter(municipality_id=wijk.municipality_id)


class DistrictForm(forms.Form):
    name = FreeTextField(
        label=_("Naam"),
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
    )


class DistrictCreateForm(DistrictForm):
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
    )
