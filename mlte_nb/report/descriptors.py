"""The descriptors a Report is made of, with the reference's names and spellings.

Every descriptor is a frozen dataclass of keyword arguments defaulting to ``None``
(or an empty list), stored as the JSON mlte-python 0.2.x writes. The names keep the
reference's spellings, including ``PerformanceDesciptor`` and
``QuantitiveAnalysisDescriptor``, so that porting the MLTE guide changes import lines only.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, TypeVar, Union

from mlte_nb.errors import ArtifactFormatError

D = TypeVar("D", bound="Descriptor")


class ProblemType(str, enum.Enum):
    """The kind of problem the model solves."""

    CLASSIFICATION = "classification"
    CLUSTERING = "clustering"
    TREND = "trend"
    ALERT = "alert"
    FORECASTING = "forecasting"
    CONTENT_GENERATION = "content_generation"
    BENCHMARKING = "benchmarking"
    GOALS = "goals"
    DETECTION = "detection"
    OTHER = "other"


class DataClassification(str, enum.Enum):
    """How sensitive a data set is."""

    UNCLASSIFIED = "unclassified"
    CUI = "cui"
    PII = "pii"
    PHI = "phi"
    OTHER = "other"


class Descriptor:
    """Base of every descriptor: JSON in the reference's shape, unknown keys ignored on read."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        """Return the stored form (enums as their lowercase values)."""
        return {f.name: _to_plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_json(cls: type[D], data: dict[str, Any] | None) -> D:
        """Rebuild from the stored form; keys this version does not know are ignored."""
        hints = _hints(cls)  # type: ignore[arg-type]
        known = {
            k: _from_plain(hints[k], v, f"{cls.__name__}.{k}")
            for k, v in (data or {}).items()
            if k in hints
        }
        return cls(**known)


def _to_plain(item: Any) -> Any:
    if isinstance(item, Descriptor):
        return item.to_json()
    if isinstance(item, enum.Enum):
        return item.value
    if isinstance(item, (list, tuple)):
        return [_to_plain(x) for x in item]
    return item


@cache
def _hints(cls: type[Descriptor]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return {k: v for k, v in typing.get_type_hints(cls).items() if k in names}


def _from_plain(hint: Any, item: Any, where: str) -> Any:
    if item is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _from_plain(inner[0], item, where)
    if origin is list:
        (inner_hint,) = typing.get_args(hint)
        return [_from_plain(inner_hint, x, where) for x in item]
    if isinstance(hint, type) and issubclass(hint, Descriptor):
        return hint.from_json(item)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(item)
        except ValueError:
            choices = [member.value for member in hint]
            msg = f"{where} is {item!r}, not one of {choices}; fix the stored report"
            raise ArtifactFormatError(msg) from None
    return item


# -- model descriptors (mlte.model.shared) ------------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class MetricDescriptor(Descriptor):
    """A metric by which a goal is judged, and the baseline it must beat."""

    description: str | None = None
    baseline: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class GoalDescriptor(Descriptor):
    """A goal of the system and the metrics that measure it."""

    description: str | None = None
    metrics: list[MetricDescriptor] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelIODescriptor(Descriptor):
    """One input or output of the model's interface."""

    name: str | None = None
    description: str | None = None
    type: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelInputDescriptor(ModelIODescriptor):
    """The model's input."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelOutputDescriptor(ModelIODescriptor):
    """The model's output."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelInterfaceDescriptor(Descriptor):
    """The model's input and output."""

    input: ModelInputDescriptor = field(default_factory=ModelInputDescriptor)
    output: ModelOutputDescriptor = field(default_factory=ModelOutputDescriptor)


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelResourcesDescriptor(Descriptor):
    """The resources the model needs in production (as text, e.g. ``"6MiB"``)."""

    cpu: str | None = None
    gpu: str | None = None
    memory: str | None = None
    storage: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelProductionDescriptor(Descriptor):
    """How and where the model is deployed."""

    deployment_platform: str | None = None
    capability_deployment_mechanism: str | None = None
    # An empty interface rather than None: mlte-python 0.2.x requires the object.
    interface: ModelInterfaceDescriptor = field(default_factory=ModelInterfaceDescriptor)
    resources: ModelResourcesDescriptor = field(default_factory=ModelResourcesDescriptor)


@dataclass(frozen=True, kw_only=True, slots=True)
class RiskDescriptor(Descriptor):
    """What false positives, false negatives and other errors cost."""

    fp: str | None = None
    fn: str | None = None
    other: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldDescriptor(Descriptor):
    """One field (column) of a data set."""

    name: str | None = None
    description: str | None = None
    type: str | None = None
    expected_values: str | None = None
    missing_values: str | None = None
    special_values: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class LabelDescriptor(Descriptor):
    """One label of a data set and its share in percent."""

    name: str | None = None
    description: str | None = None
    percentage: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class DataDescriptor(Descriptor):
    """A data set used to train or evaluate the model."""

    description: str | None = None
    source: str | None = None
    classification: DataClassification | None = None
    access: str | None = None
    labeling_method: str | None = None
    labels: list[LabelDescriptor] = field(default_factory=list)
    fields: list[FieldDescriptor] = field(default_factory=list)
    rights: str | None = None
    policies: str | None = None


# -- report descriptors (mlte.report.artifact) -------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class SummaryDescriptor(Descriptor):
    """The problem type and task of the model."""

    problem_type: ProblemType | None = None
    task: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PerformanceDesciptor(Descriptor):  # sic: the reference's spelling
    """The goals of the model and the validated spec that judged them."""

    goals: list[GoalDescriptor] = field(default_factory=list)
    validated_spec_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class IntendedUseDescriptor(Descriptor):
    """Where and how the model is meant to be used."""

    usage_context: str | None = None
    production_requirements: ModelProductionDescriptor = field(
        default_factory=ModelProductionDescriptor
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class CommentDescriptor(Descriptor):
    """A free-text comment."""

    content: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class QuantitiveAnalysisDescriptor(Descriptor):  # sic: the reference's spelling
    """Free-text quantitative analysis."""

    content: str | None = None
