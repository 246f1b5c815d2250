"""The `wijk` console command: Django's management commands with wijk's settings.

wijk migrate | wijk seed --scale 0.1 | wijk audit verify | wijk runserver ...
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijk", *sys.argv[1:]])


if __name__ == "__main__":
    main()
