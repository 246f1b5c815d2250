"""Forms of the organisation and team screens: model forms for reading the input; the writes
go through wijk.organisations.services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.accounts.roles import TEAM_MEMBER_ROLES
from wijk.areas.models import Wijk
from wijk.areas.selectors import wijk_newest_year
from wijk.core.forms import CHECKBOX, SELECT, TEXT, CheckboxList
from wijk.core.text import FreeTextField
from wijk.organisations.models import Organisation, OrganisationKind, Team


class OrganisationForm(forms.ModelForm[Organisation]):
    # Longer than the column: people type the number with spaces, as the KvK prints it.
    kvk_number = forms.CharField(
        label=_("KvK-nummer"),
        required=False,
        max_length=20,
        help_text=_("Acht cijfers, zoals in het Handelsregister."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "size": 10}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "kvk_number", "active"]
        field_classes = {"name": FreeTextField}
        widgets = {
            "name": forms.TextInput(attrs=TEXT),
            "kind": forms.Select(attrs=SELECT),
            "active": forms.CheckboxInput(attrs=CHECKBOX),
        }
        error_messages = {"name": {"unique": _("Er is al een organisatie met deze naam.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Kies een soort")), *OrganisationKind.choices]

    def clean_kvk_number(self) -> str:
        number = re.sub(r"\s", "", self.cleaned_data["kvk_number"])
        if number and not re.fullmatch(r"\d{8}", number):
            raise forms.ValidationError(_("Een KvK-nummer bestaat uit precies 8 cijfers."))
        return number


class WijkChoiceField(forms.ModelMultipleChoiceField[Wijk]):
    """Wijken labelled with their stadsdeel; a wijk of an older CBS year also with its year."""

    newest_year: int | None = None

    def label_from_instance(self, obj: Wijk) -> str:
        district = obj.district.name if obj.district else _("geen stadsdeel")
        label = _("%(wijk)s (stadsdeel %(district)s)") % {"wijk": obj.name, "district": district}
        if obj.source_year != self.newest_year:
            label = _("%(label)s, CBS-indeling %(year)s") % {
                "label": label,
                "year": obj.source_year,
            }
        return str(label)


class MemberChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.username}, {obj.get_role_display()})"


class TeamForm(forms.ModelForm[Team]):
    wijken = WijkChoiceField(
        label=_("Wijken"),
        queryset=Wijk.objects.none(),
        required=False,
        help_text=_("De wijken van de nieuwste CBS-indeling, op stadsdeel."),
        widget=CheckboxList,
    )
    members = MemberChoiceField(
        label=_("Leden"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Professionals en teamleiders met een actief account."),
        widget=CheckboxList,
    )

    class Meta:
        model = Team
        fields = ["name", "organisation", "is_intake", "active", "wijken", "members"]
        field_classes = {"name": FreeTextField}
        widgets = {
            "name": forms.TextInput(attrs=TEXT),
            "organisation": forms.Select(attrs=SELECT),
            "is_intake": forms.CheckboxInput(attrs=CHECKBOX),
            "active": forms.CheckboxInput(attrs=CHECKBOX),
        }
        error_messages = {"name": {"unique": _("Er is al een team met deze naam.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the team has already stays on offer, so that saving the form loses nothing.
        of_team = Q(teams=self.instance) if self.instance.pk else Q(pk__in=[])
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.empty_label = _("Kies een organisatie")
        organisation.queryset = Organisation.objects.filter(Q(active=True) | of_team).distinct()

        wijken = self.fields["wijken"]
        assert isinstance(wijken, WijkChoiceField)
        wijken.newest_year = wijk_newest_year()
        wijken.queryset = (
            Wijk.objects.filter(Q(source_year=wijken.newest_year) | of_team)
            .select_related("district")
            .distinct()
            .order_by("district__name", "name", "source_year")
        )

        members = self.fields["members"]
        assert isinstance(members, MemberChoiceField)
        members.queryset = (
            User.objects.filter(Q(is_active=True, role__in=TEAM_MEMBER_ROLES) | of_team)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
