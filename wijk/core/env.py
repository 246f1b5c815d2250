"""Typed access to environment variables: the only way settings read configuration.

Every variable is documented where it is read; a malformed value stops start-up with a
message that names the variable and what to set.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, *, help_text: str = "") -> str:
    """A string variable; `help_text` documents it for operators."""
    return os.environ.get(name, default)


def env_required(name: str, *, help_text: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {help_text}")
    return value


def env_bool(name: str, default: bool, *, help_text: str = "") -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}. {help_text}")


def env_int(name: str, default: int, *, help_text: str = "") -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}. {help_text}"
        ) from None


def env_list(name: str, default: list[str], *, help_text: str = "") -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
