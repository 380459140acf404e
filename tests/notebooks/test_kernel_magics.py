"""The magics through a real kernel, as a notebook runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nbclient.exceptions import CellExecutionError

from tests.kernel import execute, make_notebook, output_text

pytestmark = pytest.mark.slow


def test_magics_in_a_kernel(tmp_path: Path) -> None:
    notebook = make_notebook(
        tmp_path / "magics.ipynb",
        "%load_ext mlte_nb\n%load_ext mlte_nb",
        "%mlte_context OxfordFlower 0.0.1",
        "%%mlte_measure accuracy --value acc --as Real\nacc = 0.5 + 0.25",
        "print('twice', acc * 2)",
        "%%mlte_measure broken --value b\nb = 1\nraise KeyError('boom')",
        "%mlte_context OnlyModel",
        "%%mlte_measure timing --time --cpu --memory\nsum(range(10**6))",
    )
    cells = execute(notebook, allow_errors=True).cells
    assert "model OxfordFlower, version 0.0.1" in output_text(cells[1])
    assert "saved: 'accuracy'" in output_text(cells[2])
    assert "twice 1.5" in output_text(cells[3])
    broken = output_text(cells[4])
    assert "KeyError" in broken
    assert "boom" in broken
    assert "no evidence was saved for 'broken'" in broken
    assert "give both MODEL and VERSION" in output_text(cells[5])
    assert "Traceback" not in output_text(cells[5])
    store = tmp_path / "mlte_store/models/OxfordFlower/0.0.1"
    assert sorted(p.name for p in store.glob("*.json")) == [
        "accuracy.value.json",
        "timing cpu.value.json",
        "timing memory.value.json",
        "timing time.value.json",
    ]
    stored = json.loads((store / "accuracy.value.json").read_text())
    cell = stored["body"]["provenance"]["cell"]
    assert cell["execution_count"] == 3
    assert len(cell["source_sha256"]) == 64


def test_a_failing_measured_cell_stops_the_notebook(tmp_path: Path) -> None:
    notebook = make_notebook(
        tmp_path / "fails.ipynb",
        "%load_ext mlte_nb\n%mlte_context M 1",
        "%%mlte_measure x --value x\nx = 1 / 0",
        "print('not reached')",
    )
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(notebook)
    assert not (tmp_path / "mlte_store/models/M/1/x.value.json").exists()
