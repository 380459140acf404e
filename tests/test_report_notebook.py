"""Notebook export: static outputs, no widget placeholders or CDN scripts, the report appended."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from mlte_nb.cli import EXIT_PASS, main
from mlte_nb.report.notebook import WIDGET_VIEW, notebook_html, static_notebook


def _widget_notebook(path: Path) -> Path:
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    outputs = [
        nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: view, "text/html": "<b>static table</b>"}
        ),
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: view}),
    ]
    cell = nbformat.v4.new_code_cell("%mlte_validate", outputs=outputs)
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    nbformat.write(notebook, path)
    return path


def test_widget_views_give_way_to_their_static_html(tmp_path: Path) -> None:
    notebook = nbformat.read(_widget_notebook(tmp_path / "w.ipynb"), as_version=4)
    static = static_notebook(notebook)
    assert "widgets" not in static.metadata
    first, second = static.cells[0].outputs
    assert first.data == {"text/html": "<b>static table</b>"}
    assert "interactive widget" in second.data["text/plain"]
    assert WIDGET_VIEW in notebook.cells[0].outputs[0].data  # the original is untouched


def test_page_has_no_cdn_script_and_ends_with_the_report(tmp_path: Path) -> None:
    html = notebook_html(_widget_notebook(tmp_path / "w.ipynb"), report_html="<p>REPORT</p>")
    assert "<b>static table</b>" in html
    assert "https://cdn" not in html
    assert 'src=""' not in html
    assert html.index("static table") < html.index("REPORT")
    assert "Error displaying widget" not in html


@pytest.mark.slow
def test_export_command_appends_the_stored_report(tmp_path: Path, capsys: Any) -> None:
    from tests.kernel import make_notebook

    notebook = make_notebook(
        tmp_path / "nb.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1",
        "from mlte_nb import Spec, Real\nfrom mlte_nb.spec import TaskEfficacy\n"
        "Spec(properties={TaskEfficacy('w'): {'acc': Real.less_than(1)}}).save(parents=True)",
        "%%mlte_measure acc --value acc\nacc = 0.5",
        "%mlte_validate",
    )
    executed = tmp_path / "executed.ipynb"
    main(["run", str(notebook), "--output", str(executed)])
    out = tmp_path / "page.html"
    assert main(["export", str(executed), "--html", str(out)]) == EXIT_PASS
    page = out.read_text()
    assert 'id="mlte-report"' in page
    assert "Verdict: the model passes its spec" in page
