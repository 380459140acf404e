"""The ``mlte-nb`` command line: run notebooks headless, validate and show stores."""

from __future__ import annotations

import argparse
import json
import sys
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
    parser = _parser()
    args = parser.parse_args(argv)
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
    run.add_argument("--timeout", type=int, default=600, help="Seconds allowed per cell.")
    run.set_defaults(handler=_run)
    validate = commands.add_parser("validate", help="Validate a stored spec and print results.")
    validate.add_argument("model")
    validate.add_argument("version")
    validate.add_argument("--store", default="local://mlte_store", help="Store URI.")
    validate.set_defaults(handler=_validate)
    return parser


def _run(args: argparse.Namespace) -> int:
    from mlte_nb import context
    from mlte_nb.validate.stored import validate_stored

    found, error = execute_notebook(args.notebook, args.output, args.timeout)
    if error:
        print(f"mlte-nb: {error}", file=sys.stderr)
        return EXIT_ERROR
    if not found.get("model"):
        print("mlte-nb: the notebook set no MLTE context; nothing to validate", file=sys.stderr)
        return EXIT_ERROR
    context.set_store(found["store"])
    context.set_context(found["model"], found["version"])
    validated = validate_stored(save=False)
    print(f"{found['model']} {found['version']} in {found['store']}")
    validated.print_results()
    print(", ".join(f"{n} {kind}" for kind, n in validated.counts().items()))
    if args.report:
        from mlte_nb.report import export_report, load_or_default

        export_report(load_or_default(), args.report, format="html", validated=validated)
    return EXIT_PASS if validated.passed else EXIT_FAIL


def execute_notebook(
    path: Path, output: Path | None = None, timeout: int = 600
) -> tuple[dict[str, Any], str | None]:
    """Execute ``path`` with a real kernel in its folder; return its MLTE context and error.

    The executed notebook is written to ``output`` (also when a cell fails), so the
    failing cell can be read there.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent.absolute())}}
    )
    error, found = None, {}
    with client.setup_kernel():
        try:
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        except CellExecutionError as exc:
            error = f"cell {index + 1} of {path} raised {exc.ename}: {exc.evalue}"
        probe = nbformat.v4.new_code_cell(_CONTEXT_PROBE)
        notebook.cells.append(probe)  # asks the kernel which context the notebook set
        try:
            client.execute_cell(probe, len(notebook.cells) - 1)
        finally:
            notebook.cells.pop()
        found = _probe_result(probe)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output)
    return found, error


def _probe_result(cell: Any) -> dict[str, Any]:
    for item in cell.get("outputs", []):
        for line in str(item.get("text", "")).splitlines():
            if line.startswith("MLTE_CONTEXT="):
                return dict(json.loads(line.removeprefix("MLTE_CONTEXT=")))
    return {}


def _validate(args: argparse.Namespace) -> int:
    from mlte_nb import context
    from mlte_nb.validate.stored import validate_stored

    context.set_store(args.store)
    context.set_context(args.model, args.version)
    validated = validate_stored()
    validated.print_results()
    return EXIT_PASS if validated.passed else EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
