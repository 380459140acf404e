"""Sample a process tree's CPU time and resident memory on a background thread.

Cheap by design, so that the default 100 ms interval costs about 0.1 % of a core:

- CPU time per process comes from its POSIX CPU clock (``clock_gettime`` on the
  process clock id, nanosecond precision) on Linux; ``/proc/<pid>/stat`` counts in
  10 ms ticks, which would make a 100 ms reading +-10 % wrong. Elsewhere psutil.
- Memory comes from ``/proc/<pid>/statm`` and ``VmHWM`` from ``/proc/<pid>/status``,
  kept open and re-read with ``pread`` (see :mod:`._procfs`).
- Finding children with psutil scans all of ``/proc`` (about 2 ms), so that is done
  once; afterwards only processes newer than the last pid seen (``/proc/loadavg``)
  are looked at, and only when a new process was created somewhere.
- Utilisation is summed from per-process deltas, so a process that vanishes, or a
  child whose time moves into its parent's accounting when reaped, makes no spike.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import psutil

from mlte_nb.errors import MeasurementError
from mlte_nb.measure._procfs import (
    LINUX,
    ProcFile,
    cpu_seconds,
    last_pid,
    open_loadavg,
    parent_pid,
    statm_rss_kb,
    status_hwm_kb,
)

DEFAULT_INTERVAL_S = 0.1
_RESCAN_FALLBACK_S = 0.5
_GONE = (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, OSError)


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading of the tree: seconds since start, cumulative CPU seconds, RSS in KB."""

    t_s: float
    cpu_s: float
    rss_kb: int


@dataclass(frozen=True)
class RunRecord:
    """Everything measured about one run (a process, or a block of this process).

    ``cpu_total_s`` and ``wall_s`` are exact where the OS accounts for them;
    ``hwm_kb`` (``VmHWM``) and ``maxrss_kb`` (``ru_maxrss``) are exact peaks or None.
    ``maxrss_bound_kb`` is a ``ru_maxrss`` that is only an upper bound: Linux carries the
    launching process's peak across ``exec``, so a child of a big kernel reports at least
    the kernel's peak; it is used only when nothing better exists.
    """

    samples: tuple[Sample, ...]
    wall_s: float
    cpu_total_s: float
    interval_s: float
    hwm_kb: int | None = None
    maxrss_kb: int | None = None
    maxrss_bound_kb: int | None = None
    memory_extra: dict[str, Any] = field(default_factory=dict)

    def peak_kb(self) -> tuple[int | None, str]:
        """Return the best peak RSS in KB and where it came from."""
        exact = ((self.hwm_kb, "VmHWM"), (self.maxrss_kb, "ru_maxrss"))
        candidates = [(s.rss_kb, "samples") for s in self.samples]
        candidates += [(kb, name) for kb, name in exact if kb]
        if candidates:
            return max(candidates, key=lambda item: item[0])
        if self.maxrss_bound_kb:
            return self.maxrss_bound_kb, "ru_maxrss upper bound (includes the launcher)"
        return None, "none"


class _Tracked:
    """A process of the tree, with its memory file kept open (Linux)."""

    __slots__ = ("created", "last_cpu_s", "pid", "process", "statm")

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.pid = process.pid
        self.created = process.create_time()
        self.last_cpu_s: float | None = None
        self.statm = ProcFile(f"/proc/{self.pid}/statm") if LINUX else None

    def rss_kb(self) -> int:
        if self.statm is not None:
            return statm_rss_kb(self.statm)
        return int(self.process.memory_info().rss) // 1024

    def close(self) -> None:
        if self.statm is not None:
            self.statm.close()


