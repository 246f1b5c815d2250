"""The public request form's own table: a submission counter per client address, for rate
limiting. It holds no personal data: the address is stored only as a keyed hash."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SubmissionThrottle(models.Model):
    """One accepted submission from one client address. A resend of the same form (same
    submission key) is one row, so a double click does not count twice."""

    # HMAC-SHA256 of the client address keyed with SECRET_KEY: no raw address is stored.
    address_hash = models.CharField(max_length=64)
    submission_key = models.UUIDField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "submission_key"], name="throttle_unique_submission"
            )
        ]
        indexes = [
            models.Index(fields=["address_hash", "at"], name="throttle_address_at"),
            models.Index(fields=["at"], name="throttle_at"),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk}"
