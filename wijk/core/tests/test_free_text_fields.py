"""Every text area of every form is a FreeTextField: what is typed there is read by staff
later, so characters that hide or reorder text are refused there (ADR 0021). A new text area
written as a plain CharField fails this test."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from django import forms

import wijk
from wijk.core.text import FreeTextField


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for path in sorted(Path(wijk.__file__).parent.glob("*/forms.py")):
        module = importlib.import_module(f"wijk.{path.parent.name}.forms")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_text_area_refuses_hidden_characters() -> None:
    text_areas = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    }
    assert len(text_areas) >= 4  # the public question, reasons: the test does see them
    plain = [name for name, field in text_areas.items() if not isinstance(field, FreeTextField)]
    assert plain == []
