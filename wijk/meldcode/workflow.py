"""The lifecycle of a meldcode case and the five steps of the reporting code (ADR 0039).

open → reported, help or closed; help → reported or closed; reported → closed. A case is
opened when a professional has signals of domestic violence or child abuse. Step 5 decides:
a report to Veilig Thuis makes it "reported" (whether or not help is given as well, and it
stays so), help without a report makes it "help"; help that does not bring the result in time
is reported after all (help → reported). Closing needs a reason and is final: new signals
open a new case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class MeldcodeStatus(models.TextChoices):
    OPEN = "open", _("Loopt")
    REPORTED = "reported", _("Gemeld bij Veilig Thuis")
    HELP = "help", _("Hulp zonder melding")
    CLOSED = "closed", _("Afgesloten")


TRANSITIONS: dict[str, frozenset[str]] = {
    MeldcodeStatus.OPEN: frozenset(
        {MeldcodeStatus.REPORTED, MeldcodeStatus.HELP, MeldcodeStatus.CLOSED}
    ),
    MeldcodeStatus.HELP: frozenset({MeldcodeStatus.REPORTED, MeldcodeStatus.CLOSED}),
    MeldcodeStatus.REPORTED: frozenset({MeldcodeStatus.CLOSED}),
    MeldcodeStatus.CLOSED: frozenset(),
}


class Step(models.IntegerChoices):
    """The five steps of the Meldcode huiselijk geweld en kindermishandeling (2019)."""

    SIGNALS = 1, _("Signalen in kaart brengen")
    CONSULTATION = 2, _("Collegiale consultatie en zo nodig Veilig Thuis raadplegen")
    CONVERSATION = 3, _("Gesprek met de inwoner")
    WEIGHING = 4, _("Wegen van het geweld of de kindermishandeling")
    DECISION = 5, _("Beslissen: melden en hulp bieden of organiseren")


class Answer(models.TextChoices):
    """An answer to a question of the afwegingskader or the kindcheck."""

    YES = "ja", _("Ja")
    NO = "nee", _("Nee")
    UNKNOWN = "onbekend", _("Nog niet bekend")


# The five questions of the afwegingskader (step 4), in its order: field name and question.
WEIGHING_QUESTIONS: tuple[tuple[str, StrOrPromise], ...] = (
    (
        "suspicion",
        _(
            "1. Vermoeden: heeft u na stap 1 tot en met 3 een vermoeden van (dreiging van) "
            "huiselijk geweld of kindermishandeling?"
        ),
    ),
    (
        "unsafe",
        _("2. Is er volgens u sprake van acute onveiligheid of structurele onveiligheid?"),
    ),
    (
        "can_help",
        _(
            "3. Kunt u zelf effectieve hulp bieden of organiseren om (nieuw) geweld of "
            "kindermishandeling te voorkomen?"
        ),
    ),
    (
        "accepts_help",
        _("4. Aanvaarden de betrokkenen die hulp, en willen zij zich daarvoor inzetten?"),
    ),
    (
        "help_works",
        _(
            "5. Leidt de hulp binnen de afgesproken tijd tot de nodige veiligheid en het "
            "welzijn van alle betrokkenen?"
        ),
    ),
)


def report_required(answers: dict[str, str]) -> bool:
    """Whether the afwegingskader makes a report to Veilig Thuis the professional norm: acute
    or structural unsafety (question 2 yes), or help that the professional cannot give or
    organise, that is not accepted, or that does not work (question 3, 4 or 5 no) — provided
    there is a suspicion at all (question 1 yes)."""
    if answers.get("suspicion") != Answer.YES:
        return False
    return answers.get("unsafe") == Answer.YES or any(
        answers.get(field) == Answer.NO for field in ("can_help", "accepts_help", "help_works")
    )
