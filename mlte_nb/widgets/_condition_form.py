"""The SpecEditor's condition form: measurement id, value type, builder and typed arguments."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from mlte_nb.errors import MlteError
from mlte_nb.values.base import Value
from mlte_nb.values.condition import Condition, builder, value_classes
from mlte_nb.widgets._fields import ArgumentField, error_html, parameters, parse_all, tagged

_HIDDEN = ("Value", "UnknownValue")
Submit = Callable[[str, str, Condition, "str | None"], None]


def value_types() -> dict[str, type[Value]]:
    """Return the value classes a condition can be written for, by name."""
    found = {
        cls.__name__: cls
        for cls in value_classes.values()
        if not cls.__name__.startswith("_") and cls.__name__ not in _HIDDEN
    }
    return dict(sorted(found.items()))


def builders_of(cls: type[Value]) -> dict[str, builder]:
    """Return the condition builders of ``cls`` by their own name (aliases folded in)."""
    return {found.name: found for found in cls._builders.values()}


def stored_measurements() -> dict[str, tuple[str, str | None]]:
    """Return ``{measurement id: (value type name, unit)}`` of the current context's values."""
    from mlte_nb.context import get_context
    from mlte_nb.values.base import is_value_document

    try:
        model, version, store = get_context()
        documents = [d for d in store.read_all(model, version) if is_value_document(d)]
    except MlteError:
        return {}
    found = {}
    for document in documents:
        body = document["body"]
        name = body.get("metadata", {}).get("identifier", {}).get("name")
        name = name or str(document["header"]["identifier"]).removesuffix(".value")
        cls = value_classes.get(str(body.get("value_class")))
        unit = body.get("unit") if isinstance(body.get("unit"), str) else None
        found[name] = (cls.__name__ if cls is not None else "", unit)
    return dict(sorted(found.items()))


