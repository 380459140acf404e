"""The magics in a real IPython shell; each behaviour also checked through the core function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError

from mlte_nb import MultipleAccuracy, Real, Spec, TaskEfficacy, Value, context
from mlte_nb.magics import _remember_cell
from mlte_nb.measure.variable import record_value

VERSION_DIR = Path("mlte_store/models/OxfordFlower/0.0.1")


def _stored(name: str) -> dict[str, Any]:
    return json.loads((VERSION_DIR / f"{name}.value.json").read_text())


class TestLoadExtension:
    def test_loading_twice_registers_magics_and_hooks_once(self, ip: Any) -> None:
        ip.run_line_magic("load_ext", "mlte_nb")
        ip.run_line_magic("reload_ext", "mlte_nb")
        hooks = [f for f in ip.events.callbacks["pre_run_cell"] if f is _remember_cell]
        assert len(hooks) == 1
        assert len(context.provenance_hooks) == 1
        assert "mlte_measure" in ip.magics_manager.magics["cell"]


class TestContextMagic:
    def test_sets_context_and_default_store_beside_notebook(self, ip: Any, capsys: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        model, version, store = context.get_context()
        assert (model, version) == ("OxfordFlower", "0.0.1")
        assert store.uri.endswith("/mlte_store")
        assert "OxfordFlower" in capsys.readouterr().out

    def test_without_arguments_shows_the_context(self, ip: Any, capsys: Any) -> None:
        ip.run_line_magic("mlte_context", "")
        assert "no model/version set" in capsys.readouterr().out

    def test_store_option_opens_that_store(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "M 1 --store memory://magic-store")
        assert context.get_store().uri == "memory://magic-store"

    @pytest.mark.parametrize(
        ("line", "words"),
        [
            ("OnlyModel", "give both MODEL and VERSION"),
            ("M 1 --store ftp://x", "unknown scheme"),
            ("M 1 --bogus", "unrecognized arguments"),
        ],
    )
    def test_bad_arguments_are_one_line_usage_errors(self, ip: Any, line: str, words: str) -> None:
        with pytest.raises(UsageError, match=words):
            ip.run_line_magic("mlte_context", line)


class TestMeasureMagic:
    def _context(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")

    def test_records_a_variable_and_keeps_it_defined(self, ip: Any) -> None:
        self._context(ip)
        ip.run_cell_magic("mlte_measure", '"accuracy" --value acc --as Real', "acc = 0.25 + 0.5")
        assert ip.user_ns["acc"] == 0.75
        stored = _stored("accuracy")
        assert stored["body"]["value"] == {"value_type": "real", "real": 0.75}
        assert len(stored["body"]["provenance"]["cell"]["source_sha256"]) == 64
        ip.run_cell("later = acc * 2")
        assert ip.user_ns["later"] == 1.5

    def test_same_evidence_as_the_core_function(self, ip: Any) -> None:
        self._context(ip)
        ip.run_cell_magic(
            "mlte_measure", "gardens --value acc --as MultipleAccuracy", "acc = [0.91, 0.92]"
        )
        by_magic = Value.load("gardens")
        by_function = record_value("gardens", [0.91, 0.92], "MultipleAccuracy")
        assert isinstance(by_magic, MultipleAccuracy)
        assert by_magic == by_function

    def test_a_failing_cell_saves_nothing_and_shows_the_error(self, ip: Any, capsys: Any) -> None:
        self._context(ip)
        with pytest.raises(UsageError, match="the cell raised"):
            ip.run_cell_magic("mlte_measure", "broken --value acc", "acc = 1\n1 / 0")
        assert "ZeroDivisionError" in capsys.readouterr().out
        assert not (VERSION_DIR / "broken.value.json").exists()

    def test_existing_evidence_needs_force(self, ip: Any) -> None:
        self._context(ip)
        ip.run_cell_magic("mlte_measure", "x --value acc", "acc = 1.0")
        with pytest.raises(UsageError, match="already exists"):
            ip.run_cell_magic("mlte_measure", "x --value acc", "acc = 2.0")
        assert ip.user_ns["acc"] == 1.0  # refused before the cell ran
        ip.run_cell_magic("mlte_measure", "x --value acc --force", "acc = 2.0")
        assert Real.load("x").value == 2.0

    @pytest.mark.parametrize(
        ("line", "cell", "words"),
        [
            ("x", "a = 1", "say what to record"),
            ("x --as Real", "a = 1", "--as TYPE and --unit UNIT need --value"),
            ("x --unit s", "a = 1", "--as TYPE and --unit UNIT need --value"),
            ("x --value missing", "a = 1", "does not surely assign 'missing'"),
            ("x --value acc", "y = acc + 1", "does not surely assign 'acc'"),
            ("x --value acc --value n", "acc = 0.6\nn = 2", "one --value per cell"),
            ("x --value res.acc", "acc = 0.6", "takes a variable name, not 'res.acc'"),
            ("x --value acc --as Nope", "acc = 1", "unknown value type 'Nope'"),
            ("x --value acc", "acc = object()", "cannot tell what Value type"),
            ("x --nonsense", "a = 1", "unrecognized arguments"),
        ],
    )
    def test_bad_input_is_a_usage_error(self, ip: Any, line: str, cell: str, words: str) -> None:
        self._context(ip)
        with pytest.raises(UsageError, match=words):
            ip.run_cell_magic("mlte_measure", line, cell)

    @pytest.mark.parametrize(
        "cell",
        [
            "acc = acc",
            "acc += 0",
            "acc = 0.5 if False else acc",
            "acc, b = acc, 1",
            "acc = (lambda: acc)()",
            "import contextlib\nwith contextlib.nullcontext(acc) as acc:\n    pass",
            "%time acc = 0.5 if False else acc",
        ],
    )
    def test_a_value_computed_from_its_leftover_is_refused(self, ip: Any, cell: str) -> None:
        self._context(ip)
        ip.user_ns["acc"] = 0.99
        with pytest.raises(UsageError, match="computes 'acc' from the value it had before"):
            ip.run_cell_magic("mlte_measure", "leftover --value acc --as Real", cell)
        assert not (VERSION_DIR / "leftover.value.json").exists()

    @pytest.mark.parametrize(
        "cell",
        [
            "if False:\n    acc = 0.1",
            "try:\n    1 / 0\n    acc = 0.1\nexcept ZeroDivisionError:\n    pass",
            "def g():\n    acc = 0.01",
            "class K:\n    acc = 0.02",
            "[acc for acc in [0.03]]",
            "for acc in []:\n    pass",
        ],
    )
    def test_an_assignment_that_may_not_run_is_refused(self, ip: Any, cell: str) -> None:
        """A leftover ``acc`` from an earlier cell must never be recorded as this cell's."""
        self._context(ip)
        ip.user_ns["acc"] = 0.99
        with pytest.raises(UsageError, match="does not surely assign 'acc'"):
            ip.run_cell_magic("mlte_measure", "leftover --value acc --as Real", cell)
        assert not (VERSION_DIR / "leftover.value.json").exists()

    @pytest.mark.parametrize(
        "cell",
        [
            "acc = 0.5",
            "acc: float = 0.5",
            "x, (acc, y) = 1, (0.5, 2)",
            "import math\nacc = math.sqrt(0.25)",
            "%time acc = 0.5",
            "if True:\n    pass\nacc = 0.5",
            "acc = 0.25\nacc += 0.25",  # updated after this cell set it: fine
            "acc = 1.0\nacc = acc / 2",
        ],
    )
    def test_top_level_assignments_are_recorded(self, ip: Any, cell: str) -> None:
        self._context(ip)
        ip.run_cell_magic("mlte_measure", "top --value acc --as Real", cell)
        assert Real.load("top").value == 0.5

    def test_unit_gives_the_evidence_its_unit(self, ip: Any) -> None:
        self._context(ip)
        ip.run_cell_magic("mlte_measure", "latency --value t --as Real --unit s", "t = 0.2")
        value = Real.load("latency")
        assert value.unit == "s"
        assert Real.less_than(0.5, unit="s").evaluate(value).kind == "Success"

    def test_an_unknown_type_is_refused_before_the_cell_runs(self, ip: Any) -> None:
        self._context(ip)
        with pytest.raises(UsageError, match="unknown value type 'Nope'"):
            ip.run_cell_magic("mlte_measure", "x --value acc --as Nope", "acc = 1\nran = True")
        assert "ran" not in ip.user_ns

    def test_no_context_fails_before_running_the_cell(self, ip: Any) -> None:
        with pytest.raises(UsageError, match="no MLTE context"):
            ip.run_cell_magic("mlte_measure", "x --value ran", "ran = True")
        assert "ran" not in ip.user_ns


