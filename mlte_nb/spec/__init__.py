"""Properties, conditions and the Spec that holds them."""

from __future__ import annotations

from mlte_nb.spec.code import spec_to_code
from mlte_nb.spec.property import (
    Fairness,
    Interpretability,
    PredictingComputeCost,
    PredictingMemoryCost,
    Property,
    Robustness,
    StorageCost,
    TaskEfficacy,
    TrainingComputeCost,
    TrainingMemoryCost,
)
from mlte_nb.spec.spec import Spec
from mlte_nb.values.condition import Condition

__all__ = [
    "Condition",
    "Fairness",
    "Interpretability",
    "PredictingComputeCost",
    "PredictingMemoryCost",
    "Property",
    "Robustness",
    "Spec",
    "StorageCost",
    "TaskEfficacy",
    "TrainingComputeCost",
    "TrainingMemoryCost",
    "spec_to_code",
]
