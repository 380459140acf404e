"""The exported HTML report in headless Chromium: it loads nothing external and shows the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlte_nb import (
    CPUStatistics,
    Image,
    Interpretability,
    PredictingComputeCost,
    Real,
    Report,
    Spec,
    SpecValidator,
    TaskEfficacy,
    context,
    export_report,
)
from tests.browser.chromium import ARGS, ensure_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUTPUT = Path(__file__).parents[1] / "output"
FLOWER = Path(__file__).parents[2] / "notebooks/data/garden/flower3.jpg"


def _report(folder: Path) -> Path:
    context.set_store(f"local://{folder / 'store'}")
    context.set_context("Garden", "1")
    spec = Spec(
        properties={
            TaskEfficacy("Visitors need right names"): {"acc": Real.greater_than(0.9)},
            PredictingComputeCost("Small device"): {
                "cpu": CPUStatistics.max_utilization_less_than(30.0)
            },
            Interpretability("Show why"): {"img": Image.ignore("Inspect the image.")},
        }
    )
    spec.save(parents=True)
    samples = [[0.1 * i, 20.0 + 10 * (i % 4)] for i in range(30)]
    values = [
        Real("acc", 0.93, unit="fraction"),
        CPUStatistics("cpu", avg=30.0, min=20.0, max=50.0, samples=samples),
        Image("img", FLOWER),
    ]
    validated = SpecValidator(spec).add_values(values).validate()
    for value in values:
        value.save()
    validated.save()
    report = Report(validated_spec_id=validated.identifier).save()
    path = folder / "report.html"
    export_report(report, path)
    return path


def test_report_loads_no_external_resource_and_shows_the_table(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = _report(tmp_path)
    OUTPUT.mkdir(exist_ok=True)
    requested: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        table_text = page.inner_text("table >> nth=-1")
        page.screenshot(path=str(OUTPUT / "report.png"), full_page=True)
        images = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        browser.close()
    external = [url for url in requested if not url.startswith(("file:", "data:"))]
    assert external == []
    assert all(width > 0 for width in images)  # inline images decoded
    html = page_file.read_text()
    assert "<script" not in html
    assert "FAILURE" in html.upper()
    assert "acc" in html
    assert table_text
