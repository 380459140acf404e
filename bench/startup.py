"""Start-up costs, each in a fresh process: import, %load_ext, and loading a stored spec.

Run with ``python bench/startup.py [--repeats N]``. Each workload is a new interpreter
(``python -c``), timed from outside, for mlte_nb and for mlte-python 0.2.10 in its venv:
- import: ``import mlte_nb`` against ``import mlte.session`` (what the guide imports first);
- ``%load_ext mlte_nb`` in an IPython shell (the reference has no extension: its row is
  IPython plus ``import mlte.session``, what a notebook user of it runs instead);
- load a stored spec of 13 conditions in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reference import reference_python, run_driver
from _report import emit, shown, summary

OURS = {
    "import": "import mlte_nb",
    "load_ext": (
        "from IPython.core.interactiveshell import InteractiveShell; "
        "InteractiveShell.instance().run_line_magic('load_ext', 'mlte_nb')"
    ),
    "load spec": (
        "import sys, mlte_nb; mlte_nb.set_store(sys.argv[1]); "
        "mlte_nb.set_context('OxfordFlower', '0.0.1'); mlte_nb.Spec.load()"
    ),
}
REFERENCE = {
    "import": "import mlte.session",
    "load_ext": (
        "from IPython.core.interactiveshell import InteractiveShell; "
        "InteractiveShell.instance(); import mlte.session"
    ),
    "load spec": (
        "import sys; from mlte.session import set_context, set_store; "
        "from mlte.spec.spec import Spec; set_store(sys.argv[1]); "
        "set_context('OxfordFlower', '0.0.1'); Spec.load()"
    ),
}


def run(python: Path | str, code: str, store: str, repeats: int) -> dict[str, float] | None:
    """Time ``repeats`` fresh processes running ``code`` (None if it fails)."""
    import time

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run([python, "-c", code, store], capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            print(done.stderr.decode()[-400:], file=sys.stderr)
            return None
    return summary(times)


SPEC_DRIVER = """
import sys
from mlte.session import set_context, set_store
from mlte.spec.spec import Spec
from mlte.property.costs.storage_cost import StorageCost
from mlte.value.types.integer import Integer
from mlte.value.types.real import Real
set_store(sys.argv[1]); set_context("OxfordFlower", "0.0.1")
conditions = {f"size {i}": Integer.less_than(3000) for i in range(6)}
conditions.update({f"score {i}": Real.greater_or_equal_to(0.9) for i in range(7)})
Spec(properties={StorageCost("x"): conditions}).save(parents=True, force=True)
print("{}")
"""


def stores(folder: Path) -> tuple[str, str]:
    """Return a store for each side holding the same 13-condition spec, written by that side.

    (The guide's own spec cannot be used: mlte-python cannot load it without the demo's
    ``values`` package on its path, since its conditions are pickled functions.)
    """
    import mlte_nb

    ours, reference = f"local://{folder / 'ours'}", f"local://{folder / 'reference'}"
    (folder / "reference").mkdir()
    written = run_driver(SPEC_DRIVER, reference)
    if "error" in written:
        raise RuntimeError(f"the reference could not write its spec: {written['error']}")
    conditions = {f"size {i}": mlte_nb.Integer.less_than(3000) for i in range(6)}
    conditions.update({f"score {i}": mlte_nb.Real.greater_or_equal_to(0.9) for i in range(7)})
    mlte_nb.set_store(ours)
    mlte_nb.set_context("OxfordFlower", "0.0.1")
    mlte_nb.Spec(properties={mlte_nb.StorageCost("x"): conditions}).save(parents=True)
    return ours, reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    reference_python_path = reference_python()
    with tempfile.TemporaryDirectory() as folder:
        ours_store, reference_store = stores(Path(folder))
        for workload, code in OURS.items():
            mine = run(sys.executable, code, ours_store, args.repeats)
            theirs = run(reference_python_path, REFERENCE[workload], reference_store, args.repeats)
            print(f"{workload}: mlte_nb {shown(mine)}, reference {shown(theirs)}")
            emit(f"fresh process: {workload}", mine, theirs)


if __name__ == "__main__":
    main()
