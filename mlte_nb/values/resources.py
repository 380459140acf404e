"""Resource evidence: CPU and memory statistics with their sample timelines."""

from __future__ import annotations

import math
from typing import Any, ClassVar, TypeVar

from mlte_nb.errors import MeasurementError
from mlte_nb.store._json import normalize
from mlte_nb.values.base import Value
from mlte_nb.values.condition import Failure, Result, Success, builder

R = TypeVar("R", bound="_ResourceStatistics")


def _number(number: float) -> str:
    """Return a number readably: thousands separated, small ones to 4 significant digits."""
    if math.isfinite(number) and abs(number) >= 1000:
        return f"{number:,.0f}"
    return f"{number:.4g}"


class _ResourceStatistics(Value):
    """avg / min / max of a sampled quantity, its timeline and exact totals."""

    value_type = "opaque"
    quantity: ClassVar[str] = "value"

    def __init__(
        self,
        measurement_id: str,
        data: dict[str, Any] | None = None,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        merged = normalize({**(data or {}), **fields})
        missing = [key for key in ("avg", "min", "max") if key not in merged]
        if missing:
            msg = f"{type(self).__name__} {measurement_id!r} lacks {missing}"
            raise MeasurementError(msg)
        self.data: dict[str, Any] = merged

    @property
    def avg(self) -> float:
        """Return the average over the samples."""
        return float(self.data["avg"])

    @property
    def min(self) -> float:
        """Return the smallest sample."""
        return float(self.data["min"])

    @property
    def max(self) -> float:
        """Return the largest value seen (samples, or the exact peak where known)."""
        return float(self.data["max"])

    @property
    def samples(self) -> list[list[float]]:
        """Return the timeline as ``[seconds since start, value]`` pairs."""
        return list(self.data.get("samples", []))

    def headline(self) -> float | None:
        """Return the maximum (the exact peak for memory, where known)."""
        return max(self.max, float(self.data.get("peak", self.max)))

    def summary(self) -> str:
        """Return avg / min / max with the unit, and the exact peak when it exceeds the samples."""
        unit = f" {self.unit}" if self.unit else ""
        shown = [_number(x) for x in (self.avg, self.min, self.max)]
        text = f"avg {shown[0]}, min {shown[1]}, max {shown[2]}{unit}"
        peak = self.headline()
        if peak is not None and peak > self.max:  # a burst between two samples
            text += f" (peak {_number(peak)}{unit})"
        return text

    def payload(self) -> dict[str, Any]:
        """Return ``{"data": {...}}`` (mlte-python's avg/min/max plus our extras)."""
        return {"data": self.data}

    @classmethod
    def from_payload(cls: type[R], measurement_id: str, payload: dict[str, Any], **kw: Any) -> R:
        """Rebuild from the stored payload."""
        return cls(measurement_id, payload["data"], **kw)

    def _below(self, statistic: str, observed: float, threshold: float) -> Result:
        unit = f" {self.unit}" if self.unit else ""
        if math.isnan(observed):
            return Failure(f"{statistic} {self.quantity} is NaN (no samples); it cannot pass")
        shown, limit = _number(observed), _number(threshold)
        if observed < threshold:
            return Success(f"{statistic} {self.quantity} {shown}{unit} < {limit}{unit}")
        return Failure(f"{statistic} {self.quantity} {shown}{unit} is not below {limit}{unit}")


class CPUStatistics(_ResourceStatistics):
    """CPU utilisation in percent of one core (100 = one core busy, as ``top`` shows)."""

    default_unit = "% of one core"
    quantity = "utilization"
    aliases = ("mlte.measurement.cpu.local_process_cpu_utilization.CPUStatistics",)

    @classmethod
    def from_reference(cls, payload: dict[str, Any]) -> dict[str, Any]:
        """Turn mlte-python's fractions (1.0 = one core) into percent of one core."""
        data = dict(payload["data"])
        for key in ("avg", "min", "max"):
            data[key] = float(data[key]) * 100.0
        data["converted"] = "mlte-python 0.2.x stored fractions of one core; multiplied by 100"
        return {**payload, "data": data}

    @builder("maximum utilization below {0} {unit}")
    def max_utilization_less_than(self, threshold: float) -> Result:
        """Pass when the peak utilisation stays below ``threshold`` percent."""
        return self._below("maximum", self.max, threshold)

    @builder("average utilization below {0} {unit}")
    def average_utilization_less_than(self, threshold: float) -> Result:
        """Pass when the average utilisation stays below ``threshold`` percent."""
        return self._below("average", self.avg, threshold)


class MemoryStatistics(_ResourceStatistics):
    """Memory (resident set size) in KiB, with the exact peak where the OS reports one."""

    default_unit = "KiB"  # RSS counted in 1024-byte units, as pmap and ps report it
    quantity = "consumption"
    aliases = ("mlte.measurement.memory.local_process_memory_consumption.MemoryStatistics",)

    @builder("maximum consumption below {0} {unit}")
    def max_consumption_less_than(self, threshold: float) -> Result:
        """Pass when the peak memory stays below ``threshold`` KiB."""
        peak = max(self.max, float(self.data.get("peak", self.max)))
        return self._below("maximum", peak, threshold)

    @builder("average consumption below {0} {unit}")
    def average_consumption_less_than(self, threshold: float) -> Result:
        """Pass when the average memory stays below ``threshold`` KiB."""
        return self._below("average", self.avg, threshold)
