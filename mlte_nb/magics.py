"""IPython magics: a thin layer that parses arguments, calls the core and shows the result.

``%mlte_context``, ``%%mlte_measure``, ``%mlte_validate`` and ``%mlte_report``. User
errors become one-line ``UsageError`` messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

from mlte_nb import context
from mlte_nb.errors import MlteError
from mlte_nb.measure.assignment import check_value_is_computed

# The cell being run (id and source hash), noted by a pre_run_cell hook for provenance.
_current_cell: dict[str, Any] = {}


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn mlte_nb errors into IPython's one-line UsageError."""
    try:
        yield
    except MlteError as exc:
        raise UsageError(str(exc)) from exc


def _parse(magic: Callable[..., Any], line: str) -> Any:
    try:
        return parse_argstring(magic, line)
    except UsageError:
        raise
    except (SystemExit, ValueError) as exc:  # argparse exits on bad input
        msg = f"bad arguments {line!r}: {exc}"
        raise UsageError(msg) from exc


@magics_class
class MlteMagics(Magics):
    """The mlte_nb magics; every behaviour is also a public core function."""

    @magic_arguments()
    @argument("model", nargs="?", help="Model name, e.g. OxfordFlower.")
    @argument("version", nargs="?", help="Model version, e.g. 0.0.1.")
    @argument("--store", "-s", help="Store URI: local://PATH, fs://PATH or memory://NAME.")
    @line_magic
    def mlte_context(self, line: str) -> None:
        """Set (or, without arguments, show) the model, version and store.

        Examples
        --------
        %mlte_context OxfordFlower 0.0.1 --store local://mlte_store
        """
        args = _parse(self.mlte_context, line)
        with _user_errors():
            if args.model and not args.version:
                msg = "give both MODEL and VERSION, e.g. %mlte_context OxfordFlower 0.0.1"
                raise UsageError(msg)
            if args.store:
                context.set_store(args.store)
            if args.model:
                context.set_context(args.model, args.version)
            print(context.describe_context())

    @magic_arguments()
    @argument("identifier", nargs="+", help="Measurement id (quote it if it has spaces).")
    @argument(
        "--value",
        "-v",
        metavar="VAR",
        action="append",
        help="Record variable VAR (assigned by this cell) as the evidence; one per cell.",
    )
    @argument("--as", dest="as_type", metavar="TYPE", help="Value type for --value, e.g. Real.")
    @argument("--unit", "-u", metavar="UNIT", help="Unit of the --value evidence, e.g. s.")
    @argument("--time", "-t", action="store_true", help="Record wall time as '<ID> time' (s).")
    @argument("--cpu", "-c", action="store_true", help="Record CPU use as '<ID> cpu'.")
    @argument("--memory", "-m", action="store_true", help="Record memory as '<ID> memory' (KiB).")
    @argument(
        "--force", "-f", action="store_true", help="Replace existing evidence (kept in history)."
    )
    @argument(
        "--repeat",
        "-r",
        type=int,
        metavar="N",
        help="Run once unmeasured (warm-up), then N measured times; record the median and spread.",
    )
    @cell_magic
    def mlte_measure(self, line: str, cell: str) -> None:
        """Run the cell once (or a warm-up and N times) and save the evidence it produced.

        Examples
        --------
        %%mlte_measure "accuracy across gardens" --value acc --as MultipleAccuracy
        %%mlte_measure predicting --time --cpu --memory --repeat 5
        """
        args = _parse(self.mlte_measure, line)
        identifier = " ".join(args.identifier).strip("'\"")
        if args.value and len(args.value) > 1:
            msg = (
                f"one --value per cell (got {', '.join(args.value)}): each piece of evidence "
                "has its own measurement id, so record each variable in its own cell"
            )
            raise UsageError(msg)
        args.value = args.value[0] if args.value else None
        if args.value is not None and not args.value.isidentifier():
            msg = (
                f"--value takes a variable name, not {args.value!r}; assign it to a variable "
                f"in the cell (e.g. acc = {args.value}) and record that"
            )
            raise UsageError(msg)
        if (args.as_type or args.unit) and not args.value:
            msg = "--as TYPE and --unit UNIT need --value VAR"
            raise UsageError(msg)
        if not (args.value or args.time or args.cpu or args.memory):
            msg = "say what to record: --value VAR, --time, --cpu and/or --memory"
            raise UsageError(msg)
        with _user_errors():
            _check_before_running(self.shell, identifier, cell, args)
            values = self._run_measured(identifier, cell, args)
            for value in values:
                value.save(force=args.force, parents=True)
        print(f"saved: {', '.join(repr(v.measurement_id) for v in values)}")

    def _run_measured(self, identifier: str, cell: str, args: Any) -> list[Any]:
        from mlte_nb.measure.cell import measure_runs
        from mlte_nb.measure.variable import record_value

        shell = self.shell
        assert shell is not None  # magics are only called from a shell
        cell_info = {"cell": _cell_info(shell, cell)}
        values = measure_runs(
            lambda: bool(shell.run_cell(cell, store_history=False).success),
            identifier,
            repeat=args.repeat,
            time=args.time,
            cpu=args.cpu,
            memory=args.memory,
        )
        if args.value:
            if args.value not in shell.user_ns:
                msg = f"the cell ran but defined no variable {args.value!r}; nothing was saved"
                raise UsageError(msg)
            obj = shell.user_ns[args.value]
            values.insert(
                0, record_value(identifier, obj, args.as_type, unit=args.unit, variable=args.value)
            )
        for value in values:
            value.provenance.update(cell_info)
        return values

    @magic_arguments()
    @argument("--spec", help="Spec id to validate (default: default.spec).")
    @argument("--quiet", "-q", action="store_true", help="Save without displaying the results.")
    @line_magic
    def mlte_validate(self, line: str) -> Any:
        """Validate the stored spec against the stored values, save and show the result."""
        from mlte_nb.validate.stored import validate_stored

        args = _parse(self.mlte_validate, line)
        with _user_errors():
            validated = validate_stored(args.spec)
        if not args.quiet:
            from mlte_nb.widgets import ValidationView

            display(ValidationView(validated))
        return None

    @magic_arguments()
    @argument("before", nargs="?", help="Version to compare from (default: the previous run).")
    @argument("after", nargs="?", help="Version to compare to (default: the current one).")
    @line_magic
    def mlte_diff(self, line: str) -> None:
        """Show what changed between two validations of the current model.

        Examples
        --------
        %mlte_diff            # the latest validation against the one it replaced
        %mlte_diff 0.0.1      # version 0.0.1 against the current version
        """
        from mlte_nb.validate.diff import diff_stored

        args = _parse(self.mlte_diff, line)
        with _user_errors():
            display(diff_stored(args.before, args.after))

    @magic_arguments()
    @argument("--html", metavar="PATH", help="Also write a self-contained HTML report here.")
    @argument("--markdown", metavar="PATH", help="Also write a Markdown report here.")
    @line_magic
    def mlte_report(self, line: str) -> None:
        """Show the stored report (or one built from the latest validation) and export it."""
        from mlte_nb.report import export_report, load_or_default

        args = _parse(self.mlte_report, line)
        with _user_errors():
            report = load_or_default()
            for path, kind in ((args.html, "html"), (args.markdown, "markdown")):
                if path:
                    export_report(report, path, format=kind)
                    print(f"wrote {kind} report: {path}")
        display(report)

    @magic_arguments()
    @argument("--spec", help="Spec id to edit (default: default.spec; a new one if not stored).")
    @line_magic
    def mlte_spec(self, line: str) -> None:
        """Open the SpecEditor on the stored spec, or on a new one.

        Examples
        --------
        %mlte_spec
        """
        from mlte_nb.errors import ArtifactNotFoundError
        from mlte_nb.spec import Spec
        from mlte_nb.widgets import SpecEditor

        args = _parse(self.mlte_spec, line)
        with _user_errors():
            try:
                spec = Spec.load(args.spec)
            except ArtifactNotFoundError:
                spec = Spec(args.spec or "default.spec")
        display(SpecEditor(spec))

    @magic_arguments()
    @line_magic
    def mlte_store(self, line: str) -> None:
        """Open the StoreBrowser on the current store: models, versions, artifacts.

        Examples
        --------
        %mlte_store
        """
        from mlte_nb.widgets import StoreBrowser

        _parse(self.mlte_store, line)
        with _user_errors():
            browser = StoreBrowser()
        display(browser)


