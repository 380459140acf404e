"""Dependency direction: the core never imports IPython or ipywidgets; heavy imports stay lazy."""

from __future__ import annotations

import json
import subprocess
import sys

NOT_CORE = ("mlte_nb.magics", "mlte_nb.widgets", "mlte_nb.cli")


def run(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


CORE_IMPORT = f"""
import importlib, json, pkgutil, sys
import mlte_nb
skip = {NOT_CORE!r}
imported = []
for info in pkgutil.walk_packages(mlte_nb.__path__, "mlte_nb."):
    name = info.name
    if any(name == s or name.startswith(s + ".") for s in skip):
        continue
    importlib.import_module(name)
    imported.append(name)
print(json.dumps({{
    "imported": imported,
    "ui": sorted(m for m in sys.modules if m.split(".")[0] in ("IPython", "ipywidgets")),
}}))
"""


class TestCoreLayering:
    def test_core_modules_import_neither_ipython_nor_ipywidgets(self) -> None:
        found = run(CORE_IMPORT)
        imported = found["imported"]
        assert isinstance(imported, list)
        for required in (
            "mlte_nb.errors",
            "mlte_nb.context",
            "mlte_nb.artifact",
            "mlte_nb.store",
            "mlte_nb.values",
            "mlte_nb.spec",
            "mlte_nb.measure",
            "mlte_nb.measure.external",
            "mlte_nb.measure.variable",
            "mlte_nb.validate",
        ):
            assert required in imported
        assert found["ui"] == []

    def test_walk_covers_subpackages_of_report_render_and_stats_when_present(self) -> None:
        import importlib.util

        imported = run(CORE_IMPORT)["imported"]
        assert isinstance(imported, list)
        for package in ("mlte_nb.report", "mlte_nb.render", "mlte_nb.stats"):
            if importlib.util.find_spec(package) is not None:
                assert package in imported

    def test_import_mlte_nb_is_light(self) -> None:
        found = run(
            "import json, sys, mlte_nb\n"
            "heavy = ('pandas', 'scipy', 'matplotlib', 'IPython', 'ipywidgets')\n"
            "found = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
            "print(json.dumps({'heavy': found}))"
        )
        assert found["heavy"] == []

    def test_load_ipython_extension_defers_the_magics_import(self) -> None:
        found = run(
            "import json, sys, mlte_nb\n"
            "print(json.dumps({'magics': 'mlte_nb.magics' in sys.modules}))"
        )
        assert found["magics"] is False
