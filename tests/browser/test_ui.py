"""The widgets in JupyterLab, driven by headless Chromium (Playwright, Debian's chromium).

Runs the quickstart notebook in a temporary copy of ``notebooks/``, adds a condition in the
SpecEditor and saves it, checks the spec file in the store, then revalidates in the
ValidationView and checks its counts. Screenshots go to ``tests/output/``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import ARGS, ensure_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).parents[2]
OUTPUT = ROOT / "tests" / "output"
GENERATED = ("mlte_store", "reports", "model", "media", ".ipynb_checkpoints", "__pycache__")
SPEC_FILE = Path("mlte_store/models/DigitsQuickstart/0.1.0/default.spec.json")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer {url} within {seconds} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Serve a temporary copy of notebooks/ with JupyterLab on 127.0.0.1; yield (url, folder)."""
    base = tmp_path_factory.mktemp("lab")
    folder = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder, ignore=shutil.ignore_patterns(*GENERATED))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={folder}", "--LabApp.news_url=",
    ]  # fmt: skip
    log = (base / "lab.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/api/status?token={token}", server)
        yield f"http://127.0.0.1:{port}/lab/tree/quickstart.ipynb?token={token}", folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _run_all(page: Any) -> None:
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    accept = page.locator(".jp-Dialog button.jp-mod-accept")
    try:
        accept.wait_for(timeout=5_000)
        accept.click()
    except Exception:  # no "Select Kernel" dialog this time
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.locator(".jp-Cell").first.click()
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")


def _dismiss_news(page: Any) -> None:
    """Answer JupyterLab's "Jupyter news?" toast so it does not cover the screenshots."""
    no = page.locator(".jp-Notification-Toast button:text-is('No'), .Toastify button:text-is('No')")
    if no.count():
        no.first.click()


def _add_condition(editor: Any) -> None:
    editor.locator(".mlte-property-name select").select_option("PredictingComputeCost")
    editor.locator(".mlte-rationale input").fill("Letters are read while the belt moves")
    editor.locator(".mlte-rationale input").press("Enter")
    editor.locator(".mlte-add-property button, button.mlte-add-property").first.click()
    condition_property = editor.locator(".mlte-condition-property select")
    condition_property.locator("option:text-is('PredictingComputeCost')").wait_for(state="attached")
    condition_property.select_option("PredictingComputeCost")
    editor.locator(".mlte-measurement input").fill("predicting time")
    editor.locator(".mlte-measurement input").press("Enter")
    editor.locator(".mlte-value-type select").select_option("Real")
    editor.locator(".mlte-builder select").select_option("less_than")
    editor.locator(".mlte-argument input").fill("5")
    editor.locator(".mlte-argument input").press("Enter")
    editor.locator("button.mlte-add-condition").click()
    editor.locator(".mlte-conditions option:has-text('predicting time')").wait_for(state="attached")
    editor.locator("button.mlte-save").click()
    editor.locator(".mlte-status:has-text('Saved')").wait_for()


def test_quickstart_widgets_in_jupyterlab(lab: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    url, folder = lab
    OUTPUT.mkdir(exist_ok=True)
    started = time.monotonic()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        _run_all(page)
        view = page.locator(".mlte-validation-view")
        view.locator(".mlte-filter button:has-text('Success (2)')").wait_for(timeout=120_000)
        store_browser = page.locator(".mlte-store-browser")
        store_browser.wait_for(timeout=60_000)
        before = json.loads((folder / SPEC_FILE).read_text())

        _dismiss_news(page)
        editor = page.locator(".mlte-spec-editor")
        editor.scroll_into_view_if_needed()
        _add_condition(editor)
        editor.screenshot(path=str(OUTPUT / "spec_editor.png"))

        view.locator("button.mlte-revalidate").click()
        view.locator(".mlte-filter button:has-text('Success (3)')").wait_for(timeout=30_000)
        summary = view.locator(".mlte-summary").inner_text()
        labels = view.locator(".mlte-filter button").all_inner_texts()
        view.screenshot(path=str(OUTPUT / "validation_view.png"))
        store_browser.scroll_into_view_if_needed()
        store_browser.screenshot(path=str(OUTPUT / "store_browser.png"))
        folded = page.locator("details.mlte-static").count()
        page.screenshot(path=str(OUTPUT / "quickstart_lab.png"))
        browser.close()
    print(f"browser part took {time.monotonic() - started:.1f} s")

    after = json.loads((folder / SPEC_FILE).read_text())
    props = {p["name"]: p for p in after["body"]["properties"]}
    added = props["PredictingComputeCost"]["conditions"]["predicting time"]
    assert (added["name"], added["arguments"]) == ("less_than", [5])
    assert props["PredictingComputeCost"]["rationale"] == "Letters are read while the belt moves"
    assert len(after["body"]["properties"]) == len(before["body"]["properties"]) + 1
    history = folder / SPEC_FILE.parent / ".history" / "default.spec"
    kept = [json.loads(path.read_text()) for path in sorted(history.glob("*.json"))]
    assert kept[-1]["body"] == before["body"]  # the notebook's spec is kept in history
    for words in ("3 Success", "0 Failure", "0 Ignore"):
        assert words in summary
    assert labels == ["All (3)", "Success (3)", "Failure (0)", "Ignore (0)"]
    assert folded >= 3  # each widget's static copy folded away under its live view


def test_nbconvert_html_of_the_executed_quickstart_shows_tables_offline(tmp_path: Path) -> None:
    """Where widget JavaScript cannot load (offline), the static copies still show."""
    import nbformat

    from tests.kernel import execute

    sync_api = pytest.importorskip("playwright.sync_api")
    shutil.copy(ROOT / "notebooks" / "quickstart.ipynb", tmp_path)
    executed = tmp_path / "executed.ipynb"
    nbformat.write(execute(tmp_path / "quickstart.ipynb", timeout=120), executed)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(executed)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    OUTPUT.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.goto(executed.with_suffix(".html").as_uri())
        page.wait_for_load_state("load")
        validation = page.locator("div.mlte:has-text('Validation default.validated_spec')").first
        validation.wait_for()
        text = validation.inner_text()
        validation.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / "quickstart_nbconvert_offline.png"))
        spec_rows = page.locator("div.mlte table:has(th:text-is('Unit')) tbody tr").count()
        browser.close()
    assert "2 Success" in text
    assert "accuracy" in text
    assert spec_rows >= 2  # the SpecEditor's static spec table
