"""Residents, their addresses and households. Person-level data: views reach these tables
only through wijk.residents.selectors and wijk.residents.services (a test enforces it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijk.accounts.roles import APPROVAL_ROLES, GATES, NO_ACCESS, gate_for
from wijk.organisations.models import Team

if TYPE_CHECKING:
    from wijk.accounts.models import User

POSTCODE_VALIDATOR = RegexValidator(r"^\d{4}[A-Z]{2}$", _("Vul een postcode in als 1234 AB."))


class Address(models.Model):
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[POSTCODE_VALIDATOR])
    city = models.CharField(_("woonplaats"), max_length=100, default="Haarlem")
    buurt = models.ForeignKey(
        "areas.Buurt", verbose_name=_("buurt"), on_delete=models.PROTECT, related_name="addresses"
    )

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        indexes = [models.Index(fields=["postcode", "house_number"], name="address_pc_number")]

    def __str__(self) -> str:
        return address_text(
            self.street,
            self.house_number,
            self.house_letter,
            self.house_number_addition,
            self.postcode,
            self.city,
        )


def address_text(
    street: str, house_number: int, house_letter: str, addition: str, postcode: str, city: str
) -> str:
    """An address on one line: "Grote Markt 2A-1, 2011 RD Haarlem". Lists that read the
    address's columns without loading it use this too."""
    number = f"{house_number}{house_letter}"
    if addition:
        number = f"{number}-{addition}"
    return f"{street} {number}, {postcode[:4]} {postcode[4:]} {city}"


def full_name_of(given_names: str, name_prefix: str, family_name: str) -> str:
    """A resident's name as wijk shows it: "Jan de Jong". Lists that read the name parts
    without loading the resident use this too."""
    return " ".join(part for part in (given_names, name_prefix, family_name) if part)


class ResidentQuerySet(models.QuerySet["Resident"]):
    """The access rule, held once. Selectors use these methods; nothing else filters
    residents by user."""

    def normally_visible_to(self, user: User) -> ResidentQuerySet:
        """Residents living in a wijk covered by one of the user's active teams, and residents
        assigned to the user. Roles without person-level access see none."""
        if not gate_for(user).person_level:
            return self.none()
        return self.filter(_normally_visible(user))

    def normally_reached_by_account(self, user: User) -> ResidentQuerySet:
        """As normally_visible_to, for the account rather than a signed-in session: its role
        (active, approved) and teams, whether or not it has passed the authenticator step now.
        Only for a server-side decision about the account (e.g. whether a reviewed break-the-
        glass needs an assignment); never to show anything."""
        eligible = (
            user.is_active
            and GATES.get(user.role, NO_ACCESS).person_level
            and (user.role not in APPROVAL_ROLES or user.role_approved)
        )
        return self.filter(_normally_visible(user)) if eligible else self.none()

    def visible_to(self, user: User) -> ResidentQuerySet:
        """As normally_visible_to, plus residents for whom the user broke the glass, until the
        grant expires. One condition (not two querysets combined, which costs the ORM twice)."""
        if not gate_for(user).person_level:
            return self.none()
        granted = BreakGlassGrant.objects.active_for(user).values("resident_id")
        return self.filter(_normally_visible(user) | Q(pk__in=granted))


def _normally_visible(user: User, path: str = "pk") -> Q:
    """The condition of ResidentQuerySet.normally_visible_to, for a user with person-level
    access, on the resident at `path` ("pk": the resident itself; "resident": a record's
    resident). Written as conditions on the resident's own columns, never as "the resident is
    in the set of every resident the user may see": that set (all residents of a team's
    wijken) is far too large to hash, and PostgreSQL would scan it once per record."""
    prefix = "" if path == "pk" else f"{path}__"
    wijk_ids = Team.objects.active_for(user).values("wijken")
    assigned = Assignment.objects.filter(user=user, ended_at__isnull=True).values("resident_id")
    return Q(**{f"{prefix}address__buurt__wijk_id__in": wijk_ids}) | Q(**{f"{path}__in": assigned})


def of_visible_residents(user: User, *, path: str = "resident", optional: bool = False) -> Q:
    """The one rule for every record that belongs to a resident (a request, a trajectory, a
    participation…), held here once (ADR 0020): such a record is visible only when its own
    rule admits it and its resident is visible to the user by ResidentQuerySet.visible_to
    (a wijk of the user's active teams, an open assignment, or an unexpired break-the-glass
    grant). Access to the record so never outlives or widens the basis on which the resident
    was reached. `path` leads from the record to its resident; with `optional`, a record
    without a resident yet (a request from the public form not linked) passes, and follows
    its own rule alone. The same condition as visible_to, on the record's resident: small
    subqueries (the user's wijken, assignments and grants), no extra query."""
    if not gate_for(user).person_level:
        return Q(pk__in=[])
    granted = BreakGlassGrant.objects.active_for(user).values("resident_id")
    condition = _normally_visible(user, path) | Q(**{f"{path}__in": granted})
    if optional:
        condition |= Q(**{f"{path}__isnull": True})
    return condition


