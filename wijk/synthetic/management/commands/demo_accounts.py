"""wijk demo_accounts: one account per role for the demo, with a known password and an
authenticator already linked, and for demo-professional an own caseload in the seeded city
(open requests and trajectories of its team, shared out by demo-team-lead: see
wijk.synthetic.services.demo_caseload_ensure); prints how to log in. Refused in production.

The command lives with the seed, not in accounts: the caseload reaches into requests and
trajectories, which the accounts app may not depend on."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijk.accounts.models import Role, User
from wijk.accounts.services import DEVICE_NAME
from wijk.areas.models import Wijk
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.synthetic.services import demo_caseload_ensure

DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105  (demo only; refused in production)


def demo_username(role: Role) -> str:
    return f"demo-{role.value.replace('_', '-')}"


def _as_verified(user: User) -> User:
    """The user as the OTP middleware passes it on after the second factor: the command has
    just linked its authenticator, and acts as this user through the services."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


class Command(BaseCommand):
    help = (
        "Create (or show) one demo account per role, and give demo-professional an own "
        "caseload in the seeded city. Never in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are refused when WIJK_PRODUCTION is set.")
        with transaction.atomic():
            team = self._demo_team()
            accounts = {role: self._account(role, team) for role in Role}
        caseload = demo_caseload_ensure(
            actor=_as_verified(accounts[Role.TEAM_LEAD][0]),
            professional=accounts[Role.PROFESSIONAL][0],
            team=team,
        )
        self.stdout.write(
            "\nDemo accounts (password, then the 6-digit code of your authenticator):\n"
        )
        for user, password, secret in accounts.values():
            self.stdout.write(
                f"  {user.role:<14} {user.username:<20} {password:<32} TOTP key {secret}"
            )
        self.stdout.write(
            f"\n{demo_username(Role.PROFESSIONAL)} has {caseload.requests} open requests and "
            f"coordinates {caseload.trajectories} open trajectories of {team.name}.\n"
        )
        self.stdout.write(
            "\nAdd a TOTP key to an authenticator app (FreeOTP, Aegis, Google or Microsoft "
            "Authenticator: 'enter a setup key', time-based, 6 digits),\nor print the current "
            "code without a phone: .venv/bin/wijk demo_totp demo-professional\n"
        )

    def _demo_team(self) -> Team:
        team = (
            Team.objects.filter(wijken__code="WK039201", is_intake=False).order_by("name").first()
        )
        if team is not None:
            return team
        organisation, _ = Organisation.objects.get_or_create(
            name="Demo-organisatie", defaults={"kind": OrganisationKind.CONSORTIUM_MEMBER}
        )
        team, _ = Team.objects.get_or_create(
            name="Sociaal Wijkteam Centrum", organisation=organisation
        )
        team.wijken.add(*Wijk.objects.filter(code="WK039201"))
        return team

    def _account(self, role: Role, team: Team) -> tuple[User, str, str]:
        username = demo_username(role)
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role.value,
                "first_name": "Demo",
                "last_name": str(role.label),
                "organisation": (
                    None
                    if role in (Role.MUNICIPALITY, Role.MUNICIPALITY_DECISIONS)
                    else team.organisation
                ),
                # Demo only (refused in production): ready to use without a second person.
                "role_approved": True,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        if role in (Role.PROFESSIONAL, Role.TEAM_LEAD):
            user.teams.add(team)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode()
        return user, password, secret