class ConditionForm(widgets.VBox):  # type: ignore[misc]
    """Fields for one condition; ``submit`` hands the built condition to the editor."""

    def __init__(self, submit: Submit) -> None:
        self._submit = submit
        self.editing: str | None = None
        self.types = value_types()
        self.known = stored_measurements()
        self.property = tagged(widgets.Dropdown(description="Property"), "mlte-condition-property")
        self.measurement = tagged(
            widgets.Combobox(
                description="Measurement",
                placeholder="type an id or pick one from the store",
                options=list(self.known),
                ensure_option=False,
                continuous_update=False,  # act on Enter or leaving the field, not each key
            ),
            "mlte-measurement",
        )
        self.measurement_error = widgets.HTML()
        self.value_type = tagged(
            widgets.Dropdown(description="Value type", options=list(self.types)), "mlte-value-type"
        )
        self.builder = tagged(widgets.Dropdown(description="Condition"), "mlte-builder")
        self.unit = tagged(
            widgets.Text(description="Unit", placeholder="none"), "mlte-condition-unit"
        )
        self.arguments = widgets.VBox()
        self.fields: list[ArgumentField] = []
        self.add = tagged(
            widgets.Button(description="Add condition", button_style="primary"),
            "mlte-add-condition",
        )
        self.cancel = tagged(
            widgets.Button(description="Cancel edit", layout={"display": "none"}), "mlte-cancel"
        )
        self.status = widgets.HTML()
        self._wire()
        super().__init__(
            [
                widgets.HTML("<b>Condition</b>"),
                self.property,
                widgets.HBox([self.measurement, self.measurement_error]),
                self.value_type,
                self.builder,
                self.arguments,
                self.unit,
                widgets.HBox([self.add, self.cancel]),
                self.status,
            ]
        )

    def _wire(self) -> None:
        self.value_type.observe(self._on_type, names="value")
        self.builder.observe(self._on_builder, names="value")
        self.measurement.observe(self._on_measurement, names="value")
        self.add.on_click(lambda _: self.submit())
        self.cancel.on_click(lambda _: self.reset())
        self.value_type.value = "Real" if "Real" in self.types else next(iter(self.types))
        self._on_type({})

    def __repr__(self) -> str:
        return f"ConditionForm(editing={self.editing!r})"

    # -- reacting to the fields ---------------------------------------------------------
    def _on_type(self, change: object) -> None:
        known = self.known.get(self.measurement.value.strip())
        default_unit = self.types[self.value_type.value].default_unit
        self.unit.value = (known[1] if known else default_unit) or ""
        names = list(builders_of(self.types[self.value_type.value]))
        preferred = [n for n in names if n != "ignore"] + [n for n in names if n == "ignore"]
        self.builder.options = preferred
        self.builder.value = preferred[0]
        self._on_builder({})

    def _on_builder(self, change: object) -> None:
        if self.builder.value is None:
            return
        found = builders_of(self.types[self.value_type.value])[self.builder.value]
        self.fields = [ArgumentField(parameter) for parameter in parameters(found)]
        self.arguments.children = self.fields

    def _on_measurement(self, change: object) -> None:
        self.measurement_error.value = ""
        measurement_id = self.measurement.value.strip()
        if measurement_id and measurement_id not in self.known:
            self.refresh_known()  # evidence measured since the editor opened
        known = self.known.get(measurement_id)
        if known and known[0] in self.types:  # evidence in the store says what it is
            if known[0] != self.value_type.value:
                self.value_type.value = known[0]
            self.unit.value = known[1] or ""

    # -- building -----------------------------------------------------------------------
    def build(self) -> tuple[str, Condition] | None:
        """Return ``(measurement id, condition)``, or None after showing what is wrong."""
        measurement_id = self.measurement.value.strip()
        self.measurement_error.value = "" if measurement_id else error_html("give a measurement id")
        arguments = parse_all(self.fields)
        if not measurement_id or arguments is None:
            return None
        found = builders_of(self.types[self.value_type.value])[self.builder.value]
        try:
            cls, unit = self.types[self.value_type.value], self.unit.value.strip() or None
            return measurement_id, found.build(cls, arguments, unit=unit)
        except MlteError as exc:
            self.status.value = error_html(str(exc))
            return None

    def submit(self) -> bool:
        """Build the condition and hand it to the editor; return whether it was accepted."""
        self.status.value = ""
        if not self.property.value:
            self.status.value = error_html("add a property first")
            return False
        built = self.build()
        if built is None:
            return False
        try:
            self._submit(self.property.value, built[0], built[1], self.editing)
        except MlteError as exc:
            target = self.measurement_error if "measurement" in str(exc) else self.status
            target.value = error_html(str(exc))
            return False
        self.reset()
        return True

    def edit(self, property_name: str, measurement_id: str, condition: Condition) -> bool:
        """Fill the form with a condition to change; False if it was not made by a builder."""
        cls = value_classes.get(condition.value_class)
        found = builders_of(cls).get(condition.name) if cls else None
        if cls is None or found is None or condition.function or cls.__name__ not in self.types:
            self.status.value = error_html(
                f"{condition.label} was not made by a built-in condition; remove it and add "
                "a new one, or change it in Python"
            )
            return False
        self.property.value = property_name
        self.measurement.value = measurement_id
        self.value_type.value = cls.__name__
        self.builder.value = condition.name
        for field, argument in zip(self.fields, condition.arguments, strict=False):
            field.show(argument)
        self.unit.value = condition.unit or ""
        self.editing = measurement_id
        self.add.description = "Update condition"
        self.cancel.layout.display = None
        return True

    def reset(self) -> None:
        """Clear the id and arguments and leave edit mode."""
        self.editing = None
        self.measurement.value = ""
        self.measurement_error.value = ""
        for field in self.fields:
            field.text.value = ""
            field.error.value = ""
        self.add.description = "Add condition"
        self.cancel.layout.display = "none"

    def refresh_known(self) -> None:
        """Read the measurement ids in the store again."""
        self.known = stored_measurements()
        self.measurement.options = list(self.known)
