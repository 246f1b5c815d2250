"""The access log (NEN 7513 as best practice): one append-only, hash-chained table.

UPDATE and DELETE are refused by a database trigger (see migration 0002); the chain is keyed
(HMAC-SHA256 with WIJK_AUDIT_KEY, which the database never stores), extended one writer at a
time by wijk.core.audit (through AccessLogHead, the newest link) and checked by
`wijk audit verify`, also against the anchors `wijk audit anchor` writes outside the database.

Beside it, FormSubmission: the keys of create forms already sent (wijk.core.submissions);
BackgroundJob and ScheduledRun: work done by `wijk worker` (wijk.core.background and
wijk.core.schedule)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.TextChoices):
    CREATE = "create", _("aangemaakt")
    READ = "read", _("ingezien")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    SEARCH = "search", _("gezocht")
    EXPORT = "export", _("geëxporteerd")
    PRINT = "print", _("afgedrukt")
    # Changes to who may see what: a break-the-glass grant, an account or team change that
    # gives person-level access and its approval or rejection by a second person.
    GRANT = "grant", _("toegang verleend")
    APPROVE = "approve", _("goedgekeurd")
    REJECT = "reject", _("afgewezen")


class AccessOutcome(models.TextChoices):
    SUCCESS = "success", _("gelukt")
    REFUSED = "refused", _("geweigerd")


class AccessLogEntry(models.Model):
    """One access to person-level data. Free fields never hold a BSN or health content:
    `objects` holds model labels with ids, `reason` the break-the-glass reason."""

    at = models.DateTimeField(_("tijdstip"))
    event = models.CharField(_("gebeurtenis"), max_length=16, choices=AccessEvent.choices)
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=AccessOutcome.choices)
    user_id = models.BigIntegerField(_("gebruiker-id"), null=True)
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=32, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("namens"), max_length=200, blank=True)
    access_point = models.CharField(_("toegangspunt"), max_length=200, blank=True)
    resident_id = models.BigIntegerField(_("inwoner-id"), null=True, db_index=True)
    objects_touched = models.JSONField(_("objecten"), default=list)
    reason = models.TextField(_("reden"), blank=True)
    flagged = models.BooleanField(_("gemarkeerd"), default=False)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # Which key made entry_hash (an HMAC-SHA256); empty for the unkeyed sha256 entries written
    # before the chain was keyed (docs/adr/0006-access-log.md, "Keyed chain").
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["id"]
        indexes = [models.Index(fields=["user_id", "at"], name="core_accesslog_user_at")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} {self.outcome}"


class AccessLogHead(models.Model):
    """The newest link of the access log's chain: one row (id 1), updated with every entry in
    the statement that inserts it. Its row lock is what lets one writer at a time extend the
    chain (wijk.core.audit); `wijk audit verify` checks that it names the last entry. A
    trigger (migration 0006) lets it only move forward: no DELETE, an UPDATE only from the
    link it names to the next, TRUNCATE only together with the log itself."""

    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("laatste schakel van het toegangslog")
        verbose_name_plural = _("laatste schakel van het toegangslog")

    def __str__(self) -> str:
        return self.entry_hash


class FormSubmission(models.Model):
    """A create form as one user sent it once (wijk.core.submissions, ADR 0043): its key, and
    the record it made (a model label and an id; empty only inside the transaction that
    claims it). Ids only, no personal data. Unique per user and key: the same form sent
    again by the same user finds its row taken."""

    user_id = models.BigIntegerField()
    key = models.UUIDField()
    model = models.CharField(max_length=100)
    object_id = models.BigIntegerField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verstuurd formulier")
        verbose_name_plural = _("verstuurde formulieren")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="form_submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    SUCCEEDED = "succeeded", _("klaar")
    FAILED = "failed", _("mislukt")


class BackgroundJob(models.Model):
    """One piece of long work run by `wijk worker` (wijk.core.background): who asked (empty for
    a scheduled run), what it is, how far it got and how it ended. `result` and `error` are
    short texts without personal data (a file name, a count, the kind of error); the job's
    page shows them to the person who asked only. `task_id` names the task in the queue
    (django-tasks-db) of the latest attempt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=64)
    label = models.CharField(_("omschrijving"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("gedaan"), default=0)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    result = models.CharField(_("uitkomst"), max_length=500, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)
    # The file the job made for its asker (wijk.core.background.job_file_write), in its own
    # directory under settings.WIJK_JOB_FILES_DIR; empty when it made none or it was removed.
    file_name = models.CharField(_("bestand"), max_length=200, blank=True)
    # The asker's role when the file was made: what it holds depends on it (exact figures for
    # management), so it is served only while the asker still has that role.
    file_role = models.CharField(_("rol bij het bestand"), max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        indexes = [models.Index(fields=["kind", "created_at"], name="core_job_kind_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=0) | models.Q(done__lte=models.F("total")),
                name="background_job_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def percent(self) -> int | None:
        """How far the job got, 0-100; None while the amount of work is unknown."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class ScheduledRun(models.Model):
    """One day's run of an entry of the daily schedule (settings.WIJK_SCHEDULE). Unique per
    (name, day): however many workers look at the clock, one of them enqueues the day's run
    and the others find the row taken (wijk.core.schedule)."""

    name = models.CharField(max_length=64)
    day = models.DateField()
    job = models.ForeignKey(BackgroundJob, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("geplande uitvoering")
        verbose_name_plural = _("geplande uitvoeringen")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
