"""The ``mlte-nb`` command line: run notebooks headless, validate and show stores."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from mlte_nb.errors import MlteError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
_CONTEXT_PROBE = (
    "import json as _j, mlte_nb.context as _c\n"
    "print('MLTE_CONTEXTS=' + _j.dumps(_c.contexts_used()))"
)
_RUN_HELP = """Execute a notebook headless and validate its specs.

Every context the notebook saved to during the run is validated (and the context it
ends in), each against every spec saved or validated in it during the run (else every
spec it holds). The exit status is the worst: 0 all pass, 1 a condition fails, 2 error.
--junit writes one testsuite per context and spec; --report writes one HTML page with
a report section per context and spec. When the run errors, --junit is rewritten with
one <error> test case and --report with a short page saying the run errored, so no
file from an earlier run keeps showing passes."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (errors are 2, never 1)."""
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except MlteError as exc:
        print(f"mlte-nb: {exc}", file=sys.stderr)
    except Exception as exc:  # the last guard: exit 1 must only ever mean "a condition fails"
        if os.environ.get("MLTE_NB_DEBUG"):
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        print(f"mlte-nb: {_internal(exc)} (set MLTE_NB_DEBUG=1 for the traceback)", file=sys.stderr)
    return EXIT_ERROR


def _internal(exc: BaseException) -> str:
    """Describe an unexpected exception on one line."""
    text = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}: {text}"


def _positive_seconds(text: str) -> int:
    """Parse ``--timeout``: a whole, positive number of seconds."""
    try:
        seconds = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number of seconds"
        raise argparse.ArgumentTypeError(msg) from None
    if seconds <= 0:
        msg = f"must be a positive number of seconds, not {seconds}"
        raise argparse.ArgumentTypeError(msg)
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlte-nb", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="Execute a notebook headless and validate its specs.",
        description=_RUN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("notebook", type=Path)
    run.add_argument("--output", type=Path, help="Write the executed notebook here.")
    run.add_argument(
        "--report",
        type=Path,
        help="Write the HTML report here (one section per context and spec; "
        "on error, a page saying the run errored).",
    )
    run.add_argument(
        "--junit",
        type=Path,
        help="Write JUnit XML (one testsuite per context and spec, one case per condition; "
        "on error, one case with an <error>).",
    )
    run.add_argument(
        "--timeout", type=_positive_seconds, default=600, help="Seconds allowed per cell (> 0)."
    )
    run.add_argument(
        "--allow-stale",
        action="store_true",
        help="Let evidence saved before this run count (by default it fails as stale).",
    )
    run.set_defaults(handler=_run)
    validate = commands.add_parser("validate", help="Validate a stored spec and print results.")
    validate.add_argument("model")
    validate.add_argument("version")
    validate.add_argument("--store", default="local://mlte_store", help="Store URI.")
    validate.add_argument("--save", action="store_true", help="Save the ValidatedSpec too.")
    validate.set_defaults(handler=_validate)
    export = commands.add_parser("export", help="Export an executed notebook as static HTML.")
    export.add_argument("notebook", type=Path)
    export.add_argument("--html", type=Path, required=True, help="Write the page here.")
    export.add_argument("--store", help="Store URI (default: mlte_store/ beside the notebook).")
    export.add_argument("--model", help="Model whose report to append (default: the only one).")
    export.add_argument("--version", help="Version whose report to append.")
    export.set_defaults(handler=_export)
    diff = commands.add_parser("diff", help="Compare two validations (versions or files).")
    diff.add_argument("before", help="MODEL/VERSION in --store, or a validated_spec .json file.")
    diff.add_argument("after", help="MODEL/VERSION in --store, or a validated_spec .json file.")
    diff.add_argument("--store", default="local://mlte_store", help="Store URI.")
    diff.add_argument("--html", type=Path, help="Also write the comparison as HTML here.")
    diff.set_defaults(handler=_diff)
    _add_store_commands(commands)
    return parser


def _export(args: argparse.Namespace) -> int:
    from mlte_nb.report.notebook import notebook_html
    from mlte_nb.store._atomic import write_atomic

    if args.html.suffix.lower() not in (".html", ".htm"):
        msg = f"--html {str(args.html)!r} should end in .html"
        raise MlteError(msg)
    section = _report_of(args)
    write_atomic(args.html, notebook_html(args.notebook, report_html=section))
    print(f"wrote {args.html}" + ("" if section else " (no report appended)"))
    return EXIT_PASS


