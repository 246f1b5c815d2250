"""Forms of the login journey and of account management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import Role, User
from wijk.organisations.models import Team


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "class": "utrecht-textbox", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "utrecht-textbox"}
        ),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code uit uw authenticator-app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Vul de 6 cijfers in die uw app nu laat zien.")},
        help_text=_("Zes cijfers. De code verandert elke 30 seconden."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "utrecht-textbox",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class CheckboxList(forms.CheckboxSelectMultiple):
    """A list of NL Design System checkboxes: the class goes on each box, not on the list."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "utrecht-checkbox utrecht-checkbox--html-input"
        return option


# Django 6.1 reworded this validator message and its Dutch translation has not caught up.
_PASSWORD_MESSAGES = {
    "password_too_short": _("Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens."),
}


class UserForm(forms.ModelForm[User]):
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Alleen voor professionals en teamleiders."),
        widget=CheckboxList,
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "organisation"]
        widgets = {
            "username": forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "first_name": forms.TextInput(
                attrs={"class": "utrecht-textbox", "autocomplete": "off"}
            ),
            "last_name": forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "role": forms.Select(attrs={"class": "utrecht-select"}),
            "organisation": forms.Select(attrs={"class": "utrecht-select"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = Role.choices
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.empty_label = _("Geen organisatie")
        # Active teams, and the teams the user is in already, so that saving loses none.
        teams = self.fields["teams"]
        assert isinstance(teams, forms.ModelMultipleChoiceField)
        if self.instance.pk:
            teams.queryset = Team.objects.filter(
                Q(active=True) | Q(members=self.instance)
            ).distinct()
            teams.initial = list(self.instance.teams.all())
        else:
            teams.queryset = Team.objects.filter(active=True)


_SIMILAR_FIELDS = ("username", "first_name", "last_name", "email")


class UserCreateForm(UserForm):
    """A new account with its first password; the authenticator is linked at the first login."""

    password = forms.CharField(
        label=_("Eerste wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "class": "utrecht-textbox"}
        ),
    )
    field_order = [
        "username",
        "password",
        "first_name",
        "last_name",
        "email",
        "role",
        "organisation",
        "teams",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = " ".join(str(text) for text in password_validators_help_texts())
        self.fields["password"].help_text = _(
            "%(rules)s Geef het wachtwoord persoonlijk door. Bij de eerste keer inloggen "
            "koppelt de gebruiker een authenticator-app."
        ) % {"rules": rules}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password = cleaned.get("password")
        if password:
            # The similarity check compares the password with what else was filled in.
            candidate = User(**{name: cleaned.get(name) or "" for name in _SIMILAR_FIELDS})
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", [_in_dutch(problem) for problem in error.error_list])
        return cleaned


def _in_dutch(problem: ValidationError) -> ValidationError:
    message = _PASSWORD_MESSAGES.get(problem.code or "")
    if message is None:
        return problem
    return ValidationError(message, code=problem.code, params=problem.params)
