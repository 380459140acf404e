"""The ``mlte-nb`` command line: run notebooks headless, validate and show stores."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from mlte_nb.cli._common import (
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_PASS,
    _internal,
    _print_validation,
)
from mlte_nb.cli._execute import execute_notebook
from mlte_nb.cli._run import _RUN_HELP, _run, _write_error_files
from mlte_nb.errors import MlteError

__all__ = ["EXIT_ERROR", "EXIT_FAIL", "EXIT_PASS", "execute_notebook", "main"]


class _UsageError(MlteError):
    """A command line argparse refused."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its refusals as one line (raised, so that `run` can clean up)."""

    def error(self, message: str) -> NoReturn:
        msg = f"{self.prog}: {message} (see {self.prog} --help)"
        raise _UsageError(msg)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (errors are 2, never 1)."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(words)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        if words[:1] == ["run"]:  # never leave the CI files of an earlier run behind
            _write_error_files(_ci_files_in(words), str(exc))
        return EXIT_ERROR
    try:
        return int(args.handler(args))
    except MlteError as exc:
        print(f"mlte-nb: {exc}", file=sys.stderr)
    except Exception as exc:  # the last guard: exit 1 must only ever mean "a condition fails"
        if os.environ.get("MLTE_NB_DEBUG"):
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        print(f"mlte-nb: {_internal(exc)} (set MLTE_NB_DEBUG=1 for the traceback)", file=sys.stderr)
    return EXIT_ERROR


def _ci_files_in(words: list[str]) -> argparse.Namespace:
    """Return the --junit and --report paths of a command line argparse refused."""
    found: dict[str, Path | None] = {"junit": None, "report": None}
    for index, word in enumerate(words):
        for option in found:
            flag = f"--{option}"
            if word == flag and index + 1 < len(words):
                found[option] = Path(words[index + 1])
            elif word.startswith(flag + "="):
                found[option] = Path(word.removeprefix(flag + "="))
    notebook = Path(words[1]) if len(words) > 1 and not words[1].startswith("-") else Path("?")
    return argparse.Namespace(notebook=notebook, **found)


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
    parser = _Parser(prog="mlte-nb", description=__doc__)
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
    checked = _run_metadata(args.notebook).get("checked")
    if isinstance(checked, list) and checked and not (args.model or args.store):
        return _sections_of(checked)
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