def _report_of(args: argparse.Namespace) -> str | None:
    """Return the report section of the notebook's model/version, if one can be found.

    The store and model/version are, in order: the options; what ``mlte-nb run`` recorded
    in the executed notebook; the only model/version of ``mlte_store`` beside it.
    """
    from mlte_nb import context
    from mlte_nb.report import load_or_default
    from mlte_nb.report.export import report_section

    if not args.notebook.is_file():
        msg = f"notebook {str(args.notebook)!r} does not exist"
        raise MlteError(msg)
    recorded = _recorded_contexts(args.notebook)
    default_store = f"local://{args.notebook.parent / 'mlte_store'}"
    store = context.set_store(args.store or (recorded[-1]["store"] if recorded else default_store))
    pairs = [(m, v) for m in store.models() for v in store.versions(m)]
    if args.model:
        pairs = [(m, v) for m, v in pairs if m == args.model and v == (args.version or v)]
    elif recorded and not args.store:
        pairs = [(recorded[-1]["model"], recorded[-1]["version"])]
    if len(pairs) != 1:
        found = ", ".join(f"{m} {v}" for m, v in pairs) or "none"
        print(f"mlte-nb: no report appended; name one with --model/--version (found: {found})")
        return None
    context.set_context(*pairs[0])
    return report_section(load_or_default())


def _recorded_contexts(notebook: Path) -> list[dict[str, str]]:
    """Return the contexts ``mlte-nb run`` recorded in an executed notebook (or none)."""
    try:
        metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
        contexts = metadata.get("mlte_nb", {}).get("contexts", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [c for c in contexts if isinstance(c, dict) and {"model", "version", "store"} <= set(c)]


def _diff(args: argparse.Namespace) -> int:
    from mlte_nb.store._atomic import write_atomic
    from mlte_nb.validate.diff import diff_validations

    diff = diff_validations(
        _validation(args.before, args.store), _validation(args.after, args.store)
    )
    print(diff.text())
    if args.html:
        write_atomic(args.html, diff._repr_mimebundle_()["text/html"])
    regressions = [
        c
        for c in diff.changes
        if c.after
        and c.after.kind == "Failure"
        and (c.before is None or c.before.kind != "Failure")
    ]
    return EXIT_FAIL if regressions else EXIT_PASS


def _validation(name: str, store_uri: str) -> Any:
    """Load a ValidatedSpec from a JSON file, or from ``MODEL/VERSION`` in the store."""
    from mlte_nb import context
    from mlte_nb.store._json import loads
    from mlte_nb.validate.validated import ValidatedSpec

    path = Path(name)
    if path.suffix == ".json" and path.is_file():
        return ValidatedSpec.from_stored(loads(path.read_text(encoding="utf-8")))
    model, slash, version = name.rpartition("/")
    if not slash or not model:
        msg = f"{name!r} is neither a .json file nor MODEL/VERSION; write e.g. OxfordFlower/0.0.1"
        raise MlteError(msg)
    context.set_store(store_uri)
    context.set_context(model, version)
    return ValidatedSpec.load()


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
    if args.junit:
        _write(args.junit, _junit_of(checked), "--junit")
    if args.report:
        _write_report(checked, args.report)
    return EXIT_FAIL if failing else EXIT_PASS


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


def _print_validation(validated: Any) -> None:
    validated.print_results()
    print(", ".join(f"{n} {kind}" for kind, n in validated.counts().items()))


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

    if path.is_dir() or path.suffix.lower() not in (".html", ".htm"):
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


def _write(path: Path, text: str, option: str) -> None:
    """Write a CI file atomically; an unwritable path is a one-line MlteError."""
    from mlte_nb.store._atomic import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        msg = f"cannot write {option} {str(path)!r} ({type(exc).__name__}: {exc.strerror or exc})"
        raise MlteError(msg + "; choose a writable path") from exc


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


def execute_notebook(
    path: Path, output: Path | None = None, timeout: int = 600
) -> tuple[list[dict[str, str]], str | None]:
    """Execute ``path`` with a real kernel in its folder; return its MLTE contexts and error.

    The contexts are every one the notebook used (see ``context.contexts_used``). The
    executed notebook is written to ``output`` (also when a cell fails), so the failing
    cell can be read there.
    """
    notebook = _read_notebook(path)
    if output is not None:
        _check_output(output)
    found: list[dict[str, str]] = []
    error = None
    try:
        found, error = _execute(notebook, path, timeout)
        # The executed notebook says where its evidence is, for `mlte-nb export`.
        notebook.metadata["mlte_nb"] = {"contexts": found}
    finally:
        if output is not None:
            _write_notebook(notebook, output)
    return found, error


def _read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        msg = f"notebook {str(path)!r} does not exist"
    except IsADirectoryError:
        msg = f"{str(path)!r} is a folder, not a notebook; give the path of an .ipynb file"
    except OSError as exc:
        msg = f"cannot read notebook {str(path)!r} ({type(exc).__name__}: {exc.strerror or exc})"
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        nbformat.ValidationError,
        nbformat.reader.NotJSONError,
    ) as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        msg = (
            f"{str(path)!r} is not a readable notebook ({type(exc).__name__}: {first}); "
            "open it in Jupyter and save it again"
        )
    raise MlteError(msg)


def _check_output(output: Path) -> None:
    """Refuse an --output path that is a folder or whose folder cannot be made, before running."""
    if output.is_dir():
        msg = f"--output {str(output)!r} is a folder; give a file name such as executed.ipynb"
        raise MlteError(msg)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the folder of --output {str(output)!r} ({exc.strerror or exc})"
        raise MlteError(msg + "; choose a writable path") from exc


