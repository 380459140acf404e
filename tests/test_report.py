"""Report, its descriptors (the seed's names and spellings) and report export."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mlte_nb
from mlte_nb import CPUStatistics, PredictingComputeCost, Real, Spec, SpecValidator, TaskEfficacy
from mlte_nb.context import reset_context
from mlte_nb.errors import ArtifactFormatError, ReportError
from mlte_nb.report import (
    CommentDescriptor,
    DataClassification,
    DataDescriptor,
    FieldDescriptor,
    GoalDescriptor,
    IntendedUseDescriptor,
    LabelDescriptor,
    MetricDescriptor,
    ModelInputDescriptor,
    ModelInterfaceDescriptor,
    ModelOutputDescriptor,
    ModelProductionDescriptor,
    ModelResourcesDescriptor,
    PerformanceDesciptor,
    ProblemType,
    QuantitiveAnalysisDescriptor,
    Report,
    RiskDescriptor,
    SummaryDescriptor,
    export_report,
    load_or_default,
)
from mlte_nb.validate import ValidatedSpec

FIXTURE = Path("/work/shared/fixtures/mlte-0.2.10-store/models/OxfordFlower/0.0.1")
SOURCE = "https://www.robots.ox.ac.uk/~vgg/data/flowers/102/"


@pytest.fixture(autouse=True)
def _context() -> Iterator[None]:
    reset_context()
    yield
    reset_context()


@pytest.fixture
def memory(request: pytest.FixtureRequest) -> None:
    mlte_nb.set_context("OxfordFlower", "0.0.1")
    mlte_nb.set_store(f"memory://test-report-{request.node.name}")


def seed_report(validated_spec_id: str | None = "default.validated_spec") -> Report:
    """The report of the MLTE guide's section 5, keyword for keyword."""
    return Report(
        summary=SummaryDescriptor(
            problem_type=ProblemType.CLASSIFICATION, task="Flower classification"
        ),
        performance=PerformanceDesciptor(
            goals=[
                GoalDescriptor(
                    description="The model should perform well.",
                    metrics=[
                        MetricDescriptor(
                            description="accuracy",
                            baseline="Better than random chance.",
                        )
                    ],
                )
            ]
        ),
        intended_use=IntendedUseDescriptor(
            usage_context="A handheld flower identification device.",
            production_requirements=ModelProductionDescriptor(
                deployment_platform="local server",
                capability_deployment_mechanism="API",
                interface=ModelInterfaceDescriptor(
                    input=ModelInputDescriptor(description="Vector[150]"),
                    output=ModelOutputDescriptor(description="Vector[3]"),
                ),
                resources=ModelResourcesDescriptor(cpu="1", gpu="0", memory="6MiB", storage="2KiB"),
            ),
        ),
        risks=RiskDescriptor(
            fp="The wrong type of flower is identified.",
            fn="The flower is not identified.",
            other="N/A",
        ),
        data=[
            DataDescriptor(
                description="Flower dataset.",
                classification=DataClassification.UNCLASSIFIED,
                access="None",
                labeling_method="by hand",
                fields=[
                    FieldDescriptor(
                        name="Sepal length",
                        description="The length of the sepal.",
                        type="float",
                        expected_values="N/A",
                        missing_values="N/A",
                        special_values="N/A",
                    )
                ],
                labels=[
                    LabelDescriptor(description="Dahlia", percentage=30.0),
                    LabelDescriptor(description="Sunflower", percentage=30.0),
                    LabelDescriptor(description="Azalea", percentage=40.0),
                ],
                policies="N/A",
                rights="N/A",
                source=SOURCE,
            )
        ],
        comments=[
            CommentDescriptor(content="This model should not be used for nefarious purposes.")
        ],
        quantitative_analysis=QuantitiveAnalysisDescriptor(content="Insert graph here."),
        validated_spec_id=validated_spec_id,
    )


def save_validation() -> ValidatedSpec:
    """Save a spec, its evidence (one piece missing) and the validated spec; return it."""
    spec = Spec(
        properties={
            TaskEfficacy("accuracy <matters>"): {"accuracy": Real.greater_or_equal_to(0.9)},
            PredictingComputeCost("one core"): {
                "predicting cpu": CPUStatistics.max_utilization_less_than(50),
                "never measured": Real.less_than(1),
            },
        }
    )
    spec.save(parents=True)
    Real("accuracy", 0.93).save()
    samples = [[i * 0.1, 20 + 10 * math.sin(i)] for i in range(40)]
    CPUStatistics(
        "predicting cpu", {"avg": 20.0, "min": 10.0, "max": 30.0, "samples": samples}
    ).save()
    validated = SpecValidator(spec).add_values(mlte_nb.Value.load_all()).validate()
    return validated.save()


