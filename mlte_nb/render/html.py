"""Static HTML for values, specs, validated specs and reports (no JavaScript, no URLs).

Every public function returns a self-contained fragment ``<div class="mlte">...</div>``
with its own scoped ``<style>``; notebooks show these, and the exported report is the
same fragment inside a page, so the two cannot drift apart. Every user string is
escaped; pictures are inline ``data:`` URLs.
"""

from __future__ import annotations

import html
from collections.abc import Container, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from mlte_nb.render._common import (
    KINDS,
    MISSING,
    condition_unit,
    evidence_text,
    figure_url,
    judged_value,
    kind_word,
    provenance_parts,
    row_groups,
    threshold_of,
)

if TYPE_CHECKING:
    from mlte_nb.report.report import Report
    from mlte_nb.spec.spec import Spec
    from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
    from mlte_nb.values.base import Value

CSS = (
    ".mlte{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:13px;"
    "line-height:1.45;max-width:1100px}"
    ".mlte table{border-collapse:collapse;margin:6px 0 12px;width:100%}"
    # .mlte.mlte outranks JupyterLab's ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td",
    # which would otherwise right-align every cell.
    "div.mlte.mlte table th,div.mlte.mlte table td{border:1px solid rgba(127,127,127,.35);"
    "padding:4px 6px;text-align:left;vertical-align:top}"
    ".mlte td code{overflow-wrap:anywhere;word-break:break-word}"
    ".mlte th{background:rgba(127,127,127,.12)}"
    ".mlte h2{font-size:18px;margin:8px 0}.mlte h3{font-size:15px;margin:14px 0 4px}"
    ".mlte code{font-size:12px}.mlte dl{margin:4px 0}.mlte dt{font-weight:600}"
    ".mlte dd{margin:0 0 4px 16px}"
    ".mlte-badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600;"
    "color:#fff;background:#6e7781;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".mlte-Success{background:#1a7f37}.mlte-Failure{background:#cf222e}"
    ".mlte-Ignore{background:#9a6700}"
    ".mlte-muted{opacity:.7;font-size:11px}"
    ".mlte-missing{border-left:4px solid #cf222e;padding:4px 8px;margin:6px 0}"
    ".mlte-fig{display:block;max-width:100%;height:auto;margin:4px 0}"
    ".mlte-value{padding:2px 0}"
    "@media print{.mlte tr,.mlte-value,.mlte-fig{break-inside:avoid}.mlte{max-width:none}}"
)


def esc(text: Any) -> str:
    """Return ``text`` escaped for HTML (also quotes, for attributes)."""
    return html.escape(str(text), quote=True)


def fragment(inner: str) -> str:
    """Wrap rendered HTML in the scoped container with its style."""
    return f'<div class="mlte"><style>{CSS}</style>{inner}</div>'


def badge(kind: str, text: str | None = None) -> str:
    """Return a coloured result badge that also says the kind in words."""
    word = kind_word(kind)
    css = f"mlte-{word}" if word in KINDS else "mlte-other"
    return f'<span class="mlte-badge {css}">{esc(text or word)}</span>'


def figure_img(url: str | None, alt: str) -> str:
    """Return an ``<img>`` for a data URL (empty when there is no figure)."""
    return f'<img class="mlte-fig" src="{esc(url)}" alt="{esc(alt)}">' if url else ""


def _muted(parts: list[str]) -> str:
    return f'<div class="mlte-muted">{esc(" · ".join(parts))}</div>' if parts else ""


# -- values -----------------------------------------------------------------------------
def value_body(value: Value, threshold: float | None = None) -> str:
    """Return a value's HTML without the container (used inside tables and reports)."""
    unit = [f"unit: {value.unit}"] if value.unit else []
    return (
        f'<div class="mlte-value"><div>{esc(value.summary())}</div>'
        f"{figure_img(figure_url(value, threshold), value.measurement_id)}"
        f"{_muted(unit + provenance_parts(value.provenance))}</div>"
    )


def value_html(value: Value, *, threshold: float | None = None) -> str:
    """Return the notebook / report HTML of one piece of evidence.

    Images are shown inline and CPU / memory statistics as a timeline (with a dashed
    ``threshold`` line when one is given); the summary carries the unit.
    """
    head = (
        f"<div><strong>{esc(type(value).__name__)}</strong> "
        f"<code>{esc(value.measurement_id)}</code></div>"
    )
    return fragment(head + value_body(value, threshold))


# -- specs ------------------------------------------------------------------------------
def _condition_cell(result_or_condition: Any) -> str:
    condition = getattr(result_or_condition, "condition", result_or_condition)
    description = (
        f'<div class="mlte-muted">{esc(condition.description)}</div>'
        if condition.description
        else ""
    )
    return f"<code>{esc(condition.label)}</code>{description}"


def _requirement_cell(name: str, rationale: str, rows: int) -> str:
    span = f' rowspan="{rows}"' if rows > 1 else ""
    why = f'<div class="mlte-muted">{esc(rationale)}</div>' if rationale else ""
    return f"<td{span}><strong>{esc(name)}</strong>{why}</td>"


def spec_html(spec: Spec) -> str:
    """Return a Spec as a table: property and rationale, measurement, condition, unit."""
    rows = []
    for prop, conditions in spec.properties.items():
        for index, (measurement_id, condition) in enumerate(conditions.items()):
            first = (
                _requirement_cell(prop.name, prop.rationale, len(conditions)) if index == 0 else ""
            )
            rows.append(
                f"<tr>{first}<td><code>{esc(measurement_id)}</code></td>"
                f"<td>{_condition_cell(condition)}</td><td>{esc(condition.unit or '')}</td></tr>"
            )
    head = (
        f"<div><strong>Spec</strong> <code>{esc(spec.identifier)}</code>: "
        f"{len(spec.properties)} properties, {len(spec)} conditions</div>"
    )
    table = (
        "<table><thead><tr><th>Property (rationale)</th><th>Measurement</th>"
        f"<th>Condition</th><th>Unit</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return fragment(head + (table if rows else "<p>No conditions yet.</p>"))


# -- validated specs --------------------------------------------------------------------
def counts_badges(validated: ValidatedSpec) -> str:
    """Return one badge per result kind with its count."""
    return " ".join(badge(kind, f"{n} {kind}") for kind, n in validated.counts().items())


def _evidence_cell(
    result: ConditionResult, values: Mapping[str, Value], missing: Container[str]
) -> str:
    value = judged_value(result, values)
    if value is not None:
        return value_body(value, threshold_of(result.condition))
    if result.evidence is None and result.measurement_id in missing:
        return f"<strong>{esc(MISSING)}</strong>"
    made = _muted(provenance_parts(result.provenance))
    return f"<div>{esc(evidence_text(result, missing))}</div>{made}"


def _result_rows(
    group: list[ConditionResult], values: Mapping[str, Value], missing: Container[str]
) -> str:
    rows = []
    for index, result in enumerate(group):
        first = (
            _requirement_cell(result.property, result.rationale, len(group)) if index == 0 else ""
        )
        unit = condition_unit(result)
        rows.append(
            f"<tr>{first}<td><code>{esc(result.measurement_id)}</code></td>"
            f"<td>{_condition_cell(result)}"
            f"{_muted([f'unit: {unit}'] if unit else [])}</td>"
            f"<td>{badge(result.kind)}<div>{esc(result.message)}</div></td>"
            f"<td>{_evidence_cell(result, values, missing)}</td></tr>"
        )
    return "".join(rows)


def _missing_note(validated: ValidatedSpec) -> str:
    notes = []
    if validated.missing:
        ids = ", ".join(repr(m) for m in validated.missing)
        notes.append(
            '<div class="mlte-missing">'
            f"<strong>Missing evidence ({len(validated.missing)}):</strong> "
            f"{esc(ids)}. No value was saved for these measurements, so their conditions "
            "fail; run the measurements and validate again.</div>"
        )
    if validated.extra:
        extra = ", ".join(repr(m) for m in validated.extra)
        notes.append(f'<div class="mlte-muted">Evidence the spec does not use: {esc(extra)}</div>')
    return "".join(notes)


def validated_body(validated: ValidatedSpec, values: Mapping[str, Value] | None = None) -> str:
    """Return the validation table without the container: requirement -> condition -> result."""
    rows = "".join(
        _result_rows(group, values or {}, validated.missing)
        for group in row_groups(validated.results)
    )
    head = (
        f"<div><strong>Validation</strong> <code>{esc(validated.identifier)}</code> of spec "
        f"<code>{esc(validated.spec_identifier)}</code>: {counts_badges(validated)}</div>"
    )
    table = (
        "<table><thead><tr><th>Requirement (property, rationale)</th><th>Measurement</th>"
        "<th>Condition (threshold)</th><th>Result</th><th>Evidence and provenance</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )
    return head + _missing_note(validated) + (table if rows else "<p>No conditions.</p>")


def validated_html(validated: ValidatedSpec, *, values: Mapping[str, Value] | None = None) -> str:
    """Return a ValidatedSpec as counts and a table, results coloured and named by kind.

    ``values`` (measurement id -> Value) adds the evidence's figures: images and CPU /
    memory timelines with the condition's threshold.
    """
    return fragment(validated_body(validated, values))


def report_html(
    report: Report,
    validated: ValidatedSpec | None,
    *,
    values: Mapping[str, Value] | None = None,
    subject: str | None = None,
    warnings: Iterable[str] = (),
) -> str:
    """Return a Report: verdict, summary, intended use, risks, data, then the validation.

    ``validated`` is the ValidatedSpec the report names (``None`` shows a note instead);
    ``values`` adds the evidence's figures, as for :func:`validated_html`.
    """
    from mlte_nb.render._report_html import report_body

    return fragment(report_body(report, validated, values or {}, subject, warnings))
