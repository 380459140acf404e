"""Measurements: external functions, storage, processes (CPU, memory) and cells."""

from __future__ import annotations

from mlte_nb.measure.base import Measurement
from mlte_nb.measure.cell import BlockMeasurement, block_values, measure_block, measure_runs
from mlte_nb.measure.cpu import LocalProcessCPUUtilization
from mlte_nb.measure.external import ExternalMeasurement
from mlte_nb.measure.memory import LocalProcessMemoryConsumption
from mlte_nb.measure.process import ProcessHandle, ProcessMeasurement, measure_process
from mlte_nb.measure.storage import LocalObjectSize

__all__ = [
    "BlockMeasurement",
    "ExternalMeasurement",
    "LocalObjectSize",
    "LocalProcessCPUUtilization",
    "LocalProcessMemoryConsumption",
    "Measurement",
    "ProcessHandle",
    "ProcessMeasurement",
    "block_values",
    "measure_block",
    "measure_process",
    "measure_runs",
]
