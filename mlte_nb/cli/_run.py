"""``mlte-nb run``: validate every context and spec a headless run touched; CI files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from mlte_nb.cli._common import (
    EXIT_FAIL,
    EXIT_PASS,
    _internal,
    _print_validation,
    _write,
)
from mlte_nb.cli._execute import execute_notebook
from mlte_nb.errors import MlteError

_RUN_HELP = """Execute a notebook headless and validate its specs.

Every context the notebook saved to during the run is validated (and the context it
ends in), each against every spec saved or validated in it during the run (else every
spec it holds). The exit status is the worst: 0 all pass, 1 a condition fails, 2 error.
--junit writes one testsuite per context and spec; --report writes one HTML page with
a report section per context and spec. When the run errors, --junit is rewritten with
one <error> test case and --report with a short page saying the run errored, so no
file from an earlier run keeps showing passes."""


_HTML = (".html", ".htm")


class _Checked(NamedTuple):
    """One validation of a headless run: a spec of one context, and its verdict."""

    model: str
    version: str
    store: str
    validated: Any


def _run(args: argparse.Namespace) -> int:
    """Run the notebook and validate it; an errored run leaves no stale CI files."""
    try:
        return _run_and_validate(args)
    except Exception as exc:
        _write_error_files(args, str(exc) if isinstance(exc, MlteError) else _internal(exc))
        raise


def _run_and_validate(args: argparse.Namespace) -> int:
    if args.report and (args.report.is_dir() or args.report.suffix.lower() not in _HTML):
        msg = f"--report {str(args.report)!r} should be a file name ending in .html"
        raise MlteError(msg)  # refused before the notebook runs, not after
    started = time.time()
    found, error = execute_notebook(args.notebook, args.output, args.timeout)
    if error:
        raise MlteError(error)
    checked = _validate_contexts(_checked_contexts(found), started, not args.allow_stale)
    for item in checked:
        _use(item)
        print(f"{item.model} {item.version} in {item.store}, spec {item.validated.spec_identifier}")
        _print_validation(item.validated)
    failing = [c for c in checked if not c.validated.passed]
    if len(checked) > 1:
        names = ", ".join(f"{c.model} {c.version} {c.validated.spec_identifier}" for c in failing)
        print(f"{len(checked)} validations; " + (f"failing: {names}" if failing else "all pass"))
    if args.output:
        _record_checked(args.output, checked, started if not args.allow_stale else None)
    if args.junit:
        _write(args.junit, _junit_of(checked), "--junit")
    if args.report:
        _write_report(checked, args.report)
    return EXIT_FAIL if failing else EXIT_PASS


def _record_checked(output: Path, checked: list[_Checked], not_before: float | None) -> None:
    """Note in the executed notebook what was validated, so `export` shows the same."""
    import nbformat

    notebook = nbformat.read(output, as_version=4)
    notebook.metadata.setdefault("mlte_nb", {})["checked"] = [
        {
            "model": item.model,
            "version": item.version,
            "store": item.store,
            "spec": item.validated.spec_identifier,
            "not_before": not_before,
        }
        for item in checked
    ]
    _write(output, nbformat.writes(notebook), "--output")


def _checked_contexts(found: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the contexts the notebook used, or raise if none can be validated here."""
    if not found:
        msg = "the notebook set no MLTE context; nothing to validate"
        raise MlteError(msg)
    for item in found:
        if str(item["store"]).startswith("memory://"):
            msg = (
                f"the notebook kept its evidence in {item['store']}, which lives only in its "
                "kernel; use a local:// store to validate it from the command line"
            )
            raise MlteError(msg)
    return found


def _validate_contexts(
    contexts: list[dict[str, str]], started: float, strict: bool
) -> list[_Checked]:
    """Validate every spec the run touched in every context; the last context always."""
    from mlte_nb.validate.stored import validate_stored

    checked = []
    for index, found in enumerate(contexts):
        item = _Checked(found["model"], found["version"], found["store"], None)
        store = _use(item)
        final = index == len(contexts) - 1
        for spec_id in _run_specs(store, item, started, final):
            validated = validate_stored(spec_id, save=False, not_before=started if strict else None)
            checked.append(item._replace(validated=validated))
    return checked


