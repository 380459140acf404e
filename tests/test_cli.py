"""The mlte-nb command line: headless runs with exit codes, and validating a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mlte_nb.cli import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, main
from tests.kernel import make_notebook

pytestmark = pytest.mark.slow

SPEC_CELL = """
from mlte_nb import Spec, Real
from mlte_nb.spec import TaskEfficacy
Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_or_equal_to(0.9)}}).save(parents=True)
"""


def _notebook(folder: Path, accuracy: float, extra: str = "1") -> Path:
    return make_notebook(
        folder / "nb.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1",
        SPEC_CELL,
        f"%%mlte_measure acc --value acc\nacc = {accuracy}",
        extra,
        "%mlte_validate",
    )


def test_run_exits_0_when_every_condition_passes(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "out" / "executed.ipynb"
    assert main(["run", str(_notebook(tmp_path, 0.95)), "--output", str(out)]) == EXIT_PASS
    printed = capsys.readouterr().out
    assert " > Measurement: acc, result: Success" in printed
    assert out.is_file()


def test_run_exits_1_when_a_condition_fails(tmp_path: Path, capsys: Any) -> None:
    report = tmp_path / "report.html"
    code = main(["run", str(_notebook(tmp_path, 0.5)), "--report", str(report)])
    assert code == EXIT_FAIL
    assert "result: Failure" in capsys.readouterr().out
    assert "Failure" in report.read_text()


def test_run_exits_2_and_names_the_cell_that_raised(tmp_path: Path, capsys: Any) -> None:
    notebook = _notebook(tmp_path, 0.95, extra="raise RuntimeError('model file missing')")
    assert main(["run", str(notebook)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "cell 4" in err
    assert "RuntimeError" in err
    assert "model file missing" in err


def test_validate_command_reads_a_store(tmp_path: Path, capsys: Any) -> None:
    main(["run", str(_notebook(tmp_path, 0.5))])
    store = f"local://{tmp_path / 'mlte_store'}"
    assert main(["validate", "Demo", "1", "--store", store]) == EXIT_FAIL
    assert "Property: TaskEfficacy" in capsys.readouterr().out


def test_validate_unknown_model_is_a_clear_error(tmp_path: Path, capsys: Any) -> None:
    assert main(["validate", "Nope", "1", "--store", f"local://{tmp_path}"]) == EXIT_ERROR
    assert "Nope" in capsys.readouterr().err
