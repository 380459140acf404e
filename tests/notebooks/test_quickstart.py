"""The quickstart notebook runs headless, and its nbconvert HTML shows the tables as HTML."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.kernel import execute, output_text

pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, float]:
    folder = tmp_path_factory.mktemp("quickstart")
    shutil.copy(NOTEBOOK, folder)
    started = time.monotonic()
    notebook = execute(folder / NOTEBOOK.name, timeout=120)
    return notebook, folder, time.monotonic() - started


def _cell(notebook: Any, source: str) -> Any:
    return next(c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(source))


def _static_outputs(cell: Any) -> list[dict[str, Any]]:
    return [o["data"] for o in cell.outputs if "data" in o and WIDGET_VIEW not in o["data"]]


def test_runs_headless_without_errors(executed: tuple[Any, Path, float]) -> None:
    # (its speed is no test: the cells' own 120 s timeout bounds it)
    notebook, folder, _ = executed
    assert all(
        o.get("output_type") != "error" for c in notebook.cells for o in c.get("outputs", [])
    )
    assert (folder / "reports" / "quickstart.html").is_file()


def test_store_holds_the_spec_evidence_and_verdict(executed: tuple[Any, Path, float]) -> None:
    _, folder, _ = executed
    version = folder / "mlte_store/models/DigitsQuickstart/0.1.0"
    names = sorted(p.name for p in version.glob("*.json"))
    assert "default.spec.json" in names
    assert {"accuracy.value.json", "predicting memory.value.json"} <= set(names)
    verdict = json.loads((version / "default.validated_spec.json").read_text())
    kinds = [row["type"] for rows in verdict["body"]["results"].values() for row in rows.values()]
    assert kinds == ["Success", "Success"]


def test_each_widget_output_has_a_static_copy(executed: tuple[Any, Path, float]) -> None:
    notebook, _, _ = executed
    for magic, words in [
        ("%mlte_spec", "greater_or_equal_to(0.95)"),
        ("%mlte_validate", "2 Success"),
        ("%mlte_store", "DigitsQuickstart"),
    ]:
        cell = _cell(notebook, magic)
        assert any(WIDGET_VIEW in o.get("data", {}) for o in cell.outputs)
        static = _static_outputs(cell)
        assert static, magic
        assert words in static[0]["text/html"] + static[0]["text/plain"]
    assert "2 Success, 0 Failure, 0 Ignore" in output_text(_cell(notebook, "%mlte_validate"))


def convert(notebook: Any, folder: Path) -> str:
    """Write the executed notebook and convert it with the real ``jupyter nbconvert``."""
    path = folder / "executed.ipynb"
    nbformat.write(nbformat.from_dict(notebook), path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path.with_suffix(".html").read_text(encoding="utf-8")


def test_nbconvert_html_shows_the_validation_table(
    executed: tuple[Any, Path, float], tmp_path: Path
) -> None:
    notebook, _, _ = executed
    page = convert(notebook, tmp_path)
    assert '<script type="application/vnd.jupyter.widget-state+json"' in page
    page = re.sub(
        r"<script type=\"application/vnd\.jupyter\.widget-[^\"]*\".*?</script>",
        "",
        page,
        flags=re.S,
    )
    start = page.index("Validation</strong> <code>default.validated_spec</code>")
    table = page[start : page.index("</table>", start)]
    assert "<th>Requirement (property, rationale)</th>" in table
    assert "<code>accuracy</code>" in table
    assert 'class="mlte-badge mlte-Success"' in table
    assert "greater_or_equal_to(0.95)" in page  # the SpecEditor's static copy
    assert "<li><code>predicting time.value</code></li>" in page  # the StoreBrowser's copy