def _check_before_running(shell: Any, identifier: str, cell: str, args: Any) -> None:
    """Refuse, before the cell runs, what would only fail after it (no wasted work)."""
    model, version, store = context.get_context()
    kinds = [kind for kind in ("time", "cpu", "memory") if getattr(args, kind)]
    ids = ([identifier] if args.value else []) + [f"{identifier} {kind}" for kind in kinds]
    taken = [i for i in ids if store.exists(model, version, f"{i}.value")]
    if taken and not args.force:
        msg = (
            f"evidence {', '.join(repr(i) for i in taken)} already exists for {model} "
            f"{version}; add --force to replace it (the old one is kept in history)"
        )
        raise UsageError(msg)
    if args.value:
        check_value_is_computed(shell.transform_cell(cell), args.value)
    if args.as_type:
        from mlte_nb.measure.variable import value_class_named

        value_class_named(args.as_type)  # an unknown type is refused before the cell runs


def _cell_info(shell: Any, cell: str) -> dict[str, Any]:
    info = dict(_current_cell)
    count = getattr(shell, "execution_count", None)
    # IPython counts the running cell before executing it: In[n] runs with count n + 1.
    info["execution_count"] = count - 1 if isinstance(count, int) else None
    info["source_sha256"] = hashlib.sha256(cell.encode()).hexdigest()
    return info


def _remember_cell(info: Any) -> None:
    if not getattr(info, "store_history", True):
        return  # the cell body run by %%mlte_measure: keep the notebook cell's identity
    cell = getattr(info, "raw_cell", "") or ""
    _current_cell.clear()
    _current_cell.update(
        {
            "cell_id": getattr(info, "cell_id", None),
            "source_sha256": hashlib.sha256(cell.encode()).hexdigest(),
        }
    )


def _cell_provenance() -> dict[str, Any]:
    return {"cell": dict(_current_cell)} if _current_cell else {}


def register(ipython: Any) -> None:
    """Register the magics and the cell-provenance hook once per shell."""
    if getattr(ipython, "_mlte_nb_loaded", False):
        return
    ipython.register_magics(MlteMagics)
    ipython.events.register("pre_run_cell", _remember_cell)
    if _cell_provenance not in context.provenance_hooks:
        context.provenance_hooks.append(_cell_provenance)
    ipython._mlte_nb_loaded = True


__all__ = ["MlteMagics", "register"]
