"""wijk load_areas [--file CSV --year YEAR]: load a CBS year of wijken and buurten."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijk.areas.services import DEFAULT_CBS_FILE, DEFAULT_CBS_YEAR, areas_load_cbs
from wijk.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Load a CBS year of wijken and buurten beside the years already loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_CBS_FILE)
        parser.add_argument("--year", type=int, default=DEFAULT_CBS_YEAR)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = areas_load_cbs(path=path, source_year=options["year"])
        except ValidationFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"CBS {options['year']}: {result.wijken_created} wijken and "
            f"{result.buurten_created} buurten added, {result.unchanged} already present."
        )