def _use(item: _Checked) -> Any:
    """Make ``item``'s store and model/version the current context; return the store."""
    from mlte_nb import context

    store = context.set_store(item.store)
    context.set_context(item.model, item.version)
    return store


def _run_specs(store: Any, item: _Checked, started: float, final: bool) -> list[str | None]:
    """Return the specs to validate in one context (``None``: the default spec).

    Specs saved or validated during the run; else every spec of the context. A context
    the run wrote nothing to (only read from) is skipped, unless it is the last one.
    """
    has = store.has_version(item.model, item.version)
    docs = store.read_all(item.model, item.version) if has else []
    recent = [d for d in docs if _saved_at(d) >= started]
    if not recent and not final:
        return []
    specs = {d["header"]["identifier"] for d in recent if _kind(d) == "spec"}
    specs |= {d["body"].get("spec_identifier") for d in recent if _kind(d) == "validated_spec"}
    specs = {str(s) for s in specs if s} or {
        str(d["header"]["identifier"]) for d in docs if _kind(d) == "spec"
    }
    if not specs and not final:
        print(f"{item.model} {item.version} in {item.store}: evidence but no spec; not validated")
    ordered: list[str | None] = sorted(specs, key=lambda s: (s != "default.spec", s))
    return ordered or ([None] if final else [])


def _kind(document: dict[str, Any]) -> Any:
    return document.get("body", {}).get("artifact_type", document["header"].get("type"))


def _saved_at(document: dict[str, Any]) -> float:
    header = document["header"]
    saved_at = header.get("saved_at", header.get("timestamp"))
    return float(saved_at) if isinstance(saved_at, (int, float)) else 0.0


def _junit_of(checked: list[_Checked]) -> str:
    """Return JUnit XML: as before for one validation, else one testsuite per validation."""
    import xml.etree.ElementTree as ET

    from mlte_nb.report import junit_xml

    if len(checked) == 1:
        return str(junit_xml(checked[0].validated))
    suites = ET.Element("testsuites")
    for item in checked:
        one = ET.fromstring(junit_xml(item.validated, suite=f"mlte.{item.model}.{item.version}"))
        suites.extend(list(one))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _write_report(checked: list[_Checked], path: Path) -> None:
    """Write one HTML page: the report of the first validation, then a section per other."""
    from mlte_nb.report import export_report, load_or_default
    from mlte_nb.report.export import report_section

    if path.is_dir() or path.suffix.lower() not in _HTML:
        msg = f"--report {str(path)!r} should be a file name ending in .html"
        raise MlteError(msg)
    _use(checked[0])
    page = export_report(load_or_default(), format="html", validated=checked[0].validated)
    sections = []
    for item in checked[1:]:
        _use(item)
        sections.append(report_section(load_or_default(), item.validated))
    if sections:
        page = page.replace("\n</body>", "\n<hr>\n" + "\n<hr>\n".join(sections) + "\n</body>", 1)
    _write(path, page, "--report")


def _write_error_files(args: argparse.Namespace, message: str) -> None:
    """Replace --junit and --report with files saying the run errored (never old passes)."""
    for path, text, option in (
        (args.junit, _error_junit(args.notebook, message), "--junit"),
        (args.report, _error_page(args.notebook, message), "--report"),
    ):
        if path is None or path.is_dir():
            continue
        try:
            _write(path, text, option)
        except MlteError as exc:
            print(f"mlte-nb: {exc}", file=sys.stderr)


def _error_junit(notebook: Path, message: str) -> str:
    """Return JUnit XML with one test case that carries the run's error."""
    import xml.etree.ElementTree as ET

    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites, "testsuite", name="mlte: run", tests="1", failures="0", errors="1", skipped="0"
    )
    case = ET.SubElement(suite, "testcase", name=f"run {notebook}", classname="mlte.run")
    ET.SubElement(case, "error", message=message, type="RunError").text = message
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _error_page(notebook: Path, message: str) -> str:
    """Return a short HTML page saying the run errored (it replaces an older report)."""
    from html import escape

    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>mlte-nb run errored</title>\n</head>\n<body>\n"
        f"<h1>mlte-nb run of {escape(str(notebook))} errored</h1>\n"
        f"<p>{escape(message)}</p>\n"
        "<p>No conditions were validated; fix the error and run again.</p>\n</body>\n</html>\n"
    )
