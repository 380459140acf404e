"""Measure a block of this process (a notebook cell): time, CPU and memory, exactly.

The ``%%mlte_measure`` magic is a thin layer over :func:`measure_runs` (which uses
:func:`measure_block` and :func:`block_values`).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psutil

from mlte_nb.errors import MeasurementError
from mlte_nb.measure._procfs import read_hwm_kb
from mlte_nb.measure._sampler import DEFAULT_INTERVAL_S, RunRecord, Sample, TreeSampler
from mlte_nb.values.base import Value
from mlte_nb.values.provenance import make_provenance
from mlte_nb.values.resources import CPUStatistics, MemoryStatistics
from mlte_nb.values.scalar import Real

_LINUX = sys.platform.startswith("linux")


@dataclass
class BlockMeasurement:
    """What :func:`measure_block` measured; filled in when the block exits.

    Times are seconds, memory KB. ``peak_is_exact`` says whether ``peak_kb`` comes
    from the OS high-water mark reset at the start of the block (Linux), rather
    than from the samples alone.
    """

    interval_s: float
    wall_s: float = 0.0
    cpu_s: float = 0.0
    rss_before_kb: int = 0
    rss_after_kb: int = 0
    peak_kb: int = 0
    peak_is_exact: bool = False
    samples: list[Sample] = field(default_factory=list)
    finished: bool = False

    @property
    def added_kb(self) -> int:
        """Return the memory the block added (RSS after minus before, KB; may be negative)."""
        return self.rss_after_kb - self.rss_before_kb

    def record(self) -> RunRecord:
        """Return the block as a :class:`RunRecord` (as for a process run)."""
        extra = {
            "added": self.added_kb,
            "baseline": self.rss_before_kb,
            "peak_is_exact": self.peak_is_exact,
        }
        return RunRecord(
            samples=tuple(self.samples),
            wall_s=self.wall_s,
            cpu_total_s=self.cpu_s,
            interval_s=self.interval_s,
            hwm_kb=self.peak_kb if self.peak_is_exact else None,
            memory_extra=extra,
        )


def _cpu_now() -> float:
    """Return CPU seconds of this process plus its waited-for children."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _reset_peak() -> bool:
    """Reset this process's VmHWM to its current RSS; return whether that worked."""
    if not _LINUX:
        return False
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _rss_kb() -> int:
    return int(psutil.Process().memory_info().rss) // 1024


@contextmanager
def measure_block(
    *, cpu: bool = True, memory: bool = True, interval: float = DEFAULT_INTERVAL_S
) -> Iterator[BlockMeasurement]:
    """Measure the code inside the ``with`` block: wall time, CPU, memory.

    A daemon thread samples this process and its children every ``interval`` seconds
    (when ``cpu`` or ``memory`` is asked for); it stops even if the block raises.

    Examples
    --------
    >>> with measure_block() as block:
    ...     model.predict(images)
    >>> for value in block_values(block, "predicting"):
    ...     value.save(force=True)
    """
    block = BlockMeasurement(interval_s=interval)
    hwm_before = read_hwm_kb("self") if memory else None
    was_reset = memory and _reset_peak()
    block.rss_before_kb = _rss_kb()
    cpu_before, started = _cpu_now(), time.perf_counter()
    sampler = None
    if cpu or memory:
        sampler = TreeSampler(os.getpid(), interval=interval, origin=started).start()
    try:
        yield block
    finally:
        block.wall_s = time.perf_counter() - started
        block.cpu_s = _cpu_now() - cpu_before
        if sampler is not None:
            sampler.stop(final_sample=True)
            block.samples = list(sampler.samples)
        block.rss_after_kb = _rss_kb()
        _finish_peak(block, hwm_before, was_reset=was_reset)
        block.finished = True


def _finish_peak(block: BlockMeasurement, hwm_before: int | None, *, was_reset: bool) -> None:
    hwm_after = read_hwm_kb("self")
    if hwm_after is None:
        exact = False
    elif was_reset:
        exact = True
    else:  # no reset possible, but a high-water mark that rose was reached in the block
        exact = hwm_before is not None and hwm_after > hwm_before
    sampled = [s.rss_kb for s in block.samples] + [block.rss_before_kb, block.rss_after_kb]
    block.peak_is_exact = exact
    block.peak_kb = max([*sampled, hwm_after or 0]) if exact else max(sampled)


