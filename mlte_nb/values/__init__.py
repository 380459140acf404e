"""Value types (evidence) and their condition builders."""

from __future__ import annotations

from mlte_nb.values.base import Value
from mlte_nb.values.collection import Array, Opaque
from mlte_nb.values.condition import (
    Condition,
    Failure,
    Ignore,
    Info,
    Result,
    Success,
    builder,
    custom_condition,
)
from mlte_nb.values.image import Image
from mlte_nb.values.resources import CPUStatistics, MemoryStatistics
from mlte_nb.values.scalar import Integer, Real, StorageSize, String
from mlte_nb.values.statistical import MultipleAccuracy, MultipleRanksums, RankSums

__all__ = [
    "Array",
    "CPUStatistics",
    "Condition",
    "Failure",
    "Ignore",
    "Image",
    "Info",
    "Integer",
    "MemoryStatistics",
    "MultipleAccuracy",
    "MultipleRanksums",
    "Opaque",
    "RankSums",
    "Real",
    "Result",
    "StorageSize",
    "String",
    "Success",
    "Value",
    "builder",
    "custom_condition",
]
