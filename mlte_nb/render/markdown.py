"""Markdown for reports (the exported ``.md`` file): the same content as the HTML page."""

from __future__ import annotations

import html
from collections.abc import Container, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from mlte_nb.render._common import (
    condition_unit,
    counts_line,
    evidence_text,
    figure_url,
    flatten,
    judged_value,
    kind_word,
    provenance_parts,
    risk_pairs,
    threshold_of,
)

if TYPE_CHECKING:
    from mlte_nb.report.report import Report
    from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
    from mlte_nb.values.base import Value

_NOT_GIVEN = "_Not given._"


def md(text: Any) -> str:
    """Return ``text`` safe inside Markdown and table cells (no raw HTML, no ``|``, one line)."""
    escaped = html.escape(str(text), quote=False).replace("|", "\\|")
    return " ".join(escaped.split())


def code(text: Any) -> str:
    """Return ``text`` as an inline code span (literal in Markdown; no backticks, no ``|``)."""
    return "`" + " ".join(str(text).replace("`", "'").replace("|", "\\|").split()) + "`"


def _bullets(pairs: Iterable[tuple[str, str]]) -> str:
    lines = [f"- **{md(label)}:** {md(text)}" for label, text in pairs]
    return "\n".join(lines) if lines else _NOT_GIVEN


def _row(result: ConditionResult, missing: Container[str]) -> str:
    unit = condition_unit(result)
    about = f" ({md(result.condition.description)})" if result.condition.description else ""
    shown = md(evidence_text(result, missing))
    if result.evidence is None and result.measurement_id in missing:
        shown = f"**{shown}**"
    made = provenance_parts(result.provenance)
    cells = [
        f"{md(result.property)}: {md(result.rationale)}",
        f"{code(result.measurement_id)}",
        f"{code(result.condition.label)}{about}" + (f", unit: {md(unit)}" if unit else ""),
        f"**{kind_word(result.kind).upper()}** {md(result.message)}",
        shown + (f" <br> _{md(' · '.join(made))}_" if made else ""),
    ]
    return "| " + " | ".join(cells) + " |"


def _figures(validated: ValidatedSpec, values: Mapping[str, Value]) -> list[str]:
    lines = []
    for result in validated.results:
        value = judged_value(result, values)
        url = figure_url(value, threshold_of(result.condition)) if value is not None else None
        if url:
            lines += [
                f"**{md(result.measurement_id)}**",
                "",
                f"![{md(result.measurement_id)}]({url})",
                "",
            ]
    return lines


def validated_markdown(validated: ValidatedSpec, values: Mapping[str, Value] | None = None) -> str:
    """Return the validation as counts, missing evidence and a requirement -> result table."""
    values = values or {}
    lines = [
        f"**Validation** {code(validated.identifier)} of spec {code(validated.spec_identifier)}: "
        f"{counts_line(validated)}",
        "",
    ]
    if validated.missing:
        ids = ", ".join(repr(m) for m in validated.missing)
        lines += [
            f"> **Missing evidence ({len(validated.missing)}):** {md(ids)}. No value was saved "
            "for these measurements, so their conditions fail.",
            "",
        ]
    lines += [
        "| Requirement (property: rationale) | Measurement | Condition (threshold) | Result "
        "| Evidence and provenance |",
        "|---|---|---|---|---|",
        *(_row(result, validated.missing) for result in validated.results),
        "",
    ]
    return "\n".join(lines + _figures(validated, values))


def report_markdown(
    report: Report, validated: ValidatedSpec | None, *, values: Mapping[str, Value] | None = None
) -> str:
    """Return the report as Markdown: model card sections, then the validation."""
    summary = report.summary
    problem = summary.problem_type.value if summary.problem_type else None
    parts = [
        f"# MLTE report: {md(summary.task or report.identifier)}",
        "## Summary\n\n" + _bullets(flatten({"problem_type": problem, "task": summary.task})),
        "## Intended use\n\n" + _bullets(flatten(report.intended_use.to_json())),
        "## Risks\n\n" + _bullets(risk_pairs(report.risks.to_json())),
        "## Data\n\n"
        + ("\n\n".join(_bullets(flatten(d.to_json())) for d in report.data) or _NOT_GIVEN),
        "## Performance\n\n" + _performance(report, validated, values or {}),
        "## Quantitative analysis\n\n" + md(report.quantitative_analysis.content or _NOT_GIVEN),
        "## Comments\n\n"
        + ("\n".join(f"- {md(c.content or '')}" for c in report.comments) or _NOT_GIVEN),
    ]
    return "\n\n".join(parts) + "\n"


def _performance(
    report: Report, validated: ValidatedSpec | None, values: Mapping[str, Value]
) -> str:
    goals = [
        f"- {md(goal.description or '')}"
        + "".join(
            f"\n  - {md(m.description or '')}"
            + (f" (baseline: {md(m.baseline)})" if m.baseline else "")
            for m in goal.metrics
        )
        for goal in report.performance.goals
    ]
    if validated is not None:
        table = validated_markdown(validated, values)
    elif report.validated_spec_id is None:
        table = "> This report names no validated spec, so it shows no results."
    else:
        table = f"> Validated spec {md(repr(report.validated_spec_id))} could not be loaded."
    return "\n".join(goals) + ("\n\n" if goals else "") + table