def block_values(
    block: BlockMeasurement,
    identifier: str,
    *,
    time: bool = True,
    cpu: bool = True,
    memory: bool = True,
    provenance: dict[str, Any] | None = None,
) -> list[Value]:
    """Return the evidence of a measured block.

    Gives a Real ``"<identifier> time"`` (s), a CPUStatistics ``"<identifier> cpu"``
    (percent of one core) and a MemoryStatistics ``"<identifier> memory"`` (KB,
    with ``peak``, ``added`` and ``baseline``), as asked.
    """
    from mlte_nb.measure.cpu import cpu_statistics
    from mlte_nb.measure.memory import memory_statistics

    record = block.record()
    values: list[Value] = []
    if time:
        values.append(Real(f"{identifier} time", block.wall_s, unit="s"))
    if cpu:
        values.append(cpu_statistics(f"{identifier} cpu", record))
    if memory:
        values.append(memory_statistics(f"{identifier} memory", record))
    for value in values:
        value.provenance = make_provenance(
            "measure_block", duration_s=round(block.wall_s, 6), extra=provenance
        )
    return values


def measure_runs(
    run: Callable[[], bool],
    identifier: str,
    *,
    repeat: int | None = None,
    time: bool = True,
    cpu: bool = True,
    memory: bool = True,
    interval: float = DEFAULT_INTERVAL_S,
) -> list[Value]:
    """Measure ``run`` (which returns whether it succeeded) and return its evidence.

    Without ``repeat`` it runs once. With ``repeat=N`` it runs once unmeasured (a
    warm-up: imports, caches, first allocations), then N measured times. The time
    evidence is then the median wall time, with min / max / IQR and every run's time in
    its provenance; CPU and memory come from the run whose wall time is the median (the
    lower middle one for even N), so their timeline is a real run's, with every run's
    average CPU and peak memory beside it.

    Raises
    ------
    MeasurementError
        If ``repeat`` is below 1, or a run fails (no evidence is returned then).

    Examples
    --------
    >>> values = measure_runs(lambda: bool(model.predict(x) is not None), "predicting", repeat=5)
    """
    if repeat is not None and repeat < 1:
        msg = f"--repeat must be at least 1, got {repeat}"
        raise MeasurementError(msg)
    if repeat is not None and not run():
        _failed(identifier, "the warm-up run")
    blocks = []
    for index in range(repeat or 1):
        with measure_block(cpu=cpu, memory=memory, interval=interval) as block:
            ok = run()
        if not ok:
            _failed(identifier, f"run {index + 1}" if repeat else "")
        blocks.append(block)
    median = sorted(blocks, key=lambda b: b.wall_s)[(len(blocks) - 1) // 2]
    values = block_values(median, identifier, time=time, cpu=cpu, memory=memory)
    if repeat is not None:
        _add_spread(values, blocks)
    return values


def _failed(identifier: str, which: str) -> None:
    where = f" ({which})" if which else ""
    msg = f"the cell raised{where}, so no evidence was saved for {identifier!r}"
    raise MeasurementError(msg)


def _add_spread(values: list[Value], blocks: list[BlockMeasurement]) -> None:
    walls = [block.wall_s for block in blocks]
    quartiles = statistics.quantiles(walls, n=4) if len(walls) > 1 else [walls[0]] * 3
    median_s = round(statistics.median(walls), 6)
    spread: dict[str, Any] = {
        "runs": len(blocks),
        "warmup_runs": 1,
        "wall_s": [round(w, 6) for w in walls],
        "median_s": median_s,
        "min_s": round(min(walls), 6),
        "max_s": round(max(walls), 6),
        "iqr_s": round(quartiles[2] - quartiles[0], 6),
        "cpu_memory_from": "the median-time run",
    }
    for value in values:
        value.provenance["repeat"] = spread
        if isinstance(value, Real):
            value.value = median_s
        elif isinstance(value, CPUStatistics):
            value.data["avg_per_run"] = [round(100 * b.cpu_s / b.wall_s, 2) for b in blocks]
        elif isinstance(value, MemoryStatistics):
            value.data["peak_per_run"] = [b.peak_kb for b in blocks]
