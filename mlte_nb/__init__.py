"""mlte_nb: the MLTE workflow (context, Spec, evidence, validation, report) in Jupyter."""

from __future__ import annotations

from typing import Any

from mlte_nb.context import get_context, set_context, set_store
from mlte_nb.errors import MlteError
from mlte_nb.measure import ExternalMeasurement, Measurement
from mlte_nb.report import Report, export_report
from mlte_nb.spec import (
    Condition,
    Fairness,
    Interpretability,
    PredictingComputeCost,
    PredictingMemoryCost,
    Property,
    Robustness,
    Spec,
    StorageCost,
    TaskEfficacy,
    TrainingComputeCost,
    TrainingMemoryCost,
)
from mlte_nb.validate import Failure, Ignore, Info, Result, SpecValidator, Success, ValidatedSpec
from mlte_nb.values import (
    Array,
    CPUStatistics,
    Image,
    Integer,
    MemoryStatistics,
    MultipleAccuracy,
    MultipleRanksums,
    Opaque,
    RankSums,
    Real,
    String,
    Value,
    custom_condition,
)

__version__ = "0.1.0"

__all__ = [
    "Array",
    "CPUStatistics",
    "Condition",
    "ExternalMeasurement",
    "Failure",
    "Fairness",
    "Ignore",
    "Image",
    "Info",
    "Integer",
    "Interpretability",
    "Measurement",
    "MemoryStatistics",
    "MlteError",
    "MultipleAccuracy",
    "MultipleRanksums",
    "Opaque",
    "PredictingComputeCost",
    "PredictingMemoryCost",
    "Property",
    "RankSums",
    "Real",
    "Report",
    "Result",
    "Robustness",
    "Spec",
    "SpecValidator",
    "StorageCost",
    "String",
    "Success",
    "TaskEfficacy",
    "TrainingComputeCost",
    "TrainingMemoryCost",
    "ValidatedSpec",
    "Value",
    "custom_condition",
    "export_report",
    "get_context",
    "load_ipython_extension",
    "set_context",
    "set_store",
]


def load_ipython_extension(ipython: Any) -> None:
    """Register the mlte_nb magics (``%load_ext mlte_nb``); loading twice is harmless."""
    from mlte_nb.magics import register

    register(ipython)
