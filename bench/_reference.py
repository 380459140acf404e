"""The reference (mlte-python 0.2.10) in its own virtual environment, for side-by-side runs.

``reference_python()`` returns the interpreter of ``bench/.venv-reference/``, creating the
environment and installing the reference on first use. mlte-python 0.2.10 needs ``httpx``
beside it (its session module imports it) and ``sqlalchemy<2.1`` (2.1 breaks its
SQLAlchemy-Utils). ``run_driver`` runs a driver script there and returns its JSON answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-reference"
# ipython only so that notebook start-up can be compared (the reference has no extension).
PACKAGES = ["mlte-python==0.2.10", "httpx", "sqlalchemy<2.1", "ipython"]


def _python(root: Path) -> Path:
    return root / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _has_reference(python: Path) -> bool:
    if not python.exists():
        return False
    probe = "import IPython, importlib.metadata as m; print(m.version('mlte-python'))"
    found = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
    return found.returncode == 0 and found.stdout.strip() == "0.2.10"


def reference_python(root: Path = VENV) -> Path:
    """Return the reference venv's python, creating it and installing mlte-python if missing."""
    python = _python(root)
    if _has_reference(python):
        return python
    print(f"creating the reference environment in {root} (once) ...", file=sys.stderr)
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
    install = [python, "-m", "pip", "install", "--quiet", *PACKAGES]
    subprocess.run(install, check=True)
    if not _has_reference(python):
        raise RuntimeError(f"mlte-python 0.2.10 did not install into {root}")
    return python


def run_driver(driver: str, *args: str, timeout: float = 300.0) -> Any:
    """Run the Python source ``driver`` in the reference venv; return the JSON it prints last.

    A driver that crashes is reported as ``{"error": ...}`` rather than raised, so that a
    benchmark can show the reference's failures as results.
    """
    python = reference_python()
    done = subprocess.run(
        [python, "-c", driver, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(("{", "["))]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit code {done.returncode}"}
    return json.loads(lines[-1])


if __name__ == "__main__":
    print(reference_python())
