"""Measurements: external functions, storage, processes (CPU, memory) and cells."""

from __future__ import annotations

from mlte_nb.measure.base import Measurement
from mlte_nb.measure.external import ExternalMeasurement

__all__ = ["ExternalMeasurement", "Measurement"]
