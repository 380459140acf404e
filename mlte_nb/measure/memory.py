"""Memory (resident set size) of a process tree in KB, with the exact peak."""

from __future__ import annotations

from typing import Any, ClassVar

from mlte_nb.errors import MeasurementError
from mlte_nb.measure._sampler import RunRecord
from mlte_nb.measure.process import ProcessMeasurement
from mlte_nb.values.resources import MemoryStatistics


class LocalProcessMemoryConsumption(ProcessMeasurement):
    """Measure the memory of a process and all its children, in KB.

    avg / min / max are over the samples of the tree's total RSS; ``peak`` is exact:
    the largest of the samples, the OS high-water mark (``VmHWM``) and ``ru_maxrss``,
    so a burst shorter than the sampling interval is still caught.

    Examples
    --------
    >>> handle = ProcessMeasurement.start_script("model_predict.py")
    >>> LocalProcessMemoryConsumption("predicting memory").evaluate(handle)
    """

    value_class: ClassVar[type[MemoryStatistics]] = MemoryStatistics

    def evaluate(self, *args: Any, **kwargs: Any) -> MemoryStatistics:
        """Wait for the process (a ProcessHandle or a pid) to exit; return its MemoryStatistics.

        Raises
        ------
        MeasurementError
            If the script exited with a non-zero code (naming it, the code and its stderr).
        """
        value = super().evaluate(*args, **kwargs)
        assert isinstance(value, MemoryStatistics)
        return value

    def _from_record(self, record: RunRecord) -> MemoryStatistics:
        return memory_statistics(self.identifier, record)


def memory_statistics(identifier: str, record: RunRecord) -> MemoryStatistics:
    """Return the MemoryStatistics of a run: avg / min / max KB, exact ``peak``, timeline."""
    peak, source = record.peak_kb()
    if peak is None:
        msg = (
            f"no memory reading for {identifier!r}: the process exited before it could be "
            "sampled; start it with ProcessMeasurement.start_script to get the exact peak"
        )
        raise MeasurementError(msg)
    rss = [sample.rss_kb for sample in record.samples] or [peak]
    data: dict[str, Any] = {
        "avg": round(sum(rss) / len(rss), 1),
        "min": min(rss),
        "max": max(rss),
        "peak": peak,
        "peak_source": source,
        "interval_s": record.interval_s,
        "wall_s": round(record.wall_s, 6),
        "samples": [[round(s.t_s, 4), s.rss_kb] for s in record.samples],
        **record.memory_extra,
    }
    return MemoryStatistics(identifier, data)
