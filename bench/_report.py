"""Shared helpers for the benchmarks: timing with repeats, and one result line per workload.

Every benchmark prints ``BENCH {json}`` lines (workload, both sides' medians and spreads,
their ratio); ``bench/run_all.py`` collects them into ``bench/results.md``.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(run: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Return the median and spread (min, max) of ``repeats`` timings of ``run``, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return summary(times)


def summary(times: list[float]) -> dict[str, float]:
    """Return median, min and max of a list of timings."""
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "n": len(times),
    }


def emit(
    workload: str,
    ours: dict[str, float] | None,
    reference: dict[str, float] | None,
    *,
    unit: str = "s",
    note: str = "",
    ratio: float | None = None,
) -> None:
    """Print one result line: both sides' medians and the ratio reference / mlte_nb.

    The ratio is that of the medians unless the benchmark gives its own (paired runs).
    """
    if ratio is None and ours and reference and ours["median"] > 0:
        ratio = reference["median"] / ours["median"]
    record = {
        "workload": workload,
        "unit": unit,
        "mlte_nb": ours,
        "reference": reference,
        "ratio": ratio,
        "note": note,
    }
    print("BENCH " + json.dumps(record), flush=True)


def shown(side: dict[str, float] | None, unit: str = "s") -> str:
    """Return ``median (min-max)`` for a table cell."""
    if not side:
        return "n/a"
    scale, suffix = (1000.0, "ms") if unit == "s" and side["median"] < 1 else (1.0, unit)
    return (
        f"{side['median'] * scale:.3g} {suffix} "
        f"({side['min'] * scale:.3g}-{side['max'] * scale:.3g}, n={int(side['n'])})"
    )
