"""SpecEditor: build and change a Spec in the notebook, then save it to the store."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from mlte_nb.errors import MlteError, SpecError
from mlte_nb.render.html import esc, spec_html
from mlte_nb.spec.code import spec_to_code
from mlte_nb.spec.property import Property, property_classes
from mlte_nb.spec.spec import Spec
from mlte_nb.values.condition import Condition
from mlte_nb.widgets._condition_form import ConditionForm
from mlte_nb.widgets._fields import error_html, tagged
from mlte_nb.widgets._static import StaticFallback

CUSTOM = "(custom name)"


class SpecEditor(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Edit a Spec: properties with rationales, conditions with typed thresholds, Save.

    ``.spec`` is the Spec as edited so far; nothing is written until Save. Errors are
    shown beside the field they concern, never raised.

    Examples
    --------
    >>> from mlte_nb.widgets import SpecEditor
    >>> SpecEditor(Spec.load())  # or %mlte_spec
    """

    def __init__(self, spec: Spec | None = None) -> None:
        self.spec = spec if spec is not None else Spec()
        self.table = widgets.HTML()
        self.conditions = tagged(
            widgets.Select(description="Conditions", rows=6, layout={"width": "90%"}),
            "mlte-conditions",
        )
        self.edit_button = widgets.Button(description="Edit condition")
        self.remove_button = widgets.Button(description="Remove condition")
        self.remove_property_button = widgets.Button(description="Remove property")
        self.property_name = tagged(
            widgets.Dropdown(description="Property", options=[*sorted(property_classes), CUSTOM]),
            "mlte-property-name",
        )
        self.custom_name = tagged(
            widgets.Text(description="Name", placeholder="e.g. Latency"), "mlte-custom-name"
        )
        self.rationale = tagged(
            widgets.Text(description="Rationale", placeholder="why it matters here"),
            "mlte-rationale",
        )
        self.property_error = widgets.HTML()
        self.add_property_button = tagged(
            widgets.Button(description="Add / update property", layout={"width": "auto"}),
            "mlte-add-property",
        )
        self.form = ConditionForm(self.add_condition)
        self.save_button = tagged(
            widgets.Button(description="Save", button_style="success", icon="save"), "mlte-save"
        )
        self.status = tagged(widgets.HTML(), "mlte-status")
        self.code = widgets.Textarea(layout={"width": "100%", "height": "220px"}, disabled=True)
        self._wire()
        super().__init__(self._layout())
        self.add_class("mlte-spec-editor")
        self._start_static()
        self._refresh()

    def __repr__(self) -> str:
        return f"SpecEditor({self.spec!r})"

    def _wire(self) -> None:
        self.edit_button.on_click(lambda _: self._guarded(self.edit_selected))
        self.remove_button.on_click(lambda _: self._guarded(self.remove_selected))
        self.remove_property_button.on_click(lambda _: self._guarded(self.remove_property))
        self.add_property_button.on_click(lambda _: self._add_property_from_fields())
        self.save_button.on_click(lambda _: self.save())
        self.property_name.observe(self._on_property_name, names="value")
        self.custom_name.layout.display = "none"

    def _layout(self) -> list[Any]:
        code = widgets.Accordion([self.code], titles=("Python code",), selected_index=None)
        properties = widgets.VBox(
            [
                widgets.HTML("<b>Property</b>"),
                self.property_name,
                self.custom_name,
                self.rationale,
                widgets.HBox([self.add_property_button, self.property_error]),
            ]
        )
        buttons = widgets.HBox([self.edit_button, self.remove_button, self.remove_property_button])
        return [
            self.table,
            self.conditions,
            buttons,
            widgets.HBox([properties, self.form]),
            widgets.HBox([self.save_button, self.status]),
            code,
        ]

    def _guarded(self, action: Any) -> None:
        try:
            action()
        except MlteError as exc:
            self.status.value = error_html(str(exc))

    # -- editing the Spec (each change builds a new Spec, which checks itself) -----------
    def _replace(self, properties: dict[Property, dict[str, Condition]]) -> None:
        self.spec = Spec(self.spec.identifier, properties)
        self._refresh()

    def _property(self, name: str) -> Property | None:
        return next((prop for prop in self.spec.properties if prop.name == name), None)

    def add_property(self, name: str, rationale: str) -> None:
        """Add property ``name`` (a built-in or a custom name), or change its rationale."""
        name, rationale = name.strip(), rationale.strip()
        if not name.isidentifier():
            msg = f"property name {name!r} must be one word, such as Latency"
            raise SpecError(msg)
        if not rationale:
            msg = f"say why {name} matters here (the rationale is empty)"
            raise SpecError(msg)
        old = self._property(name)
        new = Property.build(name, rationale)
        properties = {(new if prop is old else prop): c for prop, c in self.spec.properties.items()}
        if old is None:
            properties[new] = {}
        self._replace(properties)

    def add_condition(
        self, property_name: str, measurement_id: str, condition: Condition, replacing: str | None
    ) -> None:
        """Put ``condition`` on ``measurement_id`` under a property, replacing ``replacing``."""
        if not measurement_id.strip():
            msg = "the measurement id is empty"
            raise SpecError(msg)
        owner = self.spec.property_of(measurement_id)
        if owner is not None and measurement_id != replacing:
            msg = (
                f"measurement {measurement_id!r} already has a condition under {owner.name}; "
                "edit that one or use another id"
            )
            raise SpecError(msg)
        properties = {
            prop: {m: c for m, c in conditions.items() if m != replacing}
            for prop, conditions in self.spec.properties.items()
        }
        target = self._property(property_name)
        if target is None:
            msg = f"no property {property_name!r} in the spec; add it first"
            raise SpecError(msg)
        properties[target][measurement_id] = condition
        self._replace(properties)

    def remove_condition(self, measurement_id: str) -> None:
        """Remove the condition on ``measurement_id``."""
        self._replace(
            {
                prop: {m: c for m, c in conditions.items() if m != measurement_id}
                for prop, conditions in self.spec.properties.items()
            }
        )

    def remove_property(self, name: str | None = None) -> None:
        """Remove a property and its conditions (default: the selected condition's property)."""
        if name is None:
            selected = self.conditions.value
            name = selected[0] if selected else self.form.property.value
        self._replace({p: c for p, c in self.spec.properties.items() if p.name != name})

    def edit_selected(self) -> None:
        """Load the selected condition into the condition form."""
        if self.conditions.value:
            name, measurement_id = self.conditions.value
            prop = self._property(name)
            assert prop is not None
            self.form.edit(name, measurement_id, self.spec.properties[prop][measurement_id])

    def remove_selected(self) -> None:
        """Remove the selected condition."""
        if self.conditions.value:
            self.remove_condition(self.conditions.value[1])

    def _add_property_from_fields(self) -> None:
        name = self.property_name.value
        name = self.custom_name.value if name == CUSTOM else name
        try:
            self.add_property(name, self.rationale.value)
        except SpecError as exc:
            self.property_error.value = error_html(str(exc))
            return
        self.property_error.value = ""
        self.rationale.value = ""
        self.form.property.value = name.strip()

    def _on_property_name(self, change: Any) -> None:
        self.custom_name.layout.display = None if change["new"] == CUSTOM else "none"
        prop = self._property(change["new"])
        self.rationale.value = prop.rationale if prop is not None else ""

    # -- saving and showing -------------------------------------------------------------
    def save(self) -> Spec | None:
        """Save the Spec to the store (the previous version is kept in history)."""
        from mlte_nb.context import get_context

        try:
            self.spec.save(force=True, parents=True)
            model, version, store = get_context()
            kept = len(store.history(model, version, self.spec.identifier))
        except MlteError as exc:
            self.status.value = error_html(f"not saved: {exc}")
            return None
        self.status.value = (
            f"Saved <code>{esc(self.spec.identifier)}</code> ({len(self.spec.properties)} "
            f"properties, {len(self.spec)} conditions) to {esc(model)} {esc(version)} in "
            f"<code>{esc(store.uri)}</code>; {kept} earlier versions kept in history."
        )
        self.form.refresh_known()
        return self.spec

    def _refresh(self) -> None:
        spec = self.spec
        self.table.value = spec_html(spec)
        self.conditions.options = [
            (f"{prop.name} / {mid}: {c.label}", (prop.name, mid))
            for prop, mid, c in spec.conditions()
        ]
        names = [prop.name for prop in spec.properties]
        self.form.property.options = names
        if names and self.form.property.value not in names:
            self.form.property.value = names[-1]
        self.code.value = spec_to_code(spec)
        self.status.value = ""
        self.refresh_static()

    def static_bundle(self) -> tuple[str, str]:
        """Return the Spec as text and as its HTML table."""
        from mlte_nb.render.text import spec_text

        return spec_text(self.spec), spec_html(self.spec)
