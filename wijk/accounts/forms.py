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
from wijk.core.forms import SELECT, TEXT, CheckboxList, RadioButtons, textarea_attrs
from wijk.core.text import FreeTextField
from wijk.organisations.models import Team


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", **TEXT, "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", **TEXT}),
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
                **TEXT,
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


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
        field_classes = {"first_name": FreeTextField, "last_name": FreeTextField}
        widgets = {
            "username": forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
            "first_name": forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
            "role": forms.Select(attrs=SELECT),
            "organisation": forms.Select(attrs=SELECT),
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


class UserCreateForm(UserForm):
    """A new account without a password: the holder gets a one-time link by e-mail to choose
    one, and links an authenticator right after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = True
        email.help_text = _(
            "Het werkadres van de gebruiker. Daar komt een link waarmee de gebruiker zelf een "
            "wachtwoord kiest en de authenticator-app koppelt. U ziet die link niet."
        )
        self.fields["role"].help_text = _(
            "Een rol met toegang tot gegevens van inwoners, of de rol beheerder, werkt pas als "
            "een tweede persoon die goedkeurt. Dat geldt ook voor elk team."
        )


class ActivationForm(forms.Form):
    """The holder's own password, checked by the password validators against their account."""

    password1 = forms.CharField(
        label=_("Nieuw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", **TEXT, "autofocus": True}
        ),
    )
    password2 = forms.CharField(
        label=_("Nieuw wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **TEXT}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            try:
                validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("password1", [_in_dutch(problem) for problem in error.error_list])
        return cleaned


class AccessChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren")), ("reject", _("Afwijzen"))],
        widget=RadioButtons,
    )
    reason = FreeTextField(
        label=_("Toelichting"),
        required=False,
        max_length=500,
        help_text=_("Schrijf hier geen gegevens over inwoners."),
        widget=forms.Textarea(attrs=textarea_attrs(3)),
    )


def _in_dutch(problem: ValidationError) -> ValidationError:
    message = _PASSWORD_MESSAGES.get(problem.code or "")
    if message is None:
        return problem
    return ValidationError(message, code=problem.code, params=problem.params)
