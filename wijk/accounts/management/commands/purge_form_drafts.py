"""`wijk purge_form_drafts`: delete form drafts that have expired and every draft of a disabled
account (docs/adr/0025). Run it daily; drafts are also left out once expired, so a missed run
shows nobody an old draft, it only keeps the rows longer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wijk.accounts.services import form_drafts_purge


class Command(BaseCommand):
    help = "Delete expired form drafts and the drafts of disabled accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        count = form_drafts_purge()
        self.stdout.write(f"{count} concept(en) verwijderd.")
