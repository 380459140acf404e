"""Widgets in plain pytest: set values, click buttons, check the Spec and the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from IPython.display import display
from IPython.utils.capture import capture_output

from mlte_nb import Fairness, Image, MemoryStatistics, Real, Spec, TaskEfficacy, context
from mlte_nb.spec import spec_to_code
from mlte_nb.validate.stored import validate_stored
from mlte_nb.widgets import SpecEditor, StoreBrowser, ValidationView

SPEC_FILE = Path("models/OxfordFlower/0.0.1/default.spec.json")


def add_property(editor: SpecEditor, name: str, rationale: str, custom: str = "") -> None:
    editor.property_name.value = name
    editor.custom_name.value = custom
    editor.rationale.value = rationale
    editor.add_property_button.click()


def add_condition(
    editor: SpecEditor, prop: str, measurement: str, kind: str, name: str, *args: str
) -> None:
    form = editor.form
    form.property.value = prop
    form.measurement.value = measurement
    form.value_type.value = kind
    form.builder.value = name
    for field, text in zip(form.fields, args, strict=True):
        field.text.value = text
    form.add.click()


@pytest.fixture
def editor(store_dir: Path) -> SpecEditor:
    editor = SpecEditor()
    add_property(editor, "TaskEfficacy", "Visitors need the right name")
    return editor


class TestSpecEditor:
    def test_add_property_and_condition_builds_the_spec(self, editor: SpecEditor) -> None:
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", "0.9")
        assert editor.spec == Spec(
            properties={
                TaskEfficacy("Visitors need the right name"): {"accuracy": Real.greater_than(0.9)}
            }
        )
        assert "accuracy" in editor.table.value
        assert editor.form.measurement.value == ""  # the form is ready for the next one

    def test_the_unit_comes_from_the_evidence_in_the_store(self, store_dir: Path) -> None:
        """A condition on stored evidence gets its unit, so the two can be compared."""
        Real("predicting time", 0.2, unit="s").save(parents=True)
        editor = SpecEditor()
        add_property(editor, "PredictingComputeCost", "Fast enough")
        form = editor.form
        form.measurement.value = "predicting time"
        assert form.unit.value == "s"
        add_condition(editor, "PredictingComputeCost", "predicting time", "Real", "less_than", "5")
        [condition] = next(iter(editor.spec.properties.values())).values()
        assert condition == Real.less_than(5, unit="s")
        form.value_type.value = "MemoryStatistics"
        assert form.unit.value == "KiB"  # a new id: the value type's own unit

    def test_evidence_measured_after_the_editor_opened_is_found(self, editor: SpecEditor) -> None:
        Real("latency", 0.2, unit="s").save(parents=True)
        editor.form.measurement.value = "latency"
        assert editor.form.unit.value == "s"
        assert "latency" in editor.form.measurement.options

    def test_builders_offered_are_those_of_the_value_type(self, editor: SpecEditor) -> None:
        editor.form.value_type.value = "MemoryStatistics"
        assert set(editor.form.builder.options) == set(MemoryStatistics._builders) - set()
        editor.form.value_type.value = "String"
        assert set(editor.form.builder.options) == {"equal_to", "ignore"}
        assert [f.name for f in editor.form.fields] == ["expected"]

    @pytest.mark.parametrize("text", ["nan", "inf", "abc", ""])
    def test_bad_threshold_is_shown_next_to_its_field(self, editor: SpecEditor, text: str) -> None:
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", text)
        assert len(editor.spec) == 0
        assert "threshold" in editor.form.fields[0].error.value

    def test_empty_measurement_id_is_shown_next_to_the_id(self, editor: SpecEditor) -> None:
        add_condition(editor, "TaskEfficacy", "  ", "Real", "greater_than", "0.9")
        assert len(editor.spec) == 0
        assert "measurement id" in editor.form.measurement_error.value

    def test_duplicate_id_is_refused_next_to_the_id(self, editor: SpecEditor) -> None:
        add_property(editor, "Fairness", "All gardens")
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", "0.9")
        add_condition(editor, "Fairness", "accuracy", "Real", "greater_than", "0.5")
        assert len(editor.spec) == 1
        assert "already has a condition" in editor.form.measurement_error.value

    def test_custom_property_name_and_bad_names(self, editor: SpecEditor) -> None:
        add_property(editor, "(custom name)", "Answer fast", custom="Latency")
        assert [p.name for p in editor.spec.properties] == ["TaskEfficacy", "Latency"]
        add_property(editor, "(custom name)", "why", custom="two words")
        assert "one word" in editor.property_error.value
        add_property(editor, "Fairness", "  ")
        assert "rationale is empty" in editor.property_error.value
        assert len(editor.spec.properties) == 2

    def test_edit_changes_a_condition_and_remove_deletes_it(self, editor: SpecEditor) -> None:
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", "0.9")
        editor.conditions.value = ("TaskEfficacy", "accuracy")
        editor.edit_button.click()
        assert editor.form.fields[0].text.value == "0.9"
        assert editor.form.add.description == "Update condition"
        editor.form.measurement.value = "acc"
        editor.form.fields[0].text.value = "0.95"
        editor.form.add.click()
        conditions = editor.spec.properties[TaskEfficacy("Visitors need the right name")]
        assert conditions == {"acc": Real.greater_than(0.95)}
        editor.conditions.value = ("TaskEfficacy", "acc")
        editor.remove_button.click()
        assert len(editor.spec) == 0
        editor.remove_property_button.click()
        assert editor.spec.properties == {}

    def test_save_writes_the_spec_and_keeps_history(
        self, editor: SpecEditor, store_dir: Path
    ) -> None:
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", "0.9")
        editor.save_button.click()
        add_condition(editor, "TaskEfficacy", "size", "Integer", "less_than", "3000")
        editor.save_button.click()
        stored = json.loads((store_dir / SPEC_FILE).read_text())
        conditions = stored["body"]["properties"][0]["conditions"]
        assert conditions["size"]["arguments"] == [3000]
        assert conditions["accuracy"]["arguments"] == [0.9]
        assert Spec.load() == editor.spec
        assert "1 earlier versions kept in history" in editor.status.value
        _, _, store = context.get_context()
        assert len(store.history("OxfordFlower", "0.0.1", "default.spec")) == 1

    def test_save_without_context_shows_the_error(self) -> None:
        editor = SpecEditor()
        editor.save_button.click()
        assert "no MLTE context" in editor.status.value

    def test_code_view_rebuilds_the_spec(self, editor: SpecEditor) -> None:
        add_condition(editor, "TaskEfficacy", "accuracy", "Real", "greater_than", "0.9")
        namespace: dict[str, Any] = {}
        exec(editor.code.value, namespace)
        assert namespace["spec"] == editor.spec
        assert editor.code.value == spec_to_code(editor.spec)

    def test_ids_in_the_store_are_offered_with_their_type(self, store_dir: Path) -> None:
        Image("flower", b"\x89PNG\r\n\x1a\n" + b"0" * 16).save(parents=True)
        editor = SpecEditor()
        assert "flower" in editor.form.measurement.options
        editor.form.measurement.value = "flower"
        assert editor.form.value_type.value == "Image"
        assert editor.form.builder.options == ("ignore",)

    def test_opens_an_existing_spec(self, store_dir: Path) -> None:
        spec = Spec(properties={Fairness("f"): {"m": Real.less_than(1)}})
        editor = SpecEditor(spec)
        assert editor.conditions.options[0][1] == ("Fairness", "m")
        assert editor.form.property.value == "Fairness"


def _validated(store_dir: Path) -> Any:
    Spec(
        properties={
            TaskEfficacy("right names"): {
                "accuracy": Real.greater_than(0.9, unit="fraction"),
                "size": Real.less_than(10),
                "look": Real.ignore("check by hand"),
            }
        }
    ).save(parents=True)
    Real("accuracy", 0.95, unit="fraction").save()
    Real("look", 1.0).save()
    return validate_stored()


class TestValidationView:
    def test_counts_table_and_filters(self, store_dir: Path) -> None:
        view = ValidationView(_validated(store_dir))
        assert view.counts == {"Success": 1, "Failure": 1, "Ignore": 1}
        assert [label for label, _ in view.filter.options] == [
            "All (3)",
            "Success (1)",
            "Failure (1)",
            "Ignore (1)",
        ]
        assert view.table.value.count("<tr>") == 4  # head + 3 rows
        view.filter.value = "Failure"
        assert view.table.value.count("<tr>") == 2
        assert "size" in view.table.value
        assert "accuracy" not in view.table.value
        view.filter.value = "all"
        assert "0.95 fraction" in view.table.value

    def test_detail_pane_shows_evidence_and_provenance(self, store_dir: Path) -> None:
        view = ValidationView(_validated(store_dir))
        view.row.value = 0
        assert view.selected is not None
        assert view.selected.measurement_id == "accuracy"
        assert "0.95 fraction" in view.detail.value
        assert "right names" in view.detail.value
        view.filter.value = "Failure"
        assert "no evidence" in view.detail.value

    def test_detail_pane_draws_a_timeline_with_the_threshold(self, store_dir: Path) -> None:
        from mlte_nb import CPUStatistics, PredictingComputeCost

        spec = Spec(
            properties={
                PredictingComputeCost("small"): {
                    "cpu": CPUStatistics.max_utilization_less_than(30.0)
                }
            }
        )
        spec.save(parents=True)
        samples = [[0.1 * i, 20.0 + 10 * (i % 4)] for i in range(30)]
        CPUStatistics("cpu", avg=30.0, min=20.0, max=50.0, samples=samples).save()
        view = ValidationView(validate_stored())
        assert view.counts["Failure"] == 1
        assert '<img class="mlte-fig" src="data:image/png;base64,' in view.detail.value

    def test_revalidate_reads_new_evidence_from_the_store(self, store_dir: Path) -> None:
        view = ValidationView(_validated(store_dir))
        Real("size", 3.0).save()
        view.revalidate_button.click()
        assert view.counts == {"Success": 2, "Failure": 0, "Ignore": 1}
        assert "Success (2)" in [label for label, _ in view.filter.options]
        stored = json.loads(
            (store_dir / SPEC_FILE.with_name("default.validated_spec.json")).read_text()
        )
        assert stored["body"]["results"]["TaskEfficacy"]["size"]["type"] == "Success"

    def test_revalidate_error_is_shown_not_raised(self, store_dir: Path) -> None:
        view = ValidationView(_validated(store_dir))
        context.set_context("Other", "1")
        view.revalidate_button.click()
        assert "not revalidated" in view.status.value
        assert view.counts["Failure"] == 1


class TestStoreBrowser:
    def test_models_versions_artifacts_rendered_and_json(self, store_dir: Path) -> None:
        _validated(store_dir)
        browser = StoreBrowser()
        assert browser.model.value == "OxfordFlower"
        assert browser.version.value == "0.0.1"
        assert "default.spec" in browser.artifact.options
        browser.artifact.value = "accuracy.value"
        assert "0.95" in browser.rendered.value
        assert "&quot;artifact_type&quot;: &quot;value&quot;" in browser.json.value
        browser.artifact.value = "default.validated_spec"
        assert "Validation" in browser.rendered.value

    def test_refresh_sees_new_models(self, store_dir: Path) -> None:
        browser = StoreBrowser()
        assert browser.model.options == ()
        context.set_context("Digits", "2")
        Real("x", 1.0).save(parents=True)
        browser.refresh_button.click()
        assert browser.model.options == ("Digits",)
        assert browser.artifact.options == ("x.value",)


class TestStaticFallback:
    def test_display_adds_a_static_html_and_text_output(self, ip: Any, store_dir: Path) -> None:
        view = ValidationView(_validated(store_dir))
        with capture_output() as captured:
            display(view)
        widget, static = (output.data for output in captured.outputs)
        assert "application/vnd.jupyter.widget-view+json" in widget
        assert "<table>" in static["text/html"]
        assert "Success" in static["text/html"]
        assert static["text/plain"].startswith("ValidatedSpec")

    def test_static_copy_folds_when_a_live_view_shows_the_widget(
        self, ip: Any, store_dir: Path
    ) -> None:
        editor = SpecEditor()
        with capture_output() as captured:
            display(editor)
            editor._view_count = 1
        updated = captured.outputs[-1].data["text/html"]
        assert updated.startswith("<details")
        assert "Static copy" in updated
