"""ValidationView: counts, a filterable results table, a detail pane and Revalidate."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from mlte_nb.errors import MlteError
from mlte_nb.render._common import (
    condition_unit,
    evidence_text,
    judged_value,
    provenance_parts,
    threshold_of,
)
from mlte_nb.render.html import badge, counts_badges, esc, fragment, validated_html, value_html
from mlte_nb.validate.validated import KINDS, ConditionResult, ValidatedSpec
from mlte_nb.values.base import Value
from mlte_nb.widgets._fields import error_html, tagged
from mlte_nb.widgets._static import StaticFallback

FILTERS = ("all", *KINDS)


def stored_values() -> dict[str, Value]:
    """Return the current context's values by measurement id (empty when none can be read)."""
    try:
        return {value.measurement_id: value for value in Value.load_all()}
    except MlteError:
        return {}


def _row(result: ConditionResult, missing: list[str]) -> str:
    unit = condition_unit(result)
    evidence = evidence_text(result, missing)
    if unit and result.evidence is not None and unit not in evidence:
        evidence += f" {unit}"
    return (
        f"<tr><td>{esc(result.property)}</td><td><code>{esc(result.measurement_id)}</code>"
        f"<div class='mlte-muted'>{esc(result.condition.label)}</div></td>"
        f"<td>{badge(result.kind)}</td><td>{esc(result.message)}</td><td>{esc(evidence)}</td></tr>"
    )


def results_table(validated: ValidatedSpec, kind: str = "all") -> str:
    """Return the results of one kind as a table (property, measurement, result, evidence)."""
    rows = "".join(_row(result, validated.missing) for result in validated.filter(kind))
    head = (
        "<table><thead><tr><th>Property</th><th>Measurement (condition)</th><th>Result</th>"
        "<th>Message</th><th>Evidence (unit)</th></tr></thead>"
    )
    body = rows or "<tr><td colspan='5'>No results of this kind.</td></tr>"
    return fragment(f"{head}<tbody>{body}</tbody></table>")


def detail_html(result: ConditionResult, values: Mapping[str, Value]) -> str:
    """Return one result in full: verdict, condition, rationale, evidence and provenance."""
    parts = [
        f"<div>{badge(result.kind)} <b>{esc(result.property)}</b> / "
        f"<code>{esc(result.measurement_id)}</code></div>",
        f"<div>{esc(result.message)}</div>",
        f"<div>Condition <code>{esc(result.condition.label)}</code> "
        f"{esc(result.condition.description)}</div>",
        f"<div class='mlte-muted'>Why: {esc(result.rationale)}</div>",
    ]
    value = judged_value(result, values)  # only the evidence that was judged
    if value is not None:
        parts.append(value_html(value, threshold=threshold_of(result.condition)))
    else:
        made = "; ".join(provenance_parts(result.provenance)) or "no provenance recorded"
        parts.append(f"<div>Evidence: {esc(evidence_text(result, []))}</div>")
        parts.append(f"<div class='mlte-muted'>{esc(made)}</div>")
    return fragment("".join(parts))


class ValidationView(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Show a ValidatedSpec: counts per kind, a filterable table, details, Revalidate.

    Examples
    --------
    >>> from mlte_nb.widgets import ValidationView
    >>> ValidationView(validate_stored())  # or %mlte_validate
    """

    def __init__(self, validated: ValidatedSpec) -> None:
        self.validated = validated
        self.values = stored_values()
        self._rows: list[ConditionResult] = []
        self.summary = tagged(widgets.HTML(), "mlte-summary")
        self.filter = tagged(
            widgets.ToggleButtons(options=[("All", "all")], value="all"), "mlte-filter"
        )
        self.table = widgets.HTML()
        self.row = widgets.Dropdown(description="Details", layout={"width": "60%"})
        self.detail = widgets.HTML()
        self.revalidate_button = tagged(
            widgets.Button(description="Revalidate", icon="refresh"), "mlte-revalidate"
        )
        self.status = tagged(widgets.HTML(), "mlte-status")
        self.filter.observe(lambda _: self._show_rows(), names="value")
        self.row.observe(lambda _: self._show_detail(), names="value")
        self.revalidate_button.on_click(lambda _: self.revalidate())
        super().__init__(
            [
                self.summary,
                self.filter,
                self.table,
                self.row,
                self.detail,
                widgets.HBox([self.revalidate_button, self.status]),
            ]
        )
        self.add_class("mlte-validation-view")
        self._start_static()
        self._refresh()

    def __repr__(self) -> str:
        return f"ValidationView({self.validated!r})"

    @property
    def counts(self) -> dict[str, int]:
        """Return the counts shown in the summary."""
        return self.validated.counts()

    def revalidate(self) -> ValidatedSpec | None:
        """Validate the stored spec against the values now in the store, save and show it."""
        from mlte_nb.validate.stored import validate_stored

        try:
            validated = validate_stored(self.validated.spec_identifier)
        except MlteError as exc:
            self.status.value = error_html(f"not revalidated: {exc}")
            return None
        self.validated = validated
        self.values = stored_values()
        self._refresh()
        self.status.value = "Revalidated with the values now in the store, and saved."
        return validated

    def _refresh(self) -> None:
        counts = self.counts
        self.summary.value = fragment(
            f"<b>Validation</b> <code>{esc(self.validated.identifier)}</code> of "
            f"<code>{esc(self.validated.spec_identifier)}</code>: {counts_badges(self.validated)}"
        )
        kept = self.filter.value
        self.filter.options = [(f"All ({len(self.validated.results)})", "all")] + [
            (f"{kind} ({counts[kind]})", kind) for kind in KINDS
        ]
        self.filter.value = kept if kept in FILTERS else "all"
        self._show_rows()
        self.refresh_static()

    def _show_rows(self) -> None:
        kind = self.filter.value or "all"
        self.table.value = results_table(self.validated, kind)
        self._rows = self.validated.filter(kind)
        self.row.options = [
            (f"{r.property} / {r.measurement_id} ({r.kind})", index)
            for index, r in enumerate(self._rows)
        ]
        self.row.value = 0 if self._rows else None
        self._show_detail()

    @property
    def selected(self) -> ConditionResult | None:
        """Return the result shown in the detail pane."""
        index = self.row.value
        return self._rows[index] if index is not None and index < len(self._rows) else None

    def _show_detail(self) -> None:
        result = self.selected
        self.detail.value = "" if result is None else detail_html(result, self.values)

    def static_bundle(self) -> tuple[str, str]:
        """Return the validation as text and as the full HTML table (with figures)."""
        from mlte_nb.render.text import validated_text

        return validated_text(self.validated), validated_html(self.validated, values=self.values)
