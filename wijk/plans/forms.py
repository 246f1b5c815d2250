"""Forms of the support plan pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wijk.accounts.models import User
from wijk.core.forms import (
    CHECKBOX,
    SELECT,
    TEXT,
    CheckboxList,
    DateInput,
    RadioButtons,
    SubmissionKeyField,
    textarea_attrs,
)
from wijk.core.params import IdField, parse_int
from wijk.core.text import FreeTextField
from wijk.core.workflow import ASSIGNMENT_REASON_MAX_LENGTH, REASON_MAX_LENGTH
from wijk.organisations.models import Organisation, OrganisationKind, Team
from wijk.plans.diff import Snapshot, trajectory_label
from wijk.plans.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, PlanGoal
from wijk.plans.services import (
    CONFIRMATION_REQUIRED,
    END_EXPLANATION_REQUIRED,
    END_REASON_REQUIRED,
    ENDED_ON_IN_FUTURE,
    EVALUATION_HELD_IN_FUTURE,
    FIRST_EVALUATION_REQUIRED,
    NEXT_EVALUATION_IN_PAST,
    NEXT_EVALUATION_NOT_AFTER,
    NO_ZRM_REASON_REQUIRED,
    PLAN_CHANGED_SINCE_OPENED,
    RIGHTS_IN_FUTURE,
    RIGHTS_NONE_CHOSEN,
    SIGNED_ON_REQUIRED,
    SIGNER_REQUIRED,
    SIGNING_METHOD_REQUIRED,
    TYPED_NAME_REQUIRED,
    WANTS_CLIENT_SUPPORT_UNEXPLAINED,
    CoordinatorInput,
    EvaluationContent,
    GoalInput,
    GoalProgressInput,
    PlanContent,
    PlanEndInput,
    RightsContent,
    SignatureInput,
    ZrmInput,
)
from wijk.plans.workflow import GoalProgress, PerspectiveReached, PlanEndReason, SignatureMethod
from wijk.trajectories.forms import ZRM_SCORES, zrm_domains
from wijk.trajectories.models import Trajectory

if TYPE_CHECKING:
    from wijk.residents.models import Resident


# -- The plan, its versions and its coordinator ---------------------------------------------


# A plan offers two empty goal rows more than it has; "Meer doelen" adds two. At most:
GOAL_ROWS_MAX = 40
STAFF = "staff"
EXTERNAL = "external"


class GroupedCheckboxList(CheckboxList):
    """Checkboxes in groups, each group a fieldset with its legend (`_grouped` makes the
    choices), so a long list reads by its headings; a list of one group has no headings."""

    template_name = "plans/widgets/grouped_checkboxes.html"


def _grouped[T](records: Sequence[T], *, group: Callable[[T], str]) -> list[Any]:
    """Choices (pk, name) of `records`, grouped by `group(record)` in the order of the first
    record of each group; one group gives a plain list."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for record in records:
        groups.setdefault(group(record), []).append(
            (getattr(record, "pk"), getattr(record, "name"))  # noqa: B009
        )
    if len(groups) == 1:
        return next(iter(groups.values()))
    return list(groups.items())


def _picked[T](ids: Sequence[str], records: Sequence[T]) -> list[T]:
    """The records whose id was chosen, in the order offered."""
    chosen = set(ids)
    return [record for record in records if str(getattr(record, "pk")) in chosen]  # noqa: B009


def _user_name(user: User) -> str:
    return user.get_full_name() or user.username


