"""The sections of a Report in HTML (the page around them is built by ``html.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from mlte_nb.render._common import flatten, risk_pairs
from mlte_nb.render.html import badge, esc, validated_body

if TYPE_CHECKING:
    from mlte_nb.report.descriptors import DataDescriptor
    from mlte_nb.report.report import Report
    from mlte_nb.validate.validated import ValidatedSpec
    from mlte_nb.values.base import Value

_FIELD_COLUMNS = (
    "name",
    "description",
    "type",
    "expected_values",
    "missing_values",
    "special_values",
)
_LABEL_COLUMNS = ("name", "description", "percentage")
NO_VALIDATION = "This report names no validated spec, so it shows no results."
_NOT_GIVEN = '<p class="mlte-muted">Not given.</p>'


def _dl(pairs: Iterable[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{esc(label)}</dt><dd>{esc(text)}</dd>" for label, text in pairs)
    return f"<dl>{items}</dl>" if items else _NOT_GIVEN


def _table(rows: list[dict[str, object]], columns: tuple[str, ...], caption: str) -> str:
    if not rows:
        return ""
    columns = tuple(c for c in columns if any(row.get(c) not in (None, "") for row in rows))
    head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{esc('' if row.get(c) is None else row[c])}</td>" for c in columns)
        + "</tr>"
        for row in rows
    )
    return (
        f"<div><strong>{esc(caption)}</strong></div>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _data_html(item: DataDescriptor) -> str:
    data = item.to_json()
    scalars = {k: v for k, v in data.items() if k not in ("description", "fields", "labels")}
    title = item.description or "Data set"
    return (
        f"<h4>{esc(title)}</h4>{_dl(flatten(scalars))}"
        f"{_table(data['fields'], _FIELD_COLUMNS, 'Fields')}"
        f"{_table(data['labels'], _LABEL_COLUMNS, 'Labels (percent)')}"
    )


def _goals_html(report: Report) -> str:
    goals = []
    for goal in report.performance.goals:
        metrics = "".join(
            f"<li>{esc(m.description or '')}"
            f"{f' (baseline: {esc(m.baseline)})' if m.baseline else ''}</li>"
            for m in goal.metrics
        )
        goals.append(
            f"<li>{esc(goal.description or '')}{f'<ul>{metrics}</ul>' if metrics else ''}</li>"
        )
    return f"<ul>{''.join(goals)}</ul>" if goals else ""


def _validation_html(
    report: Report, validated: ValidatedSpec | None, values: Mapping[str, Value]
) -> str:
    if validated is not None:
        return validated_body(validated, values)
    if report.validated_spec_id is None:
        return f'<p class="mlte-missing">{NO_VALIDATION}</p>'
    return (
        f'<p class="mlte-missing">Validated spec {esc(repr(report.validated_spec_id))} '
        "could not be loaded in the current context; "
        "set the context of the report's model and version.</p>"
    )


def _verdict_html(validated: ValidatedSpec | None) -> str:
    """Return the verdict first: counts, then every failing condition and missing evidence."""
    if validated is None:
        return ""
    counts = validated.counts()
    badges = " ".join(badge(kind, f"{n} {kind}") for kind, n in counts.items())
    failing = "".join(
        f"<li><b>{esc(r.property)}</b> / {esc(r.measurement_id)}: {esc(r.message)}</li>"
        for r in validated.filter("Failure")
    )
    word = "passes" if validated.passed else "does not pass"
    lines = f"<ul>{failing}</ul>" if failing else ""
    return f"<h3>Verdict: the model {word} its spec</h3><p>{badges}</p>{lines}"


def report_body(
    report: Report,
    validated: ValidatedSpec | None,
    values: Mapping[str, Value],
    subject: str | None = None,
    warnings: Iterable[str] = (),
) -> str:
    """Return the report in reading order: verdict, model card, then the full validation.

    ``subject`` names the model and version; sections the report leaves empty are
    listed on one line instead of taking a heading each.
    """
    summary = report.summary
    problem = summary.problem_type.value if summary.problem_type else None
    risks = risk_pairs(report.risks.to_json())
    comments = "".join(f"<li>{esc(c.content or '')}</li>" for c in report.comments)
    analysis = report.quantitative_analysis.content
    sections = {
        "Summary": _dl(flatten({"problem_type": problem, "task": summary.task})),
        "Intended use": _dl(flatten(report.intended_use.to_json())),
        "Risks": _dl(risks),
        "Data": "".join(_data_html(d) for d in report.data),
        "Goals": _goals_html(report),
        "Quantitative analysis": f"<p>{esc(analysis)}</p>" if analysis else "",
        "Comments": f"<ul>{comments}</ul>" if comments else "",
    }
    given = {k: v for k, v in sections.items() if v and v != _NOT_GIVEN}
    empty = [k for k in sections if k not in given]
    title = esc(summary.task or report.identifier)
    parts = [f"<h2>MLTE report: {title}</h2>"]
    if subject:
        parts.append(f'<p class="mlte-muted">{esc(subject)} &middot; {esc(report.identifier)}</p>')
    parts += [f'<p class="mlte-missing">Warning: {esc(text)}</p>' for text in warnings]
    parts.append(_verdict_html(validated))
    parts += [f"<h3>{esc(name)}</h3>{body}" for name, body in given.items()]
    if empty:
        parts.append(
            f'<p class="mlte-muted">Not given in this report: {esc(", ".join(empty))}.</p>'
        )
    parts.append("<h3>Validation</h3>" + _validation_html(report, validated, values))
    return "".join(parts)