class TestValidateMagic:
    def test_validates_saves_and_displays(self, ip: Any, capsys: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.5)}}).save(parents=True)
        ip.run_cell_magic("mlte_measure", "acc --value acc", "acc = 0.75")
        ip.run_line_magic("mlte_validate", "")
        stored = json.loads((VERSION_DIR / "default.validated_spec.json").read_text())
        assert stored["body"]["results"]["TaskEfficacy"]["acc"]["type"] == "Success"
        assert "ValidatedSpec" in capsys.readouterr().out

    def test_missing_spec_is_a_usage_error(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "Nothing 0")
        with pytest.raises(UsageError, match="no Nothing 0"):
            ip.run_line_magic("mlte_validate", "")


class TestMeasureResources:
    def test_cpu_memory_time_of_the_cell_are_saved_with_units(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        cell = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
        ip.run_cell_magic("mlte_measure", "predicting --cpu --memory --time", cell)
        time_value = Real.load("predicting time")
        assert time_value.unit == "s"
        assert 0.25 < time_value.value < 5
        cpu = Value.load("predicting cpu")
        assert cpu.unit == "% of one core"
        assert 50 < cpu.max < 400  # type: ignore[attr-defined]
        memory = Value.load("predicting memory")
        assert memory.unit == "KiB"
        assert memory.max > 1000  # type: ignore[attr-defined]
        assert "end" in ip.user_ns  # the cell ran in the user namespace

    def test_a_cpu_threshold_in_percent_fails_for_a_busy_cell(self, ip: Any) -> None:
        from mlte_nb import CPUStatistics, PredictingComputeCost

        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        spec = Spec(
            properties={
                PredictingComputeCost("why"): {
                    "busy cpu": CPUStatistics.max_utilization_less_than(30.0)
                }
            }
        )
        spec.save(parents=True)
        cell = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
        ip.run_cell_magic("mlte_measure", "busy --cpu", cell)
        ip.run_line_magic("mlte_validate", "--quiet")
        stored = json.loads((VERSION_DIR / "default.validated_spec.json").read_text())
        assert stored["body"]["results"]["PredictingComputeCost"]["busy cpu"]["type"] == "Failure"


class TestDiffMagic:
    def test_compares_the_latest_validation_with_the_one_it_replaced(
        self, ip: Any, capsys: Any
    ) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.5)}}).save(parents=True)
        ip.run_cell_magic("mlte_measure", "acc --value acc", "acc = 0.75")
        ip.run_line_magic("mlte_validate", "--quiet")
        with pytest.raises(UsageError, match="nothing to compare"):
            ip.run_line_magic("mlte_diff", "")
        ip.run_cell_magic("mlte_measure", "acc --value acc --force", "acc = 0.25")
        ip.run_line_magic("mlte_validate", "--quiet")
        capsys.readouterr()
        ip.run_line_magic("mlte_diff", "")
        assert "Success -> Failure (flipped, evidence -0.5)" in capsys.readouterr().out


