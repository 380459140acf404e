"""Report: what the evaluation found, for people who did not run it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar

from mlte_nb.artifact import Artifact, check_type
from mlte_nb.context import get_context
from mlte_nb.errors import ArtifactNotFoundError, ReportError
from mlte_nb.report.descriptors import (
    CommentDescriptor,
    DataDescriptor,
    IntendedUseDescriptor,
    PerformanceDesciptor,
    QuantitiveAnalysisDescriptor,
    RiskDescriptor,
    SummaryDescriptor,
)
from mlte_nb.store import ArtifactStore, Document

VALIDATED_SUFFIX = ".validated_spec"


class Report(Artifact):
    """The report of an evaluation: model card fields plus the validated spec it refers to.

    Parameters
    ----------
    identifier
        The artifact id (``default.report`` unless given).
    summary, performance, intended_use, risks, data, comments, quantitative_analysis
        The descriptors of the reference's report; missing ones are empty.
    validated_spec_id
        The id of the saved ValidatedSpec this report presents. It is stored inside
        ``performance`` as mlte-python does; when given it wins over
        ``performance.validated_spec_id``.

    Examples
    --------
    >>> report = Report(
    ...     summary=SummaryDescriptor(problem_type=ProblemType.CLASSIFICATION, task="Flowers"),
    ...     validated_spec_id=validated_spec.identifier,
    ... )
    >>> report.save(force=True, parents=True)
    >>> export_report(report, "report.html")
    """

    artifact_type: ClassVar[str] = "report"
    default_id: ClassVar[str] = "default.report"

    def __init__(
        self,
        identifier: str = "default.report",
        *,
        summary: SummaryDescriptor | None = None,
        performance: PerformanceDesciptor | None = None,
        intended_use: IntendedUseDescriptor | None = None,
        risks: RiskDescriptor | None = None,
        data: Sequence[DataDescriptor] | None = None,
        comments: Sequence[CommentDescriptor] | None = None,
        quantitative_analysis: QuantitiveAnalysisDescriptor | None = None,
        validated_spec_id: str | None = None,
    ) -> None:
        self.identifier = self._full_id(identifier)
        self.summary = summary or SummaryDescriptor()
        self.performance = performance or PerformanceDesciptor()
        self.intended_use = intended_use or IntendedUseDescriptor()
        self.risks = risks or RiskDescriptor()
        self.data = list(data or [])
        self.comments = list(comments or [])
        self.quantitative_analysis = quantitative_analysis or QuantitiveAnalysisDescriptor()
        if validated_spec_id is not None:
            self.validated_spec_id = validated_spec_id

    @property
    def validated_spec_id(self) -> str | None:
        """Return the id of the ValidatedSpec this report presents (kept in ``performance``)."""
        return self.performance.validated_spec_id

    @validated_spec_id.setter
    def validated_spec_id(self, identifier: str | None) -> None:
        self.performance = dataclasses.replace(self.performance, validated_spec_id=identifier)

    def _check_before_save(self, store: ArtifactStore, model: str, version: str) -> None:
        """Refuse to save a report naming a validated spec the store does not hold."""
        wanted = self.validated_spec_id
        if wanted is None:
            return
        full = wanted if wanted.endswith(VALIDATED_SUFFIX) else wanted + VALIDATED_SUFFIX
        if store.exists(model, version, full):
            return
        known = _validated_ids(store, model, version)
        msg = (
            f"report {self.identifier!r} names validated spec {wanted!r}, which does not exist "
            f"for {model} {version} in store {store.uri!r} (known validated specs: {known}); "
            "save the ValidatedSpec first (validated.save() or %mlte_validate), "
            "or pass validated_spec_id=None"
        )
        raise ReportError(msg)

    # -- stored form ---------------------------------------------------------------------
    def to_body(self) -> dict[str, Any]:
        """Return the stored body, shaped like mlte-python 0.2.x reports."""
        return {
            "summary": self.summary.to_json(),
            "performance": self.performance.to_json(),
            "intended_use": self.intended_use.to_json(),
            "risks": self.risks.to_json(),
            "data": [item.to_json() for item in self.data],
            "comments": [item.to_json() for item in self.comments],
            "quantitative_analysis": self.quantitative_analysis.to_json(),
        }

    @classmethod
    def from_document(cls, document: Document) -> Report:
        """Rebuild a Report from our files or mlte-python 0.2.x ones."""
        body = check_type(document, cls)["body"]
        performance = PerformanceDesciptor.from_json(body.get("performance"))
        return cls(
            str(document["header"]["identifier"]),
            summary=SummaryDescriptor.from_json(body.get("summary")),
            performance=performance,
            intended_use=IntendedUseDescriptor.from_json(body.get("intended_use")),
            risks=RiskDescriptor.from_json(body.get("risks")),
            data=[DataDescriptor.from_json(item) for item in body.get("data") or []],
            comments=[CommentDescriptor.from_json(item) for item in body.get("comments") or []],
            quantitative_analysis=QuantitiveAnalysisDescriptor.from_json(
                body.get("quantitative_analysis")
            ),
            validated_spec_id=performance.validated_spec_id or body.get("validated_spec_id"),
        )

    # -- display -------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self.identifier, self.to_body()) == (other.identifier, other.to_body())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        task = self.summary.task or "no task"
        return f"<Report {self.identifier!r}: {task}; validated spec {self.validated_spec_id!r}>"


def _validated_ids(store: ArtifactStore, model: str, version: str) -> list[str]:
    return sorted(
        str(doc["header"]["identifier"])
        for doc in store.read_all(model, version)
        if doc.get("body", {}).get("artifact_type", doc["header"].get("type")) == "validated_spec"
    )


def load_or_default(identifier: str | None = None) -> Report:
    """Return the stored report, or a new one presenting the stored validated spec.

    Used by ``%mlte_report`` and ``mlte-nb run --report``: a notebook that saved no
    Report still gets one, naming ``default.validated_spec`` when that exists.
    """
    try:
        return Report.load(identifier)
    except ArtifactNotFoundError:
        model, version, store = get_context()
        default = "default" + VALIDATED_SUFFIX
        found = default if store.exists(model, version, default) else None
        return Report(identifier or "default.report", validated_spec_id=found)
