"""Executing a notebook headless with a real kernel, and asking it which contexts it used."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mlte_nb.errors import MlteError

# Answered as display data, not printed: a notebook may have redirected sys.stdout.
_PROBE_MIME = "application/x.mlte-nb-contexts+json"
_CONTEXT_PROBE = (
    "import IPython.display as _d, mlte_nb.context as _c\n"
    f"_d.display({{{_PROBE_MIME!r}: _c.contexts_used()}}, raw=True)"
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
    with tempfile.TemporaryDirectory(prefix="mlte-nb-kernel-") as private:
        # The kernel process's own stderr (logs, a killed kernel's traceback) goes to a file,
        # shown only if the kernel dies; cell output reaches the notebook as always.
        kernel_log = Path(private) / "kernel.log"
        with kernel_log.open("w", encoding="utf-8") as log:
            found, error = _run_cells(notebook, path, timeout, Path(private), log)
        if error and error.startswith("the kernel died"):
            error += _last_line(kernel_log)
        return found, error


def _run_cells(
    notebook: Any, path: Path, timeout: int, private: Path, log: Any
) -> tuple[list[dict[str, str]], str | None]:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    index = 0
    client = NotebookClient(
        notebook,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent.absolute())}},
        config=_kernel_config(private),
    )
    try:
        with client.setup_kernel(stderr=log):
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            return _probe_contexts(client, notebook), None
    except CellExecutionError as exc:
        return [], f"cell {index + 1} of {path} raised {exc.ename}: {exc.evalue}"
    except CellTimeoutError:
        return [], f"cell {index + 1} of {path} ran longer than --timeout {timeout} s"
    except DeadKernelError:
        return [], f"the kernel died while running cell {index + 1} of {path}"


def _last_line(log: Path) -> str:
    """Return ``" (kernel: <its last log line>)"``, or nothing when it wrote none."""
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return f" (kernel: {lines[-1][:200]})" if lines else ""


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
        found = item.get("data", {}).get(_PROBE_MIME)
        if isinstance(found, str):  # some front ends keep JSON data as text
            found = json.loads(found)
        if isinstance(found, list):
            return found
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
