"""The example notebook, executed headless on the real data: store contents and verdicts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mlte_nb.cli import EXIT_FAIL, main

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
SHIPPED = ["garden_buddy.ipynb", "garden.py", "model_predict.py", "data/garden"]
EXPECTED = {
    "accuracy across gardens": "Success",
    "ranksums blur2x8": "Success",
    "ranksums blur5x8": "Failure",
    "ranksums blur0x8": "Failure",
    "ranksums noR": "Failure",
    "ranksums noG": "Failure",
    "ranksums noB": "Failure",
    "multiple ranksums for clade2": "Success",
    "multiple ranksums between clade2 and 3": "Success",
    "model size": "Failure",
    "predicting memory": "Success",
    "image attributions": "Ignore",
}


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"bare {constant} in JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    folder = tmp_path_factory.mktemp("garden")
    for name in SHIPPED:
        source = NOTEBOOKS / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    code = main(
        [
            "run",
            str(folder / "garden_buddy.ipynb"),
            "--output",
            str(folder / "out.ipynb"),
            "--junit",
            str(folder / "out.xml"),
            "--report",
            str(folder / "out.html"),
        ]
    )
    return folder, code, ""


def _artifacts(folder: Path) -> dict[str, Any]:
    version = folder / "mlte_store/models/OxfordFlower/0.0.1"
    return {p.name: _strict(p.read_text()) for p in version.glob("*.json")}


def test_notebook_fails_honestly_and_writes_the_report(executed: tuple[Path, int, str]) -> None:
    folder, code, _ = executed
    assert code == EXIT_FAIL  # strong blur, channel loss, model size, CPU budget fail
    html = (folder / "reports/garden_buddy.html").read_text()
    assert "<script" not in html
    assert "ranksums blur0x8" in html


def test_store_holds_spec_values_validation_and_report(executed: tuple[Path, int, str]) -> None:
    artifacts = _artifacts(executed[0])
    spec = artifacts["default.spec.json"]["body"]
    needed = {mid for prop in spec["properties"] for mid in prop["conditions"]}
    values = {
        name.removesuffix(".value.json") for name in artifacts if name.endswith(".value.json")
    }
    assert needed == values
    assert {"default.validated_spec.json", "default.report.json"} <= set(artifacts)
    text = json.dumps(artifacts)
    assert "callback" not in text
    assert "gASV" not in text


def test_verdicts_are_the_honest_ones(executed: tuple[Path, int, str]) -> None:
    results = _artifacts(executed[0])["default.validated_spec.json"]["body"]["results"]
    found = {mid: row["type"] for rows in results.values() for mid, row in rows.items()}
    for measurement_id, kind in EXPECTED.items():
        assert found[measurement_id] == kind, measurement_id
    assert found["predicting cpu"] in {"Success", "Failure"}


def test_garden_accuracies_and_clade_comparisons(executed: tuple[Path, int, str]) -> None:
    artifacts = _artifacts(executed[0])
    accuracies = artifacts["accuracy across gardens.value.json"]["body"]["value"]["data"]
    assert len(accuracies) == 3
    assert all(0.89 <= a <= 0.95 for a in accuracies)
    for name in ["multiple ranksums for clade2", "multiple ranksums between clade2 and 3"]:
        data = artifacts[f"{name}.value.json"]["body"]["value"]["data"]
        assert len(data["array"]) > 0
        assert data["num_pops"] >= 2
        assert not any("nan" in key.lower() for item in data["array"] for key in item)


def test_cpu_and_memory_come_from_one_run_with_timelines(executed: tuple[Path, int, str]) -> None:
    artifacts = _artifacts(executed[0])
    cpu = artifacts["predicting cpu.value.json"]["body"]
    memory = artifacts["predicting memory.value.json"]["body"]
    assert cpu["unit"] == "% of one core"
    assert memory["unit"] == "KiB"
    assert cpu["value"]["data"]["samples"]
    assert memory["value"]["data"]["samples"]
    assert cpu["provenance"]["command"] == memory["provenance"]["command"]
    assert cpu["provenance"].get("pid") == memory["provenance"].get("pid")


def test_junit_lists_the_blur_and_channel_loss_failures(executed: tuple[Path, int, str]) -> None:
    import xml.etree.ElementTree as ET

    suite = ET.parse(executed[0] / "out.xml").getroot().find("testsuite")
    assert suite is not None
    failed = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
    expected = {f"ranksums {name}" for name in ["blur5x8", "blur0x8", "noR", "noG", "noB"]}
    assert expected <= failed
    assert "ranksums blur2x8" not in failed
    assert "Verdict: the model does not pass its spec" in (executed[0] / "out.html").read_text()
