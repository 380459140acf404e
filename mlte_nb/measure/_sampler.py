"""Sample a process tree's CPU time and resident memory on a background thread.

Cheap by design, so that a 50 ms interval costs well under 1 % of a core:

- CPU time per process comes from its POSIX CPU clock (``clock_gettime`` on the
  process clock id, nanosecond precision) on Linux; ``/proc/<pid>/stat`` counts in
  10 ms ticks, which would make a 50 ms reading +-20 % wrong. Elsewhere psutil.
- Finding children with psutil scans all of ``/proc`` (about 2 ms), so that is done
  once; afterwards only processes newer than the last pid seen (``/proc/loadavg``)
  are looked at, and only when a new process was created somewhere.
- Utilisation is summed from per-process deltas, so a process that vanishes, or a
  child whose time moves into its parent's accounting when reaped, makes no spike.
"""

from __future__ import annotations

import bisect
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import psutil

from mlte_nb.errors import MeasurementError

_LINUX = sys.platform.startswith("linux")
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
            return self.maxrss_bound_kb, "ru_maxrss upper bound (includes the launching process)"
        return None, "none"


@dataclass
class _Tracked:
    process: psutil.Process
    created: float
    last_cpu_s: float | None = None


def cpu_seconds(process: psutil.Process) -> float:
    """Return the CPU seconds (user + system, all threads) ``process`` has used so far."""
    if _LINUX:
        # MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) from the Linux kernel headers.
        return time.clock_gettime(((~process.pid) << 3) | 2)
    times = process.cpu_times()
    return float(times.user + times.system)


def read_hwm_kb(pid: int | str) -> int | None:
    """Return ``VmHWM`` (peak RSS, KB) of a live process from /proc, or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _last_pid() -> int | None:
    """Return the most recently created pid (``/proc/loadavg``), or None off Linux."""
    try:
        with open("/proc/loadavg", "rb") as loadavg:
            return int(loadavg.read().rsplit(None, 1)[-1])
    except (OSError, IndexError, ValueError):
        return None


def _parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
        return int(text[text.rindex(b")") + 2 :].split(None, 2)[1])
    except (OSError, ValueError, IndexError):
        return None


class TreeSampler:
    """Sample ``pid`` and its descendants every ``interval`` seconds on a daemon thread.

    ``samples`` grows while it runs; ``hwm_kb`` is the largest ``VmHWM`` of the root
    seen; ``gone`` is set when the root process has exited (or become a zombie).
    """

    def __init__(self, pid: int, *, interval: float, origin: float | None = None) -> None:
        self.root = psutil.Process(pid)
        self.interval = max(float(interval), 0.001)
        self.origin = time.perf_counter() if origin is None else origin
        self.samples: list[Sample] = []
        self.hwm_kb: int | None = None
        self.gone = threading.Event()
        self._stop = threading.Event()
        self._tracked: dict[int, _Tracked] = {}
        self._scanned_at = -1.0
        self._last_pid: int | None = None
        self._prev_wall = time.time()
        self._thread = threading.Thread(target=self._loop, name=f"mlte-sampler-{pid}", daemon=True)

    def start(self) -> TreeSampler:
        """Start sampling (the first sample is taken at once)."""
        self._thread.start()
        return self

    def stop(self, *, final_sample: bool = False) -> None:
        """Stop the thread and wait for it; optionally take one last sample."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if final_sample and not self.gone.is_set():
            self.sample()

    def _loop(self) -> None:
        next_at = time.perf_counter()
        while not self._stop.is_set() and not self.gone.is_set():
            self.sample()
            next_at += self.interval
            delay = next_at - time.perf_counter()
            if delay < 0:  # fell behind (a slow scan): skip ahead, do not burst
                next_at, delay = time.perf_counter(), 0.0
            self._stop.wait(delay)

    def sample(self) -> None:
        """Take one sample of the whole tree now."""
        self._maybe_rescan(time.perf_counter())
        # Read every CPU clock right after the timestamp (they are cheap), memory after.
        now, wall = time.perf_counter(), time.time()
        cpu_delta = 0.0
        for pid, tracked in list(self._tracked.items()):
            try:
                cpu = cpu_seconds(tracked.process)
            except _GONE:
                del self._tracked[pid]
                continue
            cpu_delta += self._share(tracked, cpu, wall)
            tracked.last_cpu_s = cpu
        rss_bytes = self._rss_bytes()
        if self.root.pid not in self._tracked or self.gone.is_set():
            self.gone.set()
            return
        self._record(now, cpu_delta, rss_bytes)
        self._prev_wall = wall

    def _rss_bytes(self) -> int:
        total = 0
        for pid, tracked in list(self._tracked.items()):
            try:
                rss = int(tracked.process.memory_info().rss)
            except _GONE:
                del self._tracked[pid]
                continue
            if pid == self.root.pid and rss == 0:  # a zombie: the run is over
                self.gone.set()
            total += rss
        return total

    def _record(self, now: float, cpu_delta: float, rss_bytes: int) -> None:
        hwm = read_hwm_kb(self.root.pid) if _LINUX else None
        if hwm is not None:
            self.hwm_kb = max(hwm, self.hwm_kb or 0)
        before = self.samples[-1].cpu_s if self.samples else 0.0
        self.samples.append(Sample(now - self.origin, before + cpu_delta, rss_bytes // 1024))

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
        last_pid = _last_pid()
        if self._scanned_at < 0 or last_pid is None or last_pid < (self._last_pid or 0):
            # first scan, no /proc, or pid numbers wrapped around: a full (slow) scan
            if self._scanned_at < 0 or now - self._scanned_at >= _RESCAN_FALLBACK_S:
                self._full_scan(now, last_pid)
            return
        if last_pid != self._last_pid:
            self._scan_new_pids(self._last_pid or 0, last_pid)

    def _full_scan(self, now: float, last_pid: int | None) -> None:
        self._scanned_at, self._last_pid = now, last_pid
        if self.root.pid not in self._tracked:
            self._track(self.root)
        try:
            children = self.root.children(recursive=True)
        except _GONE:
            return
        for child in children:
            if child.pid not in self._tracked:
                self._track(child)

    def _scan_new_pids(self, after: int, last_pid: int) -> None:
        """Track the processes created since the last scan whose parent is in the tree."""
        self._last_pid = last_pid
        try:
            new = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
        except OSError:
            return
        for pid in new[bisect.bisect_right(new, after) :]:  # parents before children
            if pid not in self._tracked and _parent_pid(pid) in self._tracked:
                self._track(pid)

    def _track(self, process: psutil.Process | int) -> None:
        try:
            if isinstance(process, int):
                process = psutil.Process(process)
            created = process.create_time()
        except _GONE:
            return
        self._tracked[process.pid] = _Tracked(process, created)


def sample_pid(pid: int, *, interval: float = 0.05) -> RunRecord:
    """Sample a process we did not start until it exits (best effort: no exact totals)."""
    try:
        sampler = TreeSampler(pid, interval=interval)
    except psutil.Error as exc:
        msg = (
            f"process {pid} does not exist (or cannot be read): {exc}. "
            "Start it with ProcessMeasurement.start_script instead"
        )
        raise MeasurementError(msg) from exc
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