class TestDescriptors:
    def test_enums_store_lowercase_values(self) -> None:
        assert ProblemType.CONTENT_GENERATION.value == "content_generation"
        assert [p.value for p in ProblemType][-1] == "other"
        assert DataClassification.UNCLASSIFIED.value == "unclassified"

    def test_defaults_are_none_or_empty(self) -> None:
        assert DataDescriptor().to_json()["labels"] == []
        assert ModelInputDescriptor().to_json() == {"name": None, "description": None, "type": None}
        assert PerformanceDesciptor().validated_spec_id is None

    def test_round_trip_and_unknown_keys_are_ignored(self) -> None:
        data = seed_report().data[0]
        stored = {**data.to_json(), "added_in_a_later_version": 1}
        assert DataDescriptor.from_json(stored) == data

    def test_unknown_enum_value_names_the_field_and_choices(self) -> None:
        with pytest.raises(ArtifactFormatError, match=r"SummaryDescriptor.problem_type is 'magic'"):
            SummaryDescriptor.from_json({"problem_type": "magic"})


class TestReport:
    def test_validated_spec_id_is_stored_inside_performance(self) -> None:
        body = seed_report().to_body()
        assert body["performance"]["validated_spec_id"] == "default.validated_spec"
        assert "validated_spec_id" not in body

    def test_keyword_wins_over_performance(self) -> None:
        report = Report(
            performance=PerformanceDesciptor(validated_spec_id="a.validated_spec"),
            validated_spec_id="b.validated_spec",
        )
        assert report.validated_spec_id == "b.validated_spec"
        assert report.performance.validated_spec_id == "b.validated_spec"

    def test_document_round_trip(self) -> None:
        report = seed_report()
        document = report.to_document()
        assert document["header"]["identifier"] == "default.report"
        assert document["body"]["artifact_type"] == "report"
        assert Report.from_document(json.loads(json.dumps(document))) == report

    def test_body_has_the_reference_shape(self) -> None:
        fixture = json.loads((FIXTURE / "default.report.json").read_text())["body"]
        body = seed_report().to_body()
        assert set(body) | {"artifact_type"} == set(fixture)
        assert list(body["data"][0]) == list(fixture["data"][0])
        assert body["intended_use"] == fixture["intended_use"]

    def test_fixture_report_loads(self) -> None:
        document = json.loads((FIXTURE / "default.report.json").read_text())
        report = Report.from_document(document)
        assert report.identifier == "default.report"
        assert report.summary.problem_type is ProblemType.CLASSIFICATION
        assert report.validated_spec_id == "default.validated_spec"
        assert report.data[0].classification is DataClassification.UNCLASSIFIED
        assert report.data[0].labels[0].percentage == 30.0
        expected = {k: v for k, v in document["body"].items() if k != "artifact_type"}
        assert report.to_body() == expected

    def test_top_level_validated_spec_id_is_accepted(self) -> None:
        document = seed_report(None).to_document()
        document["body"]["validated_spec_id"] = "old.validated_spec"
        assert Report.from_document(document).validated_spec_id == "old.validated_spec"

    @pytest.mark.usefixtures("memory")
    def test_memory_store_round_trip(self) -> None:
        save_validation()
        report = seed_report()
        report.save(force=True, parents=True)
        assert Report.load() == report
        assert Report.load("default") == report

    @pytest.mark.usefixtures("memory")
    def test_missing_validated_spec_is_a_report_error(self) -> None:
        report = seed_report("nowhere.validated_spec")
        with pytest.raises(ReportError) as info:
            report.save(parents=True)
        message = str(info.value)
        assert "'nowhere.validated_spec'" in message
        assert "known validated specs: []" in message
        assert "validated.save()" in message
        with pytest.raises(mlte_nb.errors.ArtifactNotFoundError):
            Report.load()

    @pytest.mark.usefixtures("memory")
    def test_report_without_validation_saves(self) -> None:
        Report(summary=SummaryDescriptor(task="t")).save(parents=True)
        assert Report.load().summary.task == "t"

    @pytest.mark.usefixtures("memory")
    def test_load_or_default_names_the_stored_validation(self) -> None:
        save_validation()
        assert load_or_default().validated_spec_id == "default.validated_spec"
        seed_report().save()
        assert load_or_default() == seed_report()

    @pytest.mark.usefixtures("memory")
    def test_notebook_display_includes_the_validation(self) -> None:
        save_validation()
        bundle = seed_report()._repr_mimebundle_()
        assert '<span class="mlte-badge mlte-Failure">1 Failure</span>' in bundle["text/html"]
        assert "Flower classification" in bundle["text/plain"]

    def test_notebook_display_without_context_says_what_is_missing(self) -> None:
        markup = seed_report()._repr_mimebundle_()["text/html"]
        assert "could not be loaded" in markup
        assert seed_report()._repr_html_() == markup