class CoordinatorFields(forms.Form):
    """Who coordinates: a worker of the team, or a professional of another organisation
    (organisation from the register, name and role; no account)."""

    kind = forms.ChoiceField(
        label=_("Wie is de regisseur?"),
        choices=[
            (STAFF, _("Een medewerker van het team")),
            (EXTERNAL, _("Een professional van een andere organisatie")),
        ],
        initial=STAFF,
        widget=RadioButtons,
    )
    coordinator = forms.ChoiceField(
        label=_("Medewerker"),
        required=False,
        help_text=_("Alleen als de regisseur een medewerker van het team is."),
        widget=forms.Select(attrs=SELECT),
    )
    organisation = forms.ChoiceField(
        label=_("Organisatie van de regisseur"),
        required=False,
        help_text=_("Alleen als de regisseur van een andere organisatie is."),
        widget=forms.Select(attrs=SELECT),
    )
    external_name = FreeTextField(
        label=_("Naam van de regisseur"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs=TEXT),
    )
    external_role = FreeTextField(
        label=_("Functie van de regisseur"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(
        self,
        *args: Any,
        workers: Sequence[User],
        organisations: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workers = list(workers)
        self.organisations = list(organisations)
        self._choices("coordinator", [(u.pk, _user_name(u)) for u in self.workers])
        self._choices("organisation", [(o.pk, o.name) for o in self.organisations])

    def _choices(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Kies …")), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("kind") == STAFF:
            if not cleaned.get("coordinator"):
                self.add_error("coordinator", _("Kies de medewerker die regisseur wordt."))
        elif cleaned.get("kind") == EXTERNAL:
            if not cleaned.get("organisation"):
                self.add_error("organisation", _("Kies de organisatie van de regisseur."))
            if not (cleaned.get("external_name") or "").strip():
                self.add_error("external_name", _("Vul de naam van de regisseur in."))
            if not (cleaned.get("external_role") or "").strip():
                self.add_error("external_role", _("Vul de functie van de regisseur in."))
        return cleaned

    def coordinator_input(self) -> CoordinatorInput:
        data = self.cleaned_data
        if data["kind"] == STAFF:
            return CoordinatorInput(user=_picked([data["coordinator"]], self.workers)[0])
        return CoordinatorInput(
            organisation=_picked([data["organisation"]], self.organisations)[0],
            name=data["external_name"],
            role=data["external_role"],
        )


class PlanStartForm(CoordinatorFields):
    team = forms.ChoiceField(
        label=_("Team"),
        help_text=_("Het team dat het plan met de inwoner maakt."),
        widget=forms.Select(attrs=SELECT),
    )
    field_order = ["team"]
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, teams: Sequence[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = list(teams)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(team.pk, team.name) for team in self.teams]

    def chosen_team(self) -> Team:
        return _picked([self.cleaned_data["team"]], self.teams)[0]


class PlanCoordinatorForm(CoordinatorFields):
    reason = FreeTextField(
        label=_("Reden"),
        max_length=ASSIGNMENT_REASON_MAX_LENGTH,
        help_text=_("Waarom de regisseur verandert, zonder medische gegevens."),
        error_messages={"required": _("Schrijf op waarom de regisseur verandert.")},
        widget=forms.Textarea(attrs=textarea_attrs(3)),
    )
    # The newest coordinator change the form was shown with: a change someone made since is
    # refused, never overwritten (ADR 0026, 0034).
    expected = IdField(widget=forms.HiddenInput)
    submission_key = SubmissionKeyField()


def goal_rows_of(data: Any, *, at_least: int) -> int:
    """How many goal rows a form has: the posted number (within GOAL_ROWS_MAX), else
    `at_least`."""
    posted = parse_int(data.get("goal_rows") if data is not None else None, minimum=1)
    return min(max(posted or 0, at_least), GOAL_ROWS_MAX)


GOALS_HELP = _(
    "Deel 1 van het plan: de doelen en resultaten. Wat wil de inwoner bereiken, en wat is "
    "dan het resultaat? "
    "Eén doel per vak. Meer vakken nodig? Kies onderaan 'Meer doelen'."
)


class PlanEditForm(forms.Form):
    """The six parts of a plan, saved as a new version. Goals are numbered rows: a row with
    nothing in it is left out. `based_on` is the version the editor opened."""

    own_strength = FreeTextField(
        label=_("2. Eigen kracht en netwerk"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Wat de inwoner zelf kan, en wie in de omgeving helpt."),
        widget=forms.Textarea(attrs=textarea_attrs()),
    )
    preceding_provisions = FreeTextField(
        label=_("3. Voorliggende voorzieningen en andere wetten"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "Wat er al is voor iedereen (zoals buurthuis of schuldhulp), en wat andere wetten "
            "bieden (zoals Zorgverzekeringswet, Wet langdurige zorg of Jeugdwet)."
        ),
        widget=forms.Textarea(attrs=textarea_attrs()),
    )
    solution = FreeTextField(
        label=_("4. Welke ondersteuning en activiteiten helpen"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs=textarea_attrs()),
    )
    trajectories = forms.MultipleChoiceField(
        label=_("Trajecten die hierbij horen"),
        required=False,
        widget=CheckboxList,
    )
    activities = forms.MultipleChoiceField(
        label=_("Activiteiten die hierbij horen"),
        required=False,
        help_text=_("De activiteiten in de wijken van het team, per wijk."),
        widget=GroupedCheckboxList,
    )
    partners = FreeTextField(
        label=_("5. Met wie werkt de inwoner hieraan?"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Mensen en organisaties, met wat ieder doet."),
        widget=forms.Textarea(attrs=textarea_attrs()),
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organisaties die meewerken"),
        required=False,
        help_text=_("De organisaties uit het register, per soort organisatie."),
        widget=GroupedCheckboxList,
    )
    perspective = FreeTextField(
        label=_("6. Perspectief: hoe ziet het eruit als de ondersteuning stopt?"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs=textarea_attrs()),
    )
    ao_scope = FreeTextField(
        label=_("Aanvullende Ondersteuning: omvang"),
        required=False,
        strip=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "Alleen bij Aanvullende Ondersteuning: welke ondersteuning, hoeveel en hoe vaak. "
            "Als de inwoner deze versie ondertekent, is dit het besluit."
        ),
        widget=forms.Textarea(attrs=textarea_attrs(3)),
    )
    ao_start_on = forms.DateField(
        label=_("Aanvullende Ondersteuning: ingangsdatum"),
        required=False,
        widget=DateInput(),
    )
    ao_review_on = forms.DateField(
        label=_("Aanvullende Ondersteuning: herzien uiterlijk op"),
        required=False,
        widget=DateInput(),
    )
    based_on = IdField(widget=forms.HiddenInput)
    goal_rows = IdField(widget=forms.HiddenInput, max_value=GOAL_ROWS_MAX)
    submission_key = SubmissionKeyField()

    def __init__(
        self,
        *args: Any,
        rows: int,
        members: Sequence[Resident],
        trajectories: Sequence[Trajectory],
        activities: Sequence[Any],
        organisations: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.members = list(members)
        self.trajectory_choices = list(trajectories)
        self.activity_choices = list(activities)
        self.organisation_choices = list(organisations)
        goal_fields: dict[str, forms.Field] = {}
        for number in range(1, rows + 1):
            goal_fields[f"goal_{number}"] = FreeTextField(
                label=_("Doel %(number)s") % {"number": number},
                help_text=GOALS_HELP if number == 1 else "",
                required=False,
                strip=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs=textarea_attrs(2)),
            )
            goal_fields[f"result_{number}"] = FreeTextField(
                label=_("Doel %(number)s: gewenst resultaat") % {"number": number},
                required=False,
                strip=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs=textarea_attrs(2)),
            )
            goal_fields[f"member_{number}"] = forms.ChoiceField(
                label=_("Doel %(number)s: voor wie") % {"number": number},
                required=False,
                choices=[
                    ("", _("Het hele huishouden")),
                    *[(member.pk, member.full_name) for member in self.members],
                ],
                widget=forms.Select(attrs=SELECT),
            )
        # The goals come first: part 1 of the plan.
        self.fields = {**goal_fields, **self.fields}
        self._choices(
            "trajectories",
            [(t.pk, _trajectory_choice(t)) for t in self.trajectory_choices],
        )
        # Long lists, in groups: the activities per wijk, the register per kind.
        by_wijk = sorted(self.activity_choices, key=lambda a: (a.wijk.name, a.name, a.pk))
        self._choices("activities", _grouped(by_wijk, group=lambda a: a.wijk.name))
        kinds = list(OrganisationKind.values)
        by_kind = sorted(self.organisation_choices, key=lambda o: (kinds.index(o.kind), o.name))
        self._choices("organisations", _grouped(by_kind, group=lambda o: o.get_kind_display()))
        # Nothing to link: no empty group of checkboxes.
        for name, offered in (
            ("trajectories", self.trajectory_choices),
            ("activities", self.activity_choices),
            ("organisations", self.organisation_choices),
        ):
            if not offered:
                del self.fields[name]
        self.initial.setdefault("goal_rows", rows)

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for number in range(1, self.rows + 1):
            goal = cleaned.get(f"goal_{number}") or ""
            result = cleaned.get(f"result_{number}") or ""
            if result.strip() and not goal.strip():
                self.add_error(
                    f"goal_{number}", _("Schrijf het doel op, of maak de regel helemaal leeg.")
                )
        start, review = cleaned.get("ao_start_on"), cleaned.get("ao_review_on")
        if start is not None and review is not None and review <= start:
            self.add_error(
                "ao_review_on", _("Kies een datum om te herzien die na de ingangsdatum ligt.")
            )
        return cleaned

    def content(self) -> PlanContent:
        data = self.cleaned_data
        goals = []
        for number in range(1, self.rows + 1):
            goal = data.get(f"goal_{number}") or ""
            result = data.get(f"result_{number}") or ""
            if not goal.strip() and not result.strip():
                continue
            member = data.get(f"member_{number}") or ""
            picked = _picked([member], self.members) if member else []
            goals.append(GoalInput(goal=goal, result=result, member=picked[0] if picked else None))
        return PlanContent(
            goals=goals,
            own_strength=data["own_strength"] or "",
            preceding_provisions=data["preceding_provisions"] or "",
            solution=data["solution"] or "",
            trajectories=_picked(data.get("trajectories", []), self.trajectory_choices),
            activities=_picked(data.get("activities", []), self.activity_choices),
            partners=data["partners"] or "",
            organisations=_picked(data.get("organisations", []), self.organisation_choices),
            perspective=data["perspective"] or "",
            ao_scope=data["ao_scope"] or "",
            ao_start_on=data["ao_start_on"],
            ao_review_on=data["ao_review_on"],
        )


def _trajectory_choice(trajectory: Trajectory) -> str:
    return trajectory_label(
        trajectory.get_part_display(), trajectory.inflow_date, trajectory.resident.full_name
    )


def plan_edit_initial(*, content: Snapshot, based_on: int) -> dict[str, Any]:
    """The edit form's values for a version's content."""
    initial: dict[str, Any] = {
        "own_strength": content.own_strength,
        "preceding_provisions": content.preceding_provisions,
        "solution": content.solution,
        "trajectories": [str(pk) for pk, _label in content.trajectories],
        "activities": [str(pk) for pk, _label in content.activities],
        "partners": content.partners,
        "organisations": [str(pk) for pk, _label in content.organisations],
        "perspective": content.perspective,
        "ao_scope": content.ao_scope,
        "ao_start_on": content.ao_start_on,
        "ao_review_on": content.ao_review_on,
        "based_on": based_on,
    }
    for number, goal in enumerate(content.goals, start=1):
        initial[f"goal_{number}"] = goal.goal
        initial[f"result_{number}"] = goal.result
        initial[f"member_{number}"] = str(goal.member_id) if goal.member_id else ""
    return initial


# -- Evaluations and the explanation of rights ----------------------------------------------

NO_ZRM = "geen"


def _trajectory_label(trajectory: Trajectory) -> str:
    return _("%(part)s, sinds %(day)s (%(name)s)") % {
        "part": trajectory.get_part_display(),
        "day": date_format(trajectory.inflow_date),
        "name": trajectory.resident.full_name,
    }


class EvaluationForm(forms.Form):
    """An evaluation of an active plan. Fields per goal of the plan's current version
    (`progress_<id>`, `note_<id>`), and a ZRM: the trajectory to record it on and a score per
    life domain (`score_<code>`, as the trajectory's own ZRM form), or the reason there is
    none. The rules are in services.evaluation_record; the form says the same ones at once."""

    held_on = forms.DateField(
        label=_("Datum van de evaluatie"),
        help_text=_("De dag waarop u met de inwoner het plan besprak."),
        widget=DateInput(),
    )
    resident_view = FreeTextField(
        label=_("Wat vindt de inwoner zelf?"),
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_(
            "Schrijf op wat de inwoner zelf zegt: hoe gaat het, wat is beter of slechter, "
            "wat wil de inwoner anders. Gebruik de woorden van de inwoner."
        ),
        widget=forms.Textarea(attrs=textarea_attrs(6)),
    )
    version = IdField(widget=forms.HiddenInput)
    submission_key = SubmissionKeyField()

    def __init__(
        self,
        *args: Any,
        version_id: int | None,
        goals: list[PlanGoal],
        trajectories: list[Trajectory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Posted against another version than the current one (saved meanwhile): say so, and
        # go on from the current version's goals.
        self.stale = self.is_bound and self.data.get("version") != str(version_id)
        if self.stale:
            self.data = {**dict(self.data.items()), "version": str(version_id)}
        self.goals = goals
        self.trajectories = {trajectory.pk: trajectory for trajectory in trajectories}
        self.domains = zrm_domains() if trajectories else []
        for number, goal in enumerate(goals, 1):
            who = f" ({goal.member.full_name})" if goal.member else ""
            self.fields[f"progress_{goal.pk}"] = forms.ChoiceField(
                label=_("Doel %(number)d%(who)s: %(goal)s")
                % {"number": number, "who": who, "goal": goal.goal},
                choices=GoalProgress.choices,
                widget=RadioButtons,
            )
            self.fields[f"note_{goal.pk}"] = FreeTextField(
                label=_("Toelichting bij doel %(number)d") % {"number": number},
                required=False,
                max_length=TEXT_MAX_LENGTH,
                strip=False,
                widget=forms.Textarea(attrs=textarea_attrs(3)),
            )
        if trajectories:
            self.fields["zrm_trajectory"] = forms.ChoiceField(
                label=_("Nieuwe ZRM-score"),
                help_text=_(
                    "Kies het traject waarbij u de ZRM invult. Vul daaronder per leefgebied "
                    "een score in. Doet u deze keer geen ZRM? Kies dan de laatste mogelijkheid "
                    "en schrijf waarom niet."
                ),
                choices=[
                    *((str(pk), _trajectory_label(t)) for pk, t in self.trajectories.items()),
                    (NO_ZRM, _("Deze keer geen ZRM")),
                ],
                widget=RadioButtons,
            )
            for domain in self.domains:
                self.fields[f"score_{domain.code}"] = forms.TypedChoiceField(
                    label=domain.label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", _("Niet gescoord")), *ZRM_SCORES],
                    widget=forms.Select(attrs=SELECT),
                )
        self.fields["no_zrm_reason"] = FreeTextField(
            label=_("Waarom deze keer geen ZRM?"),
            required=False,
            max_length=NAME_MAX_LENGTH,
            help_text=(
                _("Alleen invullen als u geen ZRM doet.")
                if trajectories
                else _(
                    "Er is geen traject aan dit plan gekoppeld, dus u kunt hier geen ZRM "
                    "invullen. Schrijf kort waarom er geen ZRM is."
                )
            ),
            widget=forms.TextInput(attrs=TEXT),
        )
        self.fields["next_evaluation_on"] = forms.DateField(
            label=_("Volgende evaluatie"),
            help_text=_(
                "Spreek met de inwoner een datum af. Wij stellen een werkdag over een half "
                "jaar voor. U mag een andere datum kiezen."
            ),
            widget=DateInput(),
        )

    def clean_held_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(EVALUATION_HELD_IN_FUTURE)
        return value

    def wants_zrm(self) -> bool:
        choice = self.cleaned_data.get("zrm_trajectory")
        return bool(choice) and choice != NO_ZRM

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.stale:
            self.add_error(None, str(PLAN_CHANGED_SINCE_OPENED))
        held_on, next_on = data.get("held_on"), data.get("next_evaluation_on")
        if held_on is not None and next_on is not None:
            if next_on <= held_on:
                self.add_error("next_evaluation_on", str(NEXT_EVALUATION_NOT_AFTER))
            elif next_on < timezone.localdate():
                self.add_error("next_evaluation_on", str(NEXT_EVALUATION_IN_PAST))
        if self.wants_zrm():
            names = [f"score_{domain.code}" for domain in self.domains]
            if not any(data.get(name) is not None for name in names):
                self.add_error("zrm_trajectory", _("Geef ten minste één leefgebied een score."))
            data["no_zrm_reason"] = ""
        elif "zrm_trajectory" not in self.errors and not (data.get("no_zrm_reason") or "").strip():
            self.add_error("no_zrm_reason", str(NO_ZRM_REASON_REQUIRED))
        return data

    def content(self) -> EvaluationContent:
        data = self.cleaned_data
        zrm = None
        if self.wants_zrm():
            zrm = ZrmInput(
                trajectory=self.trajectories[int(data["zrm_trajectory"])],
                scores={
                    domain: score
                    for domain in self.domains
                    if (score := data.get(f"score_{domain.code}")) is not None
                },
            )
        return EvaluationContent(
            version_id=data["version"],
            held_on=data["held_on"],
            resident_view=data["resident_view"] or "",
            progress=[
                GoalProgressInput(
                    goal_id=goal.pk,
                    progress=data[f"progress_{goal.pk}"],
                    note=data.get(f"note_{goal.pk}") or "",
                )
                for goal in self.goals
            ],
            next_evaluation_on=data["next_evaluation_on"],
            zrm=zrm,
            no_zrm_reason=data.get("no_zrm_reason") or "",
        )


class RightsForm(forms.Form):
    """Which of the resident's rights were explained. Each box says, in plain words, what to
    tell the resident."""

    submission_key = SubmissionKeyField()
    explained_on = forms.DateField(
        label=_("Datum"),
        help_text=_("De dag waarop u het de inwoner uitlegde."),
        widget=DateInput(),
    )
    client_support = forms.BooleanField(
        label=_("Onafhankelijke cliëntondersteuning"),
        required=False,
        help_text=_(
            "Vertel: u kunt gratis hulp krijgen van een cliëntondersteuner. Die hoort niet bij "
            "het wijkteam of de gemeente en helpt u bij gesprekken en bij uw plan."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    wants_client_support = forms.BooleanField(
        label=_("De inwoner wil een cliëntondersteuner"),
        required=False,
        help_text=_("Vink aan als de inwoner hulp van een cliëntondersteuner wil."),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    privacy = forms.BooleanField(
        label=_("Privacy"),
        required=False,
        help_text=_(
            "Vertel: welke gegevens wij opschrijven en waarom, wie ze mag zien, en dat de "
            "inwoner zijn gegevens mag inzien en mag vragen om iets te verbeteren."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    complaints = forms.BooleanField(
        label=_("Klachten"),
        required=False,
        help_text=_(
            "Vertel: bent u niet tevreden over ons? Dan kunt u een klacht indienen. "
            "Leg uit hoe dat gaat en bij wie."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    objection_appeal = forms.BooleanField(
        label=_("Bezwaar en beroep"),
        required=False,
        help_text=_(
            "Vertel: bent u het niet eens met een besluit? Dan kunt u binnen zes weken "
            "bezwaar maken. Daarna kunt u in beroep gaan bij de rechter."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    note = FreeTextField(
        label=_("Toelichting"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_("Bijvoorbeeld wat de inwoner vroeg, of welke folder u meegaf."),
        widget=forms.Textarea(attrs=textarea_attrs(6)),
    )

    def clean_explained_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["explained_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(RIGHTS_IN_FUTURE)
        return value

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        rights = ("client_support", "privacy", "complaints", "objection_appeal")
        if not any(data.get(name) for name in rights):
            raise forms.ValidationError(RIGHTS_NONE_CHOSEN)
        if data.get("wants_client_support") and not data.get("client_support"):
            self.add_error("wants_client_support", str(WANTS_CLIENT_SUPPORT_UNEXPLAINED))
        return data

    def content(self) -> RightsContent:
        data = self.cleaned_data
        return RightsContent(
            explained_on=data["explained_on"],
            client_support=data["client_support"],
            wants_client_support=data["wants_client_support"],
            privacy=data["privacy"],
            complaints=data["complaints"],
            objection_appeal=data["objection_appeal"],
            note=data["note"] or "",
        )


# -- Signing ----------------------------------------------------------------------------------


# How the resident agrees, as the signing page asks it: one way at a time (ADR 0041).
SIGNING_WAYS = [
    (SignatureMethod.DRAWN.value, _("Tekenen op het scherm")),
    (SignatureMethod.TYPED.value, _("Naam typen en bevestigen")),
    (SignatureMethod.SCAN.value, _("Papieren handtekening scannen")),
    (SignatureMethod.IN_PERSON.value, _("Mondeling akkoord, in persoon")),
]


class SigningWayForm(forms.Form):
    """The first step of signing: which way the resident agrees. Sent by GET (`?wijze=…`):
    the page then shows only that way's fields."""

    wijze = forms.ChoiceField(
        label=_("Hoe geeft de inwoner akkoord?"),
        choices=SIGNING_WAYS,
        help_text=_(
            "Kies één manier. Daarna ziet u alleen wat bij die manier hoort. Werkt u met het "
            "toetsenbord, of lukt tekenen niet? Kies dan 'Naam typen en bevestigen'."
        ),
        error_messages={"required": SIGNING_METHOD_REQUIRED},
        widget=RadioButtons,
    )


def signing_way_label(method: str) -> str:
    return str(dict(SIGNING_WAYS)[method])


# The fields of each way, besides who agrees and when.
_WAY_FIELDS: dict[str, tuple[str, ...]] = {
    SignatureMethod.DRAWN: ("drawing", "signer_name"),
    SignatureMethod.TYPED: ("signer_name", "confirmed"),
    SignatureMethod.SCAN: ("scan", "signer_name"),
    SignatureMethod.IN_PERSON: ("confirmed", "signer_name"),
}
_ALL_WAY_FIELDS = {name for names in _WAY_FIELDS.values() for name in names}


class SignatureForm(forms.Form):
    """Signing one version in the way chosen (`method`, never a field: the page asks it
    first): who, when, and only that way's fields — the typed name and the confirmation,
    the drawing (a PNG data URL the canvas script puts in `drawing`), the scan, or the
    witness's confirmation. The rules are in `plan_version_sign`; the form says the
    required ones at once. `first` asks for the first evaluation date (a draft plan becomes
    active when it is signed)."""

    signer = forms.TypedChoiceField(
        label=_("Wie gaat akkoord?"),
        coerce=int,
        error_messages={"required": SIGNER_REQUIRED},
        widget=RadioButtons,
    )
    signer_name = FreeTextField(
        label=_("Naam van de vertegenwoordiger"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_(
            "Alleen invullen als iemand anders voor de inwoner akkoord geeft, zoals een "
            "curator of mentor."
        ),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    drawing = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)
    submission_key = SubmissionKeyField()
    scan = forms.FileField(
        label=_("Scan van de papieren handtekening"),
        help_text=_("Een PDF, PNG of JPEG van hooguit %(size)s MB."),
        error_messages={"required": _("Kies het bestand met de scan.")},
        widget=forms.ClearableFileInput(
            attrs={**TEXT, "accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"}
        ),
    )
    confirmed = forms.BooleanField(
        label=_("Ik heb gezien dat de inwoner akkoord gaat met deze versie van het plan."),
        error_messages={"required": CONFIRMATION_REQUIRED},
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )
    signed_on = forms.DateField(
        label=_("Datum van ondertekening"),
        help_text=_("De dag waarop de inwoner akkoord gaf. Dat kan vandaag zijn of eerder."),
        error_messages={"required": SIGNED_ON_REQUIRED},
        widget=DateInput(),
    )
    next_evaluation_on = forms.DateField(
        label=_("Datum van de eerste evaluatie"),
        help_text=_(
            "Het plan gaat lopen zodra het is ondertekend. Wanneer bespreekt u samen hoe het gaat?"
        ),
        error_messages={"required": FIRST_EVALUATION_REQUIRED},
        widget=DateInput(),
    )

    def __init__(
        self,
        *args: Any,
        method: str,
        members: Sequence[Resident],
        first: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.method = method
        signer = self.fields["signer"]
        assert isinstance(signer, forms.TypedChoiceField)
        signer.choices = [(member.pk, member.full_name) for member in members]
        scan = self.fields["scan"]
        megabytes = settings.WIJK_SIGNATURE_SCAN_MAX_BYTES // (1024 * 1024)
        scan.help_text = str(scan.help_text) % {"size": megabytes}
        for name in _ALL_WAY_FIELDS - set(_WAY_FIELDS[method]):
            del self.fields[name]
        if method == SignatureMethod.TYPED:
            typed_name = self.fields["signer_name"]
            typed_name.required = True
            typed_name.label = _("Naam van wie ondertekent")
            typed_name.help_text = _(
                "De inwoner typt hier zelf de naam. Geeft een vertegenwoordiger akkoord? "
                "Dan typt die de eigen naam."
            )
            typed_name.error_messages["required"] = TYPED_NAME_REQUIRED
        if not first:
            del self.fields["next_evaluation_on"]

    def signature_input(self) -> SignatureInput:
        data = self.cleaned_data
        return SignatureInput(
            method=self.method,
            signer_id=data["signer"],
            signed_on=data["signed_on"],
            signer_name=data.get("signer_name") or "",
            confirmed=bool(data.get("confirmed")),
            drawing=data.get("drawing") or "",
            scan=data.get("scan") or None,
            next_evaluation_on=data.get("next_evaluation_on"),
        )


# -- Ending -----------------------------------------------------------------------------------


class PlanEndForm(forms.Form):
    """Ending a plan: the day support stops, why, and for a plan that ran whether the
    perspective of part 6 was reached (`active`). The rules are in `plan_end`."""

    ended_on = forms.DateField(
        label=_("Datum waarop de ondersteuning stopt"),
        help_text=_("Vandaag of eerder."),
        widget=DateInput(),
    )
    reason = forms.ChoiceField(
        label=_("Waarom stopt het plan?"),
        choices=PlanEndReason.choices,
        error_messages={"required": END_REASON_REQUIRED},
        widget=RadioButtons,
    )
    explanation = FreeTextField(
        label=_("Toelichting"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Nodig bij 'Een andere reden'. Kort, zonder medische gegevens. "
            "Iedereen die het plan ziet, kan dit lezen."
        ),
        widget=forms.Textarea(attrs=textarea_attrs(3)),
    )
    perspective_reached = forms.ChoiceField(
        label=_("Is het perspectief bereikt?"),
        required=False,
        choices=[("", _("Weet ik niet")), *PerspectiveReached.choices],
        help_text=_("Deel 6 van het plan: hoe het eruitziet als de ondersteuning stopt."),
        widget=RadioButtons,
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, active: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not active:  # a draft was never carried out: no perspective to reach
            del self.fields["perspective_reached"]

    def clean_ended_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["ended_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(ENDED_ON_IN_FUTURE)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        explanation = (cleaned.get("explanation") or "").strip()
        if cleaned.get("reason") == PlanEndReason.OTHER and not explanation:
            self.add_error("explanation", END_EXPLANATION_REQUIRED)
        return cleaned

    def ending(self) -> PlanEndInput:
        data = self.cleaned_data
        return PlanEndInput(
            ended_on=data["ended_on"],
            reason=data["reason"],
            explanation=data.get("explanation") or "",
            perspective_reached=data.get("perspective_reached") or "",
        )
