"""Free text that staff read later: no characters that hide text or change the order in which
it is shown (docs/adr/0021-invisible-characters-in-free-text.md).

Refused, with a message: bidirectional controls (a right-to-left override makes "exe.txt" read
as "txt.exe"), control characters other than tab and line breaks, line and paragraph
separators, the deprecated format characters, interlinear annotations and tag characters (which
carry hidden ASCII). Removed without a word, as they mean nothing to a reader: zero-width space,
word joiner, byte-order mark, soft hyphen and the Mongolian vowel separator. Kept: zero-width
joiner and non-joiner, which shape Persian, Indic scripts and emoji.

Every free-text field of a form whose text a member of staff sees later is a FreeTextField.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_REFUSED = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but tab, line feed, carriage return), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "\u2028\u2029"  # line and paragraph separator
    "\u206a-\u206f"  # deprecated format characters
    "\ufff9-\ufffb"  # interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters
    "]"
)
_REMOVED = re.compile("[\u00ad\u180e\u200b\u2060\ufeff]")


def invisible_characters_remove(text: str) -> str:
    """The text without the invisible characters that mean nothing to a reader."""
    return _REMOVED.sub("", text)


def invisible_characters_refused(text: str) -> list[str]:
    """The refused characters in the text, as code points (`U+202E`), each once, in order."""
    found = dict.fromkeys(f"U+{ord(char):04X}" for char in _REFUSED.findall(text))
    return list(found)


def validate_no_hidden_characters(value: str) -> None:
    refused = invisible_characters_refused(value)
    if refused:
        raise ValidationError(
            _(
                "Deze tekst bevat onzichtbare tekens die kunnen veranderen hoe de tekst eruitziet "
                "(%(characters)s). Typ de tekst opnieuw in plaats van hem te plakken."
            ),
            code="hidden_characters",
            params={"characters": ", ".join(refused)},
        )


class FreeTextField(forms.CharField):
    """A CharField for text staff read later: meaning-free invisible characters are removed,
    characters that hide or reorder text are refused with a message."""

    default_validators = [validate_no_hidden_characters]

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str):
            value = invisible_characters_remove(value)
        text: str | None = super().to_python(value)
        return text