def _assert_self_contained(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert "href=" not in markup.lower()
    assert not re.search(r"src=\"(?!data:)", markup)
    assert not re.search(r"url\(", markup)
    assert "@import" not in markup


@pytest.mark.usefixtures("memory")
class TestExportReport:
    def test_html_is_one_self_contained_page(self, tmp_path: Path) -> None:
        save_validation()
        path = tmp_path / "reports" / "garden.html"
        text = export_report(seed_report(), path)
        assert path.read_text(encoding="utf-8") == text
        assert text.startswith("<!DOCTYPE html>")
        _assert_self_contained(text)
        assert f"<dd>{SOURCE}</dd>" in text
        sections = ["Verdict: the model does not pass its spec", "Summary", "Intended use"]
        sections += ["Risks", "Data", "Goals", "Validation"]
        positions = [text.index(f"<h3>{name}</h3>") for name in sections]
        assert positions == sorted(positions)
        assert "accuracy &lt;matters&gt;" in text
        assert "<strong>Missing evidence (1):</strong>" in text
        assert text.count('src="data:image/png;base64,') == 1  # the CPU timeline
        assert "@media print" in text
        assert [p.name for p in path.parent.iterdir()] == ["garden.html"]

    def test_html_is_deterministic(self) -> None:
        save_validation()
        assert export_report(seed_report()) == export_report(seed_report())

    def test_markdown(self, tmp_path: Path) -> None:
        validated = save_validation()
        text = export_report(seed_report(), tmp_path / "r.md", validated=validated)
        assert text.startswith("# MLTE report: Flower classification")
        assert "accuracy &lt;matters&gt;" in text
        rows = [line for line in text.splitlines() if line.startswith("| ")]
        assert len(rows) == 1 + 3  # header and one row per condition
        assert all(len(re.split(r"(?<!\\)\|", row)) == 7 for row in rows)  # five cells each
        assert "**FAILURE** no evidence" in text
        assert "**missing: no value was saved**" in text
        assert "![predicting cpu](data:image/png;base64," in text

    def test_json_is_strict_and_holds_both_artifacts(self, tmp_path: Path) -> None:
        save_validation()
        path = tmp_path / "r.json"
        export_report(seed_report(), path, format="json")

        def no_constants(name: str) -> Any:
            raise AssertionError(name)

        data = json.loads(path.read_text(), parse_constant=no_constants)
        assert data["report"]["performance"]["validated_spec_id"] == "default.validated_spec"
        assert data["validated_spec"]["identifier"] == "default.validated_spec"
        assert (
            Report.from_document({"header": data["report"], "body": data["report"]})
            == seed_report()
        )

    def test_format_follows_the_suffix(self, tmp_path: Path) -> None:
        save_validation()
        assert export_report(seed_report(), tmp_path / "r.json").startswith("{")
        assert export_report(seed_report(), tmp_path / "r.md").startswith("# ")

    def test_unknown_format_lists_the_choices(self) -> None:
        with pytest.raises(ReportError, match=r"choose one of \['html', 'markdown', 'json'\]"):
            export_report(seed_report(None), format="pdf")

    def test_missing_validated_spec_is_a_report_error(self) -> None:
        with pytest.raises(ReportError, match=r"'default\.validated_spec' is not in the store"):
            export_report(seed_report())

    def test_fixture_report_exports_with_its_validated_spec(self, tmp_path: Path) -> None:
        report = Report.from_document(json.loads((FIXTURE / "default.report.json").read_text()))
        validated = ValidatedSpec.from_document(
            json.loads((FIXTURE / "default.validated_spec.json").read_text())
        )
        text = export_report(report, tmp_path / "fixture.html", validated=validated)
        _assert_self_contained(text)
        assert "not recorded in this validated spec" in text
        assert "missing: no value was saved" not in text


class TestExportTargets:
    def test_a_folder_or_a_mismatched_name_is_refused(self, tmp_path: Path) -> None:
        from mlte_nb.errors import ReportError
        from mlte_nb.report import export_report

        report = Report()
        with pytest.raises(ReportError, match="is a folder"):
            export_report(report, tmp_path, format="html", validated=None)
        target = tmp_path / "default.spec.json"
        target.write_text("{}")
        with pytest.raises(ReportError, match=r"should end in \.html"):
            export_report(report, target, format="html", validated=None)
        assert target.read_text() == "{}"


@pytest.mark.usefixtures("memory")
class TestStaleReport:
    def test_a_changed_spec_or_evidence_is_called_out(self, tmp_path: Path) -> None:
        from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy

        spec = Spec(properties={TaskEfficacy("x"): {"acc": Real.greater_than(0.9)}})
        spec.save(parents=True)
        Real("acc", 0.95).save()
        validated = SpecValidator(spec).add_values([Real("acc", 0.95)]).validate().save()
        report = Report(validated_spec_id=validated.identifier).save()
        assert "Warning" not in export_report(report, tmp_path / "a.html")
        Real("acc", 0.10).save(force=True)
        Spec(properties={TaskEfficacy("x"): {"acc": Real.greater_than(0.99)}}).save(force=True)
        text = export_report(report, tmp_path / "b.html")
        assert "changed after this validation; validate again" in text
        assert "evidence changed after this validation (acc)" in text