class TestMeasureRepeat:
    CELL = "import time\nend = time.process_time() + 0.05\nwhile time.process_time() < end: pass"

    def test_repeat_runs_warmup_then_n_and_saves_median_and_spread(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        ip.user_ns["runs"] = 0
        cell = "runs += 1\n" + self.CELL
        ip.run_cell_magic("mlte_measure", "rep --time --cpu --memory --repeat 3", cell)
        assert ip.user_ns["runs"] == 4  # a warm-up, then three measured runs
        stored = _stored("rep time")
        spread = stored["body"]["provenance"]["repeat"]
        assert spread["runs"] == 3
        assert len(spread["wall_s"]) == 3
        assert Real.load("rep time").value == pytest.approx(sorted(spread["wall_s"])[1], abs=1e-6)
        assert len(Value.load("rep cpu").data["avg_per_run"]) == 3  # type: ignore[attr-defined]

    def test_without_repeat_the_cell_runs_once(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        ip.user_ns["runs"] = 0
        ip.run_cell_magic("mlte_measure", "once --time", "runs += 1")
        assert ip.user_ns["runs"] == 1
        assert "repeat" not in _stored("once time")["body"]["provenance"]

    def test_same_evidence_shape_as_the_core_function(self, ip: Any) -> None:
        from mlte_nb.measure import measure_runs

        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        ip.run_cell_magic("mlte_measure", "m --time --cpu --repeat 2", "x = 1")
        by_function = measure_runs(lambda: True, "m", repeat=2, memory=False)
        by_magic = [Value.load("m time"), Value.load("m cpu")]
        for magic, function in zip(by_magic, by_function, strict=True):
            assert type(magic) is type(function)
            assert set(magic.provenance["repeat"]) == set(function.provenance["repeat"])

    @pytest.mark.parametrize(("repeat", "words"), [("0", "at least 1"), ("x", "invalid int")])
    def test_bad_repeat_is_a_usage_error(self, ip: Any, repeat: str, words: str) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        with pytest.raises(UsageError, match=words):
            ip.run_cell_magic("mlte_measure", f"x --time --repeat {repeat}", "a = 1")

    def test_a_run_that_raises_saves_nothing(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        ip.user_ns["runs"] = 0
        cell = "runs += 1\nif runs == 3: 1 / 0"
        with pytest.raises(UsageError, match="the cell raised"):
            ip.run_cell_magic("mlte_measure", "flaky --time --repeat 3", cell)
        assert not (VERSION_DIR / "flaky time.value.json").exists()


class TestWidgetMagics:
    """%mlte_spec, %mlte_store and %mlte_validate show widgets plus a static copy."""

    def _shown(self, ip: Any, magic: str, line: str = "") -> list[dict[str, Any]]:
        from IPython.utils.capture import capture_output

        with capture_output() as captured:
            ip.run_line_magic(magic, line)
        return [output.data for output in captured.outputs]

    def test_spec_opens_the_editor_on_the_stored_spec(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.5)}}).save(parents=True)
        widget, static = self._shown(ip, "mlte_spec")
        assert "application/vnd.jupyter.widget-view+json" in widget
        assert "greater_than(0.5)" in static["text/html"]

    def test_spec_opens_a_new_spec_when_none_is_stored(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        _, static = self._shown(ip, "mlte_spec", "--spec draft")
        assert "draft.spec" in static["text/plain"]

    def test_store_opens_the_browser(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        Real("acc", 0.5).save(parents=True)
        _, static = self._shown(ip, "mlte_store")
        assert "acc.value" in static["text/plain"]

    def test_validate_shows_the_validation_view(self, ip: Any) -> None:
        ip.run_line_magic("mlte_context", "OxfordFlower 0.0.1")
        Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.5)}}).save(parents=True)
        Real("acc", 0.75).save()
        widget, static = self._shown(ip, "mlte_validate")
        assert "application/vnd.jupyter.widget-view+json" in widget
        assert "1 Success" in static["text/plain"]
