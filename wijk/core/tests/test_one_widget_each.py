"""One copy of each form widget: the NL Design System widgets and their attributes (a native
date field, radio buttons, a list of checkboxes, the classes of a text box, a select, a
checkbox, a radio button and a text area) are written once, in wijk.core.forms, and every app
imports them from there.

The check reads the code (Python's ast): each rule carries a source it must catch and one it
must let through, so the check itself is tested (as in test_no_second_road)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = "core/forms.py"

# The Django widgets wijk.core.forms adapts once: a class of one's own on them is a copy.
WIDGET_BASES = frozenset({"DateInput", "RadioSelect", "CheckboxSelectMultiple"})
# The classes wijk.core.forms names (TEXT, SELECT, CHECKBOX, RADIO_CLASS, textarea_attrs).
CORE_CLASSES = frozenset(
    {
        "utrecht-textbox",
        "utrecht-select",
        "utrecht-checkbox utrecht-checkbox--html-input",
        "utrecht-radio-button utrecht-radio-button--html-input",
        "utrecht-textarea",
    }
)

BAD = """
from django import forms

TEXT = {"class": "utrecht-textbox"}


class DateInput(forms.DateInput):
    input_type = "date"


class RadioList(forms.RadioSelect):
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = "utrecht-radio-button utrecht-radio-button--html-input"
        return option


note = forms.CharField(widget=forms.Textarea(attrs={"class": "utrecht-textarea", "rows": 3}))
"""
GOOD = """
from django import forms

from wijk.core.forms import TEXT, DateInput, textarea_attrs
from wijk.core.forms import RadioButtons as CoreRadioButtons


class RadioButtons(CoreRadioButtons):
    template_name = "requests/widgets/radio.html"


day = forms.DateField(widget=DateInput(attrs=TEXT))
code = forms.CharField(widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}))
count = forms.IntegerField(
    widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--numeric"})
)
note = forms.CharField(widget=forms.Textarea(attrs=textarea_attrs(3)))
"""


def _base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Attribute):
        return base.attr
    if isinstance(base, ast.Name):
        return base.id
    return ""


def widget_copies(source: str) -> list[str]:
    """What in `source` writes again a widget or a class that wijk.core.forms holds, by line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            bases = {_base_name(base) for base in node.bases} & WIDGET_BASES
            found += [(node.lineno, f"class {node.name}({base})") for base in sorted(bases)]
        elif isinstance(node, ast.Dict):
            found += [
                (node.lineno, f'"class": "{value.value}"')
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant)
                and key.value == "class"
                and isinstance(value, ast.Constant)
                and value.value in CORE_CLASSES
            ]
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and node.value.value in CORE_CLASSES
        ):
            found.append((node.lineno, f'"{node.value.value}"'))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def _modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
        and path.relative_to(ROOT).as_posix() != HOME
    )


def test_the_check_catches_each_kind_of_copy() -> None:
    assert widget_copies(BAD) == [
        'line 4: "class": "utrecht-textbox"',
        "line 7: class DateInput(DateInput)",
        "line 11: class RadioList(RadioSelect)",
        'line 14: "utrecht-radio-button utrecht-radio-button--html-input"',
        'line 18: "class": "utrecht-textarea"',
    ]
    assert widget_copies(GOOD) == []


def test_the_widgets_are_written_in_core() -> None:
    home = "\n".join(widget_copies((ROOT / HOME).read_text(encoding="utf-8")))
    for name in (*WIDGET_BASES, *CORE_CLASSES):
        assert name in home


def test_no_app_writes_a_widget_again() -> None:
    modules = _modules()
    assert ROOT / "requests" / "forms.py" in modules
    copies = {
        path.relative_to(ROOT).as_posix(): found
        for path in modules
        if (found := widget_copies(path.read_text(encoding="utf-8")))
    }
    assert copies == {}, "import these from wijk.core.forms instead"
