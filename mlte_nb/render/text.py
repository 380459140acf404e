"""Plain-text renderings (``text/plain``) matching the HTML ones line for line."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from mlte_nb.render._common import (
    condition_unit,
    counts_line,
    evidence_text,
    flatten,
    kind_word,
    provenance_parts,
    risk_pairs,
    row_groups,
)

if TYPE_CHECKING:
    from mlte_nb.report.report import Report
    from mlte_nb.spec.spec import Spec
    from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
    from mlte_nb.values.base import Value


def value_text(value: Value) -> str:
    """Return ``Class 'id': summary`` and a line of provenance."""
    lines = [f"{type(value).__name__} {value.measurement_id!r}: {value.summary()}"]
    parts = provenance_parts(value.provenance)
    if parts:
        lines.append("  " + " · ".join(parts))
    return "\n".join(lines)


def spec_text(spec: Spec) -> str:
    """Return each property with its rationale and its conditions."""
    lines = [f"Spec {spec.identifier!r}: {len(spec.properties)} properties, {len(spec)} conditions"]
    for prop, conditions in spec.properties.items():
        lines.append(
            f"Property: {prop.name} ({prop.rationale})"
            if prop.rationale
            else f"Property: {prop.name}"
        )
        for measurement_id, condition in conditions.items():
            about = f" - {condition.description}" if condition.description else ""
            lines.append(f" > {measurement_id}: {condition.label}{about}")
    return "\n".join(lines)


def _result_lines(result: ConditionResult, missing: Container[str]) -> list[str]:
    unit = condition_unit(result)
    about = f" - {result.condition.description}" if result.condition.description else ""
    lines = [
        f" > {result.measurement_id}: {result.condition.label}{about}"
        + (f" [{unit}]" if unit else ""),
        f"   {kind_word(result.kind).upper()}: {result.message}",
        f"   evidence: {evidence_text(result, missing)}",
    ]
    parts = provenance_parts(result.provenance)
    if parts:
        lines.append("   made by: " + " · ".join(parts))
    return lines


def validated_text(validated: ValidatedSpec) -> str:
    """Return counts, missing evidence, then every requirement -> condition -> result."""
    lines = [
        f"ValidatedSpec {validated.identifier!r} of spec {validated.spec_identifier!r}: "
        + counts_line(validated)
    ]
    if validated.missing:
        lines.append("Missing evidence: " + ", ".join(repr(m) for m in validated.missing))
    if validated.extra:
        lines.append(
            "Evidence the spec does not use: " + ", ".join(repr(m) for m in validated.extra)
        )
    for group in row_groups(validated.results):
        head = group[0]
        lines.append(
            f"Property: {head.property}" + (f" ({head.rationale})" if head.rationale else "")
        )
        for result in group:
            lines.extend(_result_lines(result, validated.missing))
    return "\n".join(lines)


def report_text(report: Report, validated: ValidatedSpec | None) -> str:
    """Return the report's filled fields, section by section, then the validation."""
    summary = report.summary
    problem = summary.problem_type.value if summary.problem_type else None
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Summary", list(flatten({"problem_type": problem, "task": summary.task}))),
        ("Intended use", list(flatten(report.intended_use.to_json()))),
        ("Risks", risk_pairs(report.risks.to_json())),
    ]
    for item in report.data:
        sections.append(("Data", list(flatten(item.to_json()))))
    sections.append(
        ("Performance", list(flatten({"goals": [g.description for g in report.performance.goals]})))
    )
    lines = [f"Report {report.identifier!r}"]
    for title, pairs in sections:
        lines.append(f"{title}:")
        lines.extend(f"  {label}: {text}" for label, text in pairs)
    if validated is not None:
        lines.append(validated_text(validated))
    elif report.validated_spec_id is not None:
        lines.append(f"Validated spec {report.validated_spec_id!r} not loaded")
    for comment in report.comments:
        lines.append(f"Comment: {comment.content}")
    return "\n".join(lines)
