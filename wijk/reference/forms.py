"""Forms of the reference-list screens. The rules (dates in order, a code unique in its list)
are checked by wijk.reference.services; these forms only read the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from wijk.core.forms import SELECT, TEXT, DateInput
from wijk.core.params import INTEGER_MAX
from wijk.core.text import FreeTextField
from wijk.reference.models import Code, CodeList


class CodeForm(forms.Form):
    label_nl = FreeTextField(
        label=_("Omschrijving"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
    )
    label_en = FreeTextField(
        label=_("Omschrijving in het Engels"),
        max_length=200,
        widget=forms.TextInput(attrs={**TEXT, "lang": "en"}),
    )
    parent = forms.ModelChoiceField(
        label=_("Valt onder"),
        queryset=Code.objects.none(),
        required=False,
        empty_label=_("Geen: een code op het hoogste niveau"),
        widget=forms.Select(attrs=SELECT),
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        help_text=_(
            "Leeg zolang de code gekozen mag worden. Codes worden nooit verwijderd: een code "
            "die niet meer gekozen mag worden, krijgt hier de laatste dag."
        ),
        widget=DateInput(),
    )
    sort_order = forms.IntegerField(
        label=_("Volgorde"),
        min_value=0,
        max_value=INTEGER_MAX,
        help_text=_("Een lager getal staat eerder in de keuzelijst."),
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--numeric"}),
    )

    def __init__(
        self, *args: Any, code_list: CodeList, code: Code | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = Code.objects.filter(code_list=code_list).order_by("sort_order", "code")
        if code is not None:
            parents = parents.exclude(pk=code.pk)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents


class CodeCreateForm(CodeForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_]*$",
                message=_(
                    "Een code bestaat uit kleine letters, cijfers en liggende streepjes (_), "
                    "zonder spaties."
                ),
            )
        ],
        help_text=_(
            "Kleine letters, cijfers en _. De code verandert daarna nooit meer: koppelingen en "
            "exports gebruiken hem."
        ),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    field_order = ["code"]
