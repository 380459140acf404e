"""The ``mlte-nb`` command line: run notebooks headless, validate and show stores."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mlte_nb.errors import MlteError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
_CONTEXT_PROBE = (
    "import json as _j, mlte_nb.context as _c\n"
    "print('MLTE_CONTEXT=' + _j.dumps({'model': _c._session.model, "
    "'version': _c._session.version, 'store': _c.get_store().uri}))"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except MlteError as exc:
        print(f"mlte-nb: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlte-nb", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="Execute a notebook headless and validate its spec.")
    run.add_argument("notebook", type=Path)
    run.add_argument("--output", type=Path, help="Write the executed notebook here.")
    run.add_argument("--report", type=Path, help="Write the HTML report here.")
    run.add_argument("--junit", type=Path, help="Write JUnit XML (one case per condition).")
    run.add_argument("--timeout", type=int, default=600, help="Seconds allowed per cell.")
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
    """Return the report section of the notebook's model/version, if one can be found."""
    from mlte_nb import context
    from mlte_nb.report import load_or_default
    from mlte_nb.report.export import report_section

    store = context.set_store(args.store or f"local://{args.notebook.parent / 'mlte_store'}")
    pairs = [(m, v) for m in store.models() for v in store.versions(m)]
    if args.model and args.version:
        pairs = [(args.model, args.version)]
    if len(pairs) != 1:
        found = ", ".join(f"{m} {v}" for m, v in pairs) or "none"
        print(f"mlte-nb: no report appended; name one with --model/--version (found: {found})")
        return None
    context.set_context(*pairs[0])
    return report_section(load_or_default())


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


def _run(args: argparse.Namespace) -> int:
    from mlte_nb import context

    started = time.time()
    found, error = execute_notebook(args.notebook, args.output, args.timeout)
    if error:
        print(f"mlte-nb: {error}", file=sys.stderr)
        return EXIT_ERROR
    if not found.get("model"):
        print("mlte-nb: the notebook set no MLTE context; nothing to validate", file=sys.stderr)
        return EXIT_ERROR
    if str(found["store"]).startswith("memory://"):
        msg = (
            f"the notebook kept its evidence in {found['store']}, which lives only in its "
            "kernel; use a local:// store to validate it from the command line"
        )
        print(f"mlte-nb: {msg}", file=sys.stderr)
        return EXIT_ERROR
    context.set_store(found["store"])
    context.set_context(found["model"], found["version"])
    print(f"{found['model']} {found['version']} in {found['store']}")
    return _report_results(None if args.allow_stale else started, args.report, junit=args.junit)


def _report_results(
    not_before: float | None, report: Path | None, save: bool = False, junit: Path | None = None
) -> int:
    from mlte_nb.validate.stored import validate_stored

    validated = validate_stored(save=save, not_before=not_before)
    validated.print_results()
    print(", ".join(f"{n} {kind}" for kind, n in validated.counts().items()))
    if junit:
        from mlte_nb.report import junit_xml
        from mlte_nb.store._atomic import write_atomic

        write_atomic(junit, junit_xml(validated))
    if report:
        from mlte_nb.report import export_report, load_or_default

        export_report(load_or_default(), report, format="html", validated=validated)
    return EXIT_PASS if validated.passed else EXIT_FAIL


def execute_notebook(
    path: Path, output: Path | None = None, timeout: int = 600
) -> tuple[dict[str, Any], str | None]:
    """Execute ``path`` with a real kernel in its folder; return its MLTE context and error.

    The executed notebook is written to ``output`` (also when a cell fails), so the
    failing cell can be read there.
    """
    notebook = _read_notebook(path)
    found: dict[str, Any] = {}
    error = None
    try:
        found, error = _execute(notebook, path, timeout)
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
    except (ValueError, nbformat.reader.NotJSONError) as exc:
        msg = f"{str(path)!r} is not a readable notebook ({type(exc).__name__}: {exc})"
    raise MlteError(msg)


def _execute(notebook: Any, path: Path, timeout: int) -> tuple[dict[str, Any], str | None]:
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
                return _probe_context(client, notebook), None
    except CellExecutionError as exc:
        return {}, f"cell {index + 1} of {path} raised {exc.ename}: {exc.evalue}"
    except CellTimeoutError:
        return {}, f"cell {index + 1} of {path} ran longer than --timeout {timeout} s"
    except DeadKernelError:
        return {}, f"the kernel died while running cell {index + 1} of {path}"


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


def _probe_context(client: Any, notebook: Any) -> dict[str, Any]:
    """Ask the kernel which context the notebook set, through one extra cell."""
    import nbformat

    probe = nbformat.v4.new_code_cell(_CONTEXT_PROBE)
    notebook.cells.append(probe)
    try:
        client.execute_cell(probe, len(notebook.cells) - 1)
    finally:
        notebook.cells.pop()
    for item in probe.get("outputs", []):
        for line in str(item.get("text", "")).splitlines():
            if line.startswith("MLTE_CONTEXT="):
                return dict(json.loads(line.removeprefix("MLTE_CONTEXT=")))
    return {}


def _write_notebook(notebook: Any, output: Path) -> None:
    import nbformat

    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, output)


def _validate(args: argparse.Namespace) -> int:
    from mlte_nb import context

    context.set_store(args.store)
    context.set_context(args.model, args.version)
    return _report_results(None, None, save=args.save)


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
