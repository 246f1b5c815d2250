"""Forms of the login journey and of account management."""

from __future__ import annotations

from typing import Any

from django import forms
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


class UserForm(forms.ModelForm[User]):
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "organisation"]
        widgets = {
            "username": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "first_name": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "last_name": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "email": forms.EmailInput(attrs={"class": "utrecht-textbox"}),
            "role": forms.Select(attrs={"class": "utrecht-select"}),
            "organisation": forms.Select(attrs={"class": "utrecht-select"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        if self.instance.pk:
            self.fields["teams"].initial = list(self.instance.teams.all())
