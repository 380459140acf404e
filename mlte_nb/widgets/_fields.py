"""Typed argument fields for a condition builder, derived from its check signature."""

from __future__ import annotations

import ast
import inspect
import math
from typing import Any

import ipywidgets as widgets

from mlte_nb.values.condition import builder

_NUMBER_TYPES = ("float", "int")
_ERROR_STYLE = "color:#cf222e;font-size:12px"


def error_html(message: str) -> str:
    """Return an inline error message (empty text clears it)."""
    from mlte_nb.render.html import esc

    return f'<span style="{_ERROR_STYLE}">{esc(message)}</span>' if message else ""


LABEL = {"description_width": "90px"}  # room for "Measurement", "Value type"...


def tagged(widget: Any, css_class: str) -> Any:
    """Return ``widget`` with a CSS class (stable hooks for styling and browser tests)."""
    widget.add_class(css_class)
    if hasattr(widget, "description") and not isinstance(widget, widgets.Button):
        widget.style.description_width = LABEL["description_width"]
    return widget


def parameters(found: builder) -> list[inspect.Parameter]:
    """Return the parameters a condition takes after the value itself."""
    return list(inspect.signature(found.check).parameters.values())[1:]


def _annotation(parameter: inspect.Parameter) -> str:
    annotation = parameter.annotation
    if annotation is inspect.Parameter.empty:
        return "any"
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "any")


class ArgumentField(widgets.HBox):  # type: ignore[misc]
    """One argument: a text box, its expected type, and an error label beside it."""

    def __init__(self, parameter: inspect.Parameter) -> None:
        self.name = parameter.name
        self.kind = _annotation(parameter)
        placeholder = "a number" if self.kind in _NUMBER_TYPES else self.kind
        self.text = tagged(
            widgets.Text(description=self.name, placeholder=placeholder, continuous_update=False),
            "mlte-argument",
        )
        self.error = widgets.HTML()
        super().__init__([self.text, self.error])

    def __repr__(self) -> str:
        return f"ArgumentField({self.name!r}: {self.kind})"

    def parse(self) -> Any:
        """Return the typed argument, or raise ValueError with a message for the user."""
        raw = self.text.value.strip()
        if not raw:
            msg = f"{self.name} is empty"
            raise ValueError(msg)
        if self.kind == "str":
            return self.text.value
        if self.kind in _NUMBER_TYPES:
            return _number(self.name, raw)
        try:
            return ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw  # plain text for an argument of no declared type

    def show(self, argument: Any) -> None:
        """Fill the box with a stored argument."""
        self.text.value = argument if isinstance(argument, str) else repr(argument)
        self.error.value = ""


def _number(name: str, raw: str) -> float | int:
    try:
        number = float(raw)
    except ValueError:
        msg = f"{name} must be a number, got {raw!r}"
        raise ValueError(msg) from None
    if not math.isfinite(number):
        msg = f"{name} must be a finite number, not {raw}"
        raise ValueError(msg)
    return int(number) if number.is_integer() and "." not in raw and "e" not in raw else number


def parse_all(fields: list[ArgumentField]) -> tuple[Any, ...] | None:
    """Return every argument, or None after showing each invalid one beside its field."""
    arguments, failed = [], False
    for field in fields:
        try:
            arguments.append(field.parse())
            field.error.value = ""
        except ValueError as exc:
            field.error.value = error_html(str(exc))
            failed = True
    return None if failed else tuple(arguments)