class TreeSampler:
    """Sample ``pid`` and its descendants every ``interval`` seconds on a daemon thread.

    ``samples`` grows while it runs; ``gone`` is set when the root process has exited
    (or become a zombie). With ``read_hwm``, ``hwm_kb`` is the largest ``VmHWM`` of the
    root seen: needed only where nothing reports the exact peak at the end (a pid we did
    not start), so it is off by default, saving a /proc read per sample.
    """

    def __init__(
        self,
        pid: int,
        *,
        interval: float = DEFAULT_INTERVAL_S,
        origin: float | None = None,
        read_hwm: bool = False,
    ) -> None:
        self.pid = pid
        self.interval = max(float(interval), 0.001)
        self.origin = time.perf_counter() if origin is None else origin
        self.samples: list[Sample] = []
        self.hwm_kb: int | None = None
        self.gone = threading.Event()
        self._stop = threading.Event()
        self._wake = threading.Lock()  # held until stop(): a cheaper sleep than Event.wait
        self._wake.acquire()
        self._tracked: dict[int, _Tracked] = {}
        self._scanned_at = -1.0
        self._last_pid: int | None = None
        self._loadavg = open_loadavg()
        self._status = _open_status(pid) if read_hwm else None
        self._prev_wall = time.time()
        self._thread = threading.Thread(target=self._loop, name=f"mlte-sampler-{pid}", daemon=True)

    def start(self) -> TreeSampler:
        """Start sampling (the first sample is taken at once)."""
        self._thread.start()
        return self

    def stop(self, *, final_sample: bool = False) -> None:
        """Stop the thread and wait for it; optionally take one last sample."""
        if not self._stop.is_set():
            self._stop.set()
            self._wake.release()
        if self._thread.is_alive():
            self._thread.join()
        if final_sample and not self.gone.is_set():
            self.sample()
        for tracked in self._tracked.values():
            tracked.close()
        for kept in (self._loadavg, self._status):
            if kept is not None:
                kept.close()

    def _loop(self) -> None:
        next_at = time.perf_counter()
        while not self._stop.is_set() and not self.gone.is_set():
            self.sample()
            next_at += self.interval
            delay = next_at - time.perf_counter()
            if delay < 0:  # fell behind (a slow scan): skip ahead, do not burst
                next_at, delay = time.perf_counter(), 0.0
            if self._wake.acquire(timeout=delay):
                self._wake.release()
                return

    def sample(self) -> None:
        """Take one sample of the whole tree now."""
        self._maybe_rescan(time.perf_counter())
        # Read every CPU clock right after the timestamp (they are cheap), memory after.
        now, wall = time.perf_counter(), time.time()
        cpu_delta = 0.0
        for tracked in list(self._tracked.values()):
            try:
                cpu = cpu_seconds(tracked.process)
            except _GONE:
                self._forget(tracked)
                continue
            cpu_delta += self._share(tracked, cpu, wall)
            tracked.last_cpu_s = cpu
        rss_kb = self._rss_kb()
        if self.pid not in self._tracked or self.gone.is_set():
            self.gone.set()
            return
        self._record(now, cpu_delta, rss_kb)
        self._prev_wall = wall

    def _forget(self, tracked: _Tracked) -> None:
        tracked.close()
        self._tracked.pop(tracked.pid, None)

    def _rss_kb(self) -> int:
        total = 0
        for tracked in list(self._tracked.values()):
            try:
                rss = tracked.rss_kb()
            except (*_GONE, ValueError, IndexError):
                self._forget(tracked)
                continue
            if tracked.pid == self.pid and rss == 0:  # a zombie: the run is over
                self.gone.set()
            total += rss
        return total

    def _record(self, now: float, cpu_delta: float, rss_kb: int) -> None:
        if self._status is not None:
            try:
                hwm = status_hwm_kb(self._status)
            except (OSError, ValueError, IndexError):
                hwm = None
            if hwm is not None:
                self.hwm_kb = max(hwm, self.hwm_kb or 0)
        before = self.samples[-1].cpu_s if self.samples else 0.0
        self.samples.append(Sample(now - self.origin, before + cpu_delta, rss_kb))

    def _share(self, tracked: _Tracked, cpu: float, wall: float) -> float:
        """Return the CPU seconds of ``tracked`` that fall into the interval ending now."""
        if tracked.last_cpu_s is not None:
            return max(0.0, cpu - tracked.last_cpu_s)
        if not self.samples or tracked.created >= self._prev_wall:
            return cpu  # first reading, or born during this interval
        # Found late (the tree is not rescanned every time): spread its time evenly.
        lived = max(wall - tracked.created, 1e-9)
        return cpu * min(1.0, (wall - self._prev_wall) / lived)

    def _maybe_rescan(self, now: float) -> None:
        newest = last_pid(self._loadavg)
        if self._scanned_at < 0 or newest is None or newest < (self._last_pid or 0):
            # first scan, no /proc, or pid numbers wrapped around: a full (slow) scan
            if self._scanned_at < 0 or now - self._scanned_at >= _RESCAN_FALLBACK_S:
                self._full_scan(now, newest)
            return
        if newest != self._last_pid:
            self._scan_new_pids(self._last_pid or 0, newest)

    def _full_scan(self, now: float, newest: int | None) -> None:
        self._scanned_at, self._last_pid = now, newest
        if self.pid not in self._tracked:
            self._track(self.pid)
        if self.pid not in self._tracked:  # gone before it was seen (an instant exit)
            return
        try:
            children = self._tracked[self.pid].process.children(recursive=True)
        except _GONE:
            return
        for child in children:
            if child.pid not in self._tracked:
                self._track(child)

    def _scan_new_pids(self, after: int, newest: int) -> None:
        """Track the processes created since the last scan whose parent is in the tree."""
        self._last_pid = newest
        try:
            new = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
        except OSError:
            return
        for pid in new[bisect.bisect_right(new, after) :]:  # parents before children
            if pid not in self._tracked and parent_pid(pid) in self._tracked:
                self._track(pid)

    def _track(self, process: psutil.Process | int) -> None:
        try:
            if isinstance(process, int):
                process = psutil.Process(process)
            tracked = _Tracked(process)
        except _GONE:
            return
        self._tracked[tracked.pid] = tracked


def _open_status(pid: int) -> ProcFile | None:
    if not LINUX:
        return None
    try:
        return ProcFile(f"/proc/{pid}/status")
    except OSError:
        return None


def sample_pid(pid: int, *, interval: float = DEFAULT_INTERVAL_S) -> RunRecord:
    """Sample a process we did not start until it exits (best effort: no exact totals)."""
    try:
        psutil.Process(pid)
    except psutil.Error as exc:
        msg = (
            f"process {pid} does not exist (or cannot be read): {exc}. "
            "Start it with ProcessMeasurement.start_script instead"
        )
        raise MeasurementError(msg) from exc
    sampler = TreeSampler(pid, interval=interval, read_hwm=True)
    sampler.start().gone.wait()
    sampler.stop()
    samples = tuple(sampler.samples)
    if not samples:
        msg = (
            f"process {pid} exited before it could be sampled; start it with "
            "ProcessMeasurement.start_script to get exact totals"
        )
        raise MeasurementError(msg)
    wall = time.perf_counter() - sampler.origin
    return RunRecord(samples, wall, samples[-1].cpu_s, interval, hwm_kb=sampler.hwm_kb)
