"""Export a Report as one self-contained file: HTML, Markdown or JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mlte_nb.errors import ArtifactNotFoundError, MlteError, ReportError
from mlte_nb.report.report import Report
from mlte_nb.store._atomic import write_atomic
from mlte_nb.validate.validated import ValidatedSpec
from mlte_nb.values.base import Value

FORMATS = ("html", "markdown", "json")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".json": "json"}
_PAGE_CSS = "body{margin:24px;background:#fff;color:#1f2328}@page{margin:14mm}"


def export_report(
    report: Report,
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    validated: ValidatedSpec | None = None,
) -> str:
    """Render ``report`` as a self-contained document; write it to ``path`` if given.

    Parameters
    ----------
    report
        The report to export.
    path
        Where to write the file (atomically: a temp file, then a rename). Parent
        folders are created.
    format
        ``"html"`` (one page, inline CSS and images, no JavaScript, no external URL),
        ``"markdown"`` or ``"json"``. By default taken from the suffix of ``path``
        (``.md``, ``.json``), else HTML.
    validated
        The ValidatedSpec to present; by default the one the report names is loaded
        from the store of the current context.

    Returns
    -------
    str
        The document's text.

    Examples
    --------
    >>> export_report(Report.load(), "reports/garden_buddy.html")
    """
    kind = _format(format, path)
    if path is not None:
        _check_target(Path(path), kind)
    if validated is None:
        validated = _load_validated(report)
    values = _stored_values(validated) if kind != "json" else {}
    text = _render(kind, report, validated, values)
    if path is not None:
        write_atomic(Path(path), text)
    return text


_EXPECTED_SUFFIXES = {
    "html": (".html", ".htm"),
    "markdown": (".md", ".markdown"),
    "json": (".json",),
}


def _check_target(path: Path, kind: str) -> None:
    """Refuse to write over a folder, or a file whose name says it holds something else."""
    if path.is_dir():
        msg = f"report path {str(path)!r} is a folder; give a file name such as report.html"
        raise ReportError(msg)
    if path.suffix.lower() not in _EXPECTED_SUFFIXES[kind]:
        msg = (
            f"refusing to write a {kind} report to {str(path)!r}: its name should end in "
            f"{' or '.join(_EXPECTED_SUFFIXES[kind])}"
        )
        raise ReportError(msg)


def _format(format: str | None, path: str | os.PathLike[str] | None) -> str:
    if format is None:
        return _SUFFIXES.get(Path(path).suffix.lower(), "html") if path is not None else "html"
    kind = {"md": "markdown", "htm": "html"}.get(format.lower(), format.lower())
    if kind not in FORMATS:
        msg = f"cannot export a report as {format!r}; choose one of {list(FORMATS)}"
        raise ReportError(msg)
    return kind


def _load_validated(report: Report) -> ValidatedSpec | None:
    if report.validated_spec_id is None:
        return None
    try:
        return ValidatedSpec.load(report.validated_spec_id)
    except ArtifactNotFoundError as exc:
        msg = (
            f"cannot export report {report.identifier!r}: its validated spec "
            f"{report.validated_spec_id!r} is not in the store ({exc}); validate and save "
            "it first (%mlte_validate), or pass validated=..."
        )
        raise ReportError(msg) from exc


def _stored_values(validated: ValidatedSpec | None) -> dict[str, Value]:
    """Return the stored evidence the validation judged (for its figures), if reachable."""
    if validated is None:
        return {}
    wanted = {result.measurement_id for result in validated.results}
    try:
        return {v.measurement_id: v for v in Value.load_all() if v.measurement_id in wanted}
    except MlteError:  # no context here: the report still has every verdict, without figures
        return {}


def _render(
    kind: str, report: Report, validated: ValidatedSpec | None, values: dict[str, Value]
) -> str:
    if kind == "json":
        from mlte_nb.store._json import dumps

        return dumps(_json_export(report, validated)) + "\n"
    if kind == "markdown":
        from mlte_nb.render.markdown import report_markdown

        return report_markdown(report, validated, values=values)
    from mlte_nb.render.html import esc

    title = esc(f"MLTE report: {report.summary.task or report.identifier}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        f"{_section(report, validated, values)}\n</body>\n</html>\n"
    )


def _section(report: Report, validated: ValidatedSpec | None, values: dict[str, Value]) -> str:
    from mlte_nb.render.html import report_html

    stale = staleness(validated, values)
    return report_html(report, validated, values=values, subject=_subject(), warnings=stale)


def report_section(report: Report, validated: ValidatedSpec | None = None) -> str:
    """Return the report as an HTML fragment (what the exported page holds), for embedding."""
    validated = validated if validated is not None else _load_validated(report)
    return _section(report, validated, _stored_values(validated))


def staleness(validated: ValidatedSpec | None, values: dict[str, Value]) -> list[str]:
    """Say what changed in the store since ``validated`` was made (spec or evidence)."""
    from mlte_nb.spec.spec import Spec

    if validated is None:
        return []
    found = []
    try:
        current = Spec.load(validated.spec_identifier)
    except MlteError:
        current = None
    if current is not None and current.to_body() != validated.spec.to_body():
        found.append(
            f"spec {validated.spec_identifier!r} changed after this validation; validate again"
        )
    changed = [
        r.measurement_id
        for r in validated.results
        if r.measurement_id in values and values[r.measurement_id].summary() != r.evidence
    ]
    if changed:
        found.append(
            f"evidence changed after this validation ({', '.join(changed)}); validate again"
        )
    return found


def _subject() -> str | None:
    """Return "model version (store)" of the current context, if one is set."""
    from mlte_nb.context import get_context

    try:
        model, version, store = get_context()
    except MlteError:
        return None
    return f"model {model}, version {version}, store {store.uri}"


def _json_export(report: Report, validated: ValidatedSpec | None) -> dict[str, Any]:
    """Return the report and its validation without save timestamps (same input, same file)."""
    return {
        "kind": "mlte_nb.report_export",
        "schema_version": 1,
        "report": {"identifier": report.identifier, "artifact_type": "report", **report.to_body()},
        "validated_spec": None
        if validated is None
        else {
            "identifier": validated.identifier,
            "artifact_type": "validated_spec",
            **validated.to_body(),
        },
    }
