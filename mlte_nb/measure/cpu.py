"""CPU utilisation of a process tree, in percent of one core (100 = one core busy)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from mlte_nb.measure._sampler import RunRecord, Sample
from mlte_nb.measure.process import ProcessMeasurement
from mlte_nb.values.resources import CPUStatistics

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
MIN_WINDOW_S = 0.09


class LocalProcessCPUUtilization(ProcessMeasurement):
    """Measure the CPU utilisation of a process and all its children.

    Utilisation is the instantaneous percent of one core between samples (two busy
    children give about 200), with the exact total CPU seconds from the OS.

    Examples
    --------
    >>> handle = ProcessMeasurement.start_script("model_predict.py")
    >>> LocalProcessCPUUtilization("predicting cpu").evaluate(handle)
    """

    value_class: ClassVar[type[CPUStatistics]] = CPUStatistics

    def evaluate(self, *args: Any, **kwargs: Any) -> CPUStatistics:
        """Wait for the process (a ProcessHandle or a pid) to exit; return its CPUStatistics.

        Raises
        ------
        MeasurementError
            If the script exited with a non-zero code (naming it, the code and its stderr).
        """
        value = super().evaluate(*args, **kwargs)
        assert isinstance(value, CPUStatistics)
        return value

    def _from_record(self, record: RunRecord) -> CPUStatistics:
        return cpu_statistics(self.identifier, record)


def utilization_timeline(
    samples: Sequence[Sample], *, min_window_s: float = MIN_WINDOW_S
) -> list[list[float]]:
    """Return ``[[t_s, percent of one core], ...]`` from CPU-time deltas between samples.

    Each point spans at least ``min_window_s`` (or back to the first sample): the kernel
    updates another process's CPU clock at scheduler ticks (a few ms), which would make
    single 50 ms deltas swing by +-8 %; over 90-100 ms it is +-4 %.
    """
    timeline = []
    start = 0
    for index in range(1, len(samples)):
        after = samples[index]
        while start + 1 < index and after.t_s - samples[start + 1].t_s >= min_window_s:
            start += 1
        before = samples[start]
        elapsed = after.t_s - before.t_s
        if elapsed > 0:
            percent = max(0.0, after.cpu_s - before.cpu_s) / elapsed * 100.0
            timeline.append([round(after.t_s, 4), round(percent, 2)])
    return timeline


def cpu_statistics(identifier: str, record: RunRecord) -> CPUStatistics:
    """Return the CPUStatistics of a run: avg / min / max percent, totals and timeline.

    The average is the exact ``total CPU / wall time``; min and max come from the
    timeline (widened to include the average, which the exact totals prove was
    reached). With fewer than two samples all three are the exact average.
    """
    # One interval per point (samples come every interval, +- a little jitter).
    window = max(MIN_WINDOW_S, 0.9 * record.interval_s)
    timeline = utilization_timeline(record.samples, min_window_s=window)
    wall = record.wall_s
    average = 100.0 * record.cpu_total_s / wall if wall > 0 else 0.0
    if not math.isfinite(average):
        average = 0.0
    percents = [point[1] for point in timeline] or [average]
    data = {
        "avg": round(average, 2),
        "min": round(min(min(percents), average), 2),
        "max": round(max(max(percents), average), 2),
        "total_cpu_s": round(record.cpu_total_s, 6),
        "wall_s": round(wall, 6),
        "cores": available_cores(),
        "cpu_quota_cores": cpu_quota_cores(),
        "interval_s": record.interval_s,
        "samples": timeline,
    }
    return CPUStatistics(identifier, data)


def available_cores() -> int:
    """Return how many cores this process may run on (affinity where known)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1


def cpu_quota_cores(path: Path = CGROUP_CPU_MAX) -> float | None:
    """Return the cgroup v2 CPU quota in cores (``cpu.max``), or None when unlimited."""
    try:
        quota, period = path.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    try:
        return round(int(quota) / int(period), 3)
    except (ValueError, ZeroDivisionError):
        return None