def _execute(notebook: Any, path: Path, timeout: int) -> tuple[list[dict[str, str]], str | None]:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    index = 0
    try:
        with tempfile.TemporaryDirectory(prefix="mlte-nb-kernel-") as sockets:
            client = NotebookClient(
                notebook,
                timeout=timeout,
                resources={"metadata": {"path": str(path.parent.absolute())}},
                config=_kernel_config(Path(sockets)),
            )
            with client.setup_kernel():
                for index, cell in enumerate(notebook.cells):
                    client.execute_cell(cell, index)
                return _probe_contexts(client, notebook), None
    except CellExecutionError as exc:
        return [], f"cell {index + 1} of {path} raised {exc.ename}: {exc.evalue}"
    except CellTimeoutError:
        return [], f"cell {index + 1} of {path} ran longer than --timeout {timeout} s"
    except DeadKernelError:
        return [], f"the kernel died while running cell {index + 1} of {path}"


def _kernel_config(sockets: Path) -> Any:
    """Return kernel settings: on POSIX the kernel talks over private Unix sockets.

    Local IPC needs no open TCP port and no encryption warning; the sockets live in a
    temporary folder only this user can enter.
    """
    from traitlets.config import Config

    config = Config()
    if os.name == "posix":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(sockets / "kernel")
    return config


def _probe_contexts(client: Any, notebook: Any) -> list[dict[str, str]]:
    """Ask the kernel which contexts the notebook used, through one extra cell."""
    import nbformat

    probe = nbformat.v4.new_code_cell(_CONTEXT_PROBE)
    notebook.cells.append(probe)
    try:
        client.execute_cell(probe, len(notebook.cells) - 1)
    finally:
        notebook.cells.pop()
    for item in probe.get("outputs", []):
        for line in str(item.get("text", "")).splitlines():
            if line.startswith("MLTE_CONTEXTS="):
                return list(json.loads(line.removeprefix("MLTE_CONTEXTS=")))
    return []


def _write_notebook(notebook: Any, output: Path) -> None:
    import nbformat

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output)
    except OSError as exc:
        msg = (
            f"cannot write the executed notebook to {str(output)!r} "
            f"({type(exc).__name__}: {exc.strerror or exc}); choose a writable --output path"
        )
        raise MlteError(msg) from exc


def _validate(args: argparse.Namespace) -> int:
    from mlte_nb import context
    from mlte_nb.validate.stored import validate_stored

    context.set_store(args.store)
    context.set_context(args.model, args.version)
    validated = validate_stored(save=args.save)
    _print_validation(validated)
    return EXIT_PASS if validated.passed else EXIT_FAIL


def _add_store_commands(commands: Any) -> None:
    """Add ``history``, ``restore`` and ``clean``: the store's own maintenance."""
    store_help = "Store URI (default local://mlte_store)."
    history = commands.add_parser("history", help="List the earlier versions of an artifact.")
    restore = commands.add_parser("restore", help="Make an earlier version current again.")
    for sub in (history, restore):
        sub.add_argument("model")
        sub.add_argument("version")
        sub.add_argument("artifact_id", help="Full id, e.g. 'accuracy.value' or 'default.spec'.")
    restore.add_argument("number", type=int, help="Version number shown by `mlte-nb history`.")
    clean = commands.add_parser("clean", help="Remove temp files left by crashed writers.")
    clean.add_argument(
        "--older-than", type=float, default=10.0, help="Minutes a temp file must be old."
    )
    for sub in (history, restore, clean):
        sub.add_argument("--store", default="local://mlte_store", help=store_help)
    history.set_defaults(handler=_history)
    restore.set_defaults(handler=_restore)
    clean.set_defaults(handler=_clean)


def _history(args: argparse.Namespace) -> int:
    from mlte_nb.store import list_history, open_store

    store = open_store(args.store)
    current = store.read(args.model, args.version, args.artifact_id)  # not found: exit 2
    entries = list_history(store, args.model, args.version, args.artifact_id)
    print(f"{args.artifact_id} of {args.model} {args.version} in {store.uri}:")
    for entry in entries:
        print(entry.describe())
    stamp = current["header"].get("timestamp")
    print(f"current  (timestamp {stamp}); {len(entries)} earlier version(s)")
    return EXIT_PASS


def _restore(args: argparse.Namespace) -> int:
    from mlte_nb.store import open_store, restore

    store = open_store(args.store)
    restore(store, args.model, args.version, args.artifact_id, args.number)
    print(
        f"restored version {args.number} of {args.artifact_id}; "
        "the version it replaced is now the newest in its history"
    )
    return EXIT_PASS


def _clean(args: argparse.Namespace) -> int:
    from mlte_nb.store import open_store

    store = open_store(args.store)
    clean = getattr(store, "clean", None)
    removed = clean(older_than_s=args.older_than * 60.0) if clean else []
    for path in removed:
        print(f"removed {path}")
    print(f"{len(removed)} stray temp file(s) removed from {store.uri}")
    return EXIT_PASS


if __name__ == "__main__":
    sys.exit(main())