class Resident(models.Model):
    given_names = models.CharField(_("voornamen"), max_length=200)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"))
    bsn = models.CharField(  # noqa: DJ001  (NULL, not "", so that unknown BSNs stay unique)
        _("BSN"),
        max_length=9,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("Een BSN heeft 9 cijfers."))],
    )
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    address = models.ForeignKey(
        Address,
        verbose_name=_("adres"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), default=timezone.now)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["family_name", "given_names", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bsn"], condition=Q(bsn__isnull=False), name="resident_unique_bsn"
            )
        ]
        indexes = [
            models.Index(Lower("family_name"), "date_of_birth", name="resident_name_dob"),
            models.Index(fields=["date_of_birth"], name="resident_dob"),
            # On PostgreSQL also the search indexes of migration 0002 (name order, given
            # names by trigram, postcode prefix), made there in SQL as SQLite has no equal.
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name_of(self.given_names, self.name_prefix, self.family_name)


class Household(models.Model):
    address = models.ForeignKey(
        Address,
        verbose_name=_("adres"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return f"household {self.pk}"


class Relation(models.TextChoices):
    REFERENCE_PERSON = "reference_person", _("Hoofdbewoner")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder")
    OTHER_FAMILY = "other_family", _("Ander familielid")
    OTHER = "other", _("Andere huisgenoot")


class HouseholdMembership(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    resident = models.OneToOneField(
        Resident, on_delete=models.PROTECT, related_name="household_membership"
    )
    relation = models.CharField(_("relatie"), max_length=32, choices=Relation.choices)

    class Meta:
        verbose_name = _("lid van huishouden")
        verbose_name_plural = _("leden van huishoudens")

    def __str__(self) -> str:
        return f"membership {self.pk}"


class Assignment(models.Model):
    """A resident assigned to a professional, e.g. as coordinator, outside the team's area."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"], name="assignment_user_open")]

    def __str__(self) -> str:
        return f"assignment {self.pk}"


class BreakGlassGrantQuerySet(models.QuerySet["BreakGlassGrant"]):
    def active_for(self, user: User) -> BreakGlassGrantQuerySet:
        return self.filter(user=user, expires_at__gt=timezone.now())

    def for_review_by(self, user: User) -> BreakGlassGrantQuerySet:
        """The grants a team lead reviews: made while the holder was a member of one of the
        team lead's active teams (the teams recorded on the grant, not the holder's teams
        today, ADR 0020). One subquery, so no grant is counted twice."""
        of_teams = BreakGlassGrant.objects.filter(teams__in=Team.objects.active_for(user))
        return self.filter(pk__in=of_teams.values("pk"))


class BreakGlassGrant(models.Model):
    """Access to one resident outside the normal rule, with the recorded reason. Flagged in the
    access log and listed for the team lead."""

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.TextField(_("reden"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # The holder's active teams at the moment of granting: their team leads review the grant
    # and the work started under it, whatever becomes of the membership later (ADR 0020).
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams bij toekenning"), related_name="+", blank=True
    )

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry")]

    def __str__(self) -> str:
        return f"break-the-glass grant {self.pk}"


def own_work(user: User) -> Q:
    """Work under a grant that `user` may not review: started under their own grant, or
    carried on by them (the responsible professional), so that nobody approves a lasting
    basis for themselves (ADR 0020). A condition on WorkUnderGrant."""
    return Q(grant__user=user) | Q(responsible=user)


class WorkKind(models.TextChoices):
    REQUEST = "request", _("Hulpvraag")
    TRAJECTORY = "trajectory", _("Traject")
    PARTICIPATION = "participation", _("Deelname aan een activiteit")
    RESIDENT = "resident", _("Inwoner ingeschreven in het huishouden")


class WorkUnderGrant(models.Model):
    """A record started while the actor's access to its resident came only from a
    break-the-glass grant (ADR 0020): flagged for the team lead's review. It names the record
    by kind, id and reference only, so the review list shows no more than the grants list.
    Approving it gives the responsible professional an assignment (a regular basis)."""

    grant = models.ForeignKey(BreakGlassGrant, on_delete=models.PROTECT, related_name="work")
    # Whom the work is about: the grant's resident, or a household member registered into
    # the household of the grant's resident.
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort"), max_length=16, choices=WorkKind.choices)
    object_id = models.PositiveBigIntegerField()
    reference = models.CharField(_("kenmerk"), max_length=100)
    # Who carries the work on (the request's assignee, the trajectory's coordinator); None
    # when approving gives nobody a basis (a participation).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The review's decision: True gave the responsible professional an assignment.
    approved = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="work_under_grant_once"),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, approved__isnull=True)
                | Q(reviewed_at__isnull=False, approved__isnull=False),
                name="work_under_grant_reviewed_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"work under grant {self.pk}"