def _run_metadata(notebook: Path) -> dict[str, Any]:
    """Return what ``mlte-nb run`` noted in an executed notebook (empty if nothing)."""
    try:
        metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
        found = metadata.get("mlte_nb", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def _recorded_contexts(notebook: Path) -> list[dict[str, str]]:
    """Return the contexts ``mlte-nb run`` recorded in an executed notebook (or none)."""
    contexts = _run_metadata(notebook).get("contexts", [])
    if not isinstance(contexts, list):
        return []
    return [c for c in contexts if isinstance(c, dict) and {"model", "version", "store"} <= set(c)]


def _sections_of(checked: list[Any]) -> str:
    """Return a report section per spec the run validated, each validated again now.

    The same specs as ``run`` checked, with its cut-off for stale evidence, so the page
    gives the run's verdicts; evidence changed since is flagged by the report.
    """
    from mlte_nb import context
    from mlte_nb.report import load_or_default
    from mlte_nb.report.export import report_section
    from mlte_nb.validate.stored import validate_stored

    sections = []
    for entry in checked:
        context.set_store(str(entry["store"]))
        context.set_context(str(entry["model"]), str(entry["version"]))
        not_before = entry.get("not_before")
        validated = validate_stored(
            entry.get("spec"), save=False, not_before=not_before if not_before else None
        )
        sections.append(report_section(load_or_default(), validated))
    return "\n<hr>\n".join(sections)


def _diff(args: argparse.Namespace) -> int:
    from mlte_nb.store._atomic import write_atomic
    from mlte_nb.validate.diff import diff_validations

    diff = diff_validations(
        _validation(args.before, args.store), _validation(args.after, args.store)
    )
    print(diff.text())
    if args.html:
        write_atomic(args.html, diff._repr_mimebundle_()["text/html"])
    return EXIT_FAIL if diff.regressions() else EXIT_PASS


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
        sub.add_argument("artifact_id", help="Id, e.g. 'accuracy' (a value) or 'default.spec'.")
    restore.add_argument("number", type=int, help="Version number shown by `mlte-nb history`.")
    clean = commands.add_parser("clean", help="Remove temp files left by crashed writers.")
    clean.add_argument(
        "--older-than", type=_minutes, default=10.0, help="Minutes a temp file must be old."
    )
    for sub in (history, restore, clean):
        sub.add_argument("--store", default="local://mlte_store", help=store_help)
    history.set_defaults(handler=_history)
    restore.set_defaults(handler=_restore)
    clean.set_defaults(handler=_clean)


def _minutes(text: str) -> float:
    """Parse ``--older-than``: a number of minutes, zero or more."""
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not minutes >= 0:  # also refuses NaN
        msg = f"must be a number of minutes, zero or more, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return minutes


def _artifact_id(store: Any, args: argparse.Namespace) -> str:
    """Return the id as given, or ``<id>.value`` when only that exists (a measurement id)."""
    given = str(args.artifact_id)
    if store.exists(args.model, args.version, given):
        return given
    as_value = given + ".value"
    return as_value if store.exists(args.model, args.version, as_value) else given


def _history(args: argparse.Namespace) -> int:
    from mlte_nb.store import HistoryEntry, list_history, open_store

    store = open_store(args.store)
    artifact_id = _artifact_id(store, args)
    current = store.read(args.model, args.version, artifact_id)  # not found: exit 2
    entries = list_history(store, args.model, args.version, artifact_id)
    print(f"{artifact_id} of {args.model} {args.version} in {store.uri}:")
    for entry in [*entries, HistoryEntry(0, current)]:
        number = f"{entry.number:>4}" if entry.number else "current"
        print(f"{number}  {entry.describe().split(maxsplit=1)[1]}  {_brief(entry.document)}")
    print(f"{len(entries)} earlier version(s); `mlte-nb restore` takes a number")
    return EXIT_PASS


def _brief(document: dict[str, Any]) -> str:
    """Return what a stored version held, in a few words (for choosing one to restore)."""
    from mlte_nb import Spec, ValidatedSpec, Value

    kind = str(document.get("header", {}).get("type", ""))
    try:
        if kind == "value":
            return f"[{Value.from_stored(document).summary()}]"
        if kind == "spec":
            return f"[{len(Spec.from_stored(document))} conditions]"
        if kind == "validated_spec":
            counts = ValidatedSpec.from_stored(document).counts()
            return "[" + ", ".join(f"{n} {name}" for name, n in counts.items()) + "]"
    except MlteError:
        return "[unreadable]"
    return ""


def _restore(args: argparse.Namespace) -> int:
    from mlte_nb.store import open_store, restore

    store = open_store(args.store)
    artifact_id = _artifact_id(store, args)
    restore(store, args.model, args.version, artifact_id, args.number)
    print(
        f"restored version {args.number} of {artifact_id}; "
        "the version it replaced is now the newest in its history"
    )
    return EXIT_PASS


def _clean(args: argparse.Namespace) -> int:
    from mlte_nb.store import open_store

    store = open_store(args.store)
    root = getattr(store, "root", None)
    if root is not None and not Path(root).is_dir():
        msg = f"there is no store at {store.uri!r}; give the --store to clean"
        raise MlteError(msg)
    clean = getattr(store, "clean", None)
    removed = clean(older_than_s=args.older_than * 60.0) if clean else []
    for path in removed:
        print(f"removed {path}")
    print(f"{len(removed)} stray temp file(s) removed from {store.uri}")
    return EXIT_PASS


if __name__ == "__main__":
    sys.exit(main())
