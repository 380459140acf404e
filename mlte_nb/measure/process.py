"""Start a script or command as a measured process: output captured, tree sampled, exact totals."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mlte_nb.errors import MeasurementError
from mlte_nb.measure._sampler import RunRecord, Sample, TreeSampler, read_hwm_kb, sample_pid
from mlte_nb.measure.base import Measurement

if TYPE_CHECKING:
    from mlte_nb.values.resources import CPUStatistics, MemoryStatistics

_TAIL_LINES = 12
_started: weakref.WeakValueDictionary[int, ProcessHandle] = weakref.WeakValueDictionary()


class ProcessHandle:
    """A measured process; pass it to ``evaluate`` where the seed passes a pid.

    Output is read by background threads (a chatty child never blocks), a sampler thread
    records the whole process tree, and the exit is reaped with ``os.wait4`` so the
    operating system's exact CPU time and peak RSS are kept.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        interval: float = 0.05,
        script: str | None = None,
        **popen: Any,
    ) -> None:
        self.argv = [str(arg) for arg in argv]
        self.script = script
        self.interval = float(interval)
        self._out: list[str] = []
        self._err: list[str] = []
        self._done = threading.Event()
        self._rusage: tuple[float, int] | None = None
        self._launcher_hwm_kb = read_hwm_kb("self") or 0
        self._started_at = time.perf_counter()
        try:
            self._popen = subprocess.Popen(
                self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, errors="replace", **popen,
            )  # fmt: skip
        except OSError as exc:
            msg = (
                f"cannot start {self.label!r}: {exc}. Check the command and that it is executable."
            )
            raise MeasurementError(msg) from exc
        self.pid: int = self._popen.pid
        self._launcher_hwm_kb = max(self._launcher_hwm_kb, read_hwm_kb("self") or 0)
        self._ended_at = self._started_at
        self._sampler = TreeSampler(self.pid, interval=interval, origin=self._started_at).start()
        self._readers = [
            _reader(self._popen.stdout, self._out),
            _reader(self._popen.stderr, self._err),
        ]
        threading.Thread(target=self._reap, name=f"mlte-reaper-{self.pid}", daemon=True).start()
        _started[self.pid] = self

    @property
    def label(self) -> str:
        """Return the script path, or the command line, for messages."""
        return self.script or " ".join(self.argv)

    def _reap(self) -> None:
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(self.pid, 0)
            self._ended_at = time.perf_counter()
            self._popen.returncode = os.waitstatus_to_exitcode(status)
            scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss is bytes on macOS
            self._rusage = (usage.ru_utime + usage.ru_stime, usage.ru_maxrss // scale)
        else:  # pragma: no cover - Windows
            self._popen.wait()
            self._ended_at = time.perf_counter()
        self._sampler.stop()
        self._done.set()

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the process exits and its output is read; return the exit code.

        Raises
        ------
        MeasurementError
            If it is still running after ``timeout`` seconds (it is left running;
            call :meth:`kill` to stop it).
        """
        if not self._done.wait(timeout):
            msg = (
                f"{self.label!r} (pid {self.pid}) is still running after {timeout} s; "
                "wait longer or kill() it"
            )
            raise MeasurementError(msg)
        for reader in self._readers:
            reader.join(timeout=2.0)  # a grandchild may keep the pipe open
        return int(self._popen.returncode)

    def kill(self) -> None:
        """Kill the process (not its children) if it is still running."""
        if not self._done.is_set():
            self._popen.kill()

    @property
    def returncode(self) -> int | None:
        """Return the exit code (negative: killed by that signal), or None while running."""
        return self._popen.returncode if self._done.is_set() else None

    @property
    def stdout(self) -> str:
        """Return the standard output read so far."""
        return "".join(self._out)

    @property
    def stderr(self) -> str:
        """Return the standard error read so far."""
        return "".join(self._err)

    @property
    def samples(self) -> list[Sample]:
        """Return the tree samples so far: (seconds, cumulative CPU seconds, RSS KB)."""
        return list(self._sampler.samples)

    @property
    def wall_s(self) -> float:
        """Wait for the process; return its wall time in seconds."""
        self.wait()
        return self._ended_at - self._started_at

    @property
    def cpu_total_s(self) -> float:
        """Wait for the process; return its exact CPU seconds (with waited-for children)."""
        return self.record().cpu_total_s

    @property
    def peak_rss_kb(self) -> int:
        """Wait for the process; return its peak RSS in KB (samples, VmHWM, ru_maxrss)."""
        return self.record().peak_kb()[0] or 0

    def record(self) -> RunRecord:
        """Wait for the process and return what was measured about it."""
        self.wait()
        samples = tuple(self._sampler.samples)
        cpu_s, maxrss = self._rusage or (samples[-1].cpu_s if samples else 0.0, 0)
        # A ru_maxrss no larger than our own peak at launch may be ours (see RunRecord).
        informative = maxrss > self._launcher_hwm_kb
        return RunRecord(
            samples=samples,
            wall_s=self.wall_s,
            cpu_total_s=cpu_s,
            interval_s=self.interval,
            hwm_kb=self._sampler.hwm_kb,
            maxrss_kb=maxrss if informative else None,
            maxrss_bound_kb=None if informative else maxrss or None,
        )

    def check(self) -> None:
        """Wait; if the process failed, raise MeasurementError naming it, its code and stderr."""
        code = self.wait()
        if code == 0:
            return
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        tail = _tail(self.stderr) or "(stderr was empty)"
        msg = (
            f"{self.label!r} {how}, so no evidence was recorded. Last lines of stderr:\n{tail}\n"
            "Fix the script (run it in a terminal to see all its output) and measure again."
        )
        raise MeasurementError(msg)

    def __repr__(self) -> str:
        state = "running" if self.returncode is None else f"exit code {self.returncode}"
        parts = [f"<ProcessHandle pid {self.pid}: {' '.join(self.argv)} ({state})>"]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            if text.strip():
                parts.append(f"--- {name} (last lines) ---\n{_tail(text)}")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        code = self.returncode
        state = "running" if code is None else f"exit code {code}"
        colour = "#2e7d32" if code == 0 else ("#c62828" if code else "#555")
        rows = [
            f"<div><code>{html.escape(' '.join(self.argv))}</code> "
            f"<span style='color:{colour}'>({state}, pid {self.pid})</span></div>"
        ]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            if text.strip():
                rows.append(f"<div>{name}:</div><pre>{html.escape(_tail(text))}</pre>")
        return "<div class='mlte-process'>" + "".join(rows) + "</div>"


def _reader(stream: IO[str] | None, sink: list[str]) -> threading.Thread:
    def pump() -> None:
        if stream is None:
            return
        for line in iter(stream.readline, ""):
            sink.append(line)
        stream.close()

    thread = threading.Thread(target=pump, name="mlte-output-reader", daemon=True)
    thread.start()
    return thread


def _tail(text: str, lines: int = _TAIL_LINES) -> str:
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])


class ProcessMeasurement(Measurement):
    """Base of measurements of a process (a :class:`ProcessHandle` or a pid).

    Examples
    --------
    >>> handle = ProcessMeasurement.start_script("model_predict.py", ["--n", "100"])
    >>> cpu = LocalProcessCPUUtilization("predicting cpu").evaluate(handle)
    >>> memory = LocalProcessMemoryConsumption("predicting memory").evaluate(handle)
    """

    def __init__(self, identifier: str, *, interval: float = 0.05) -> None:
        super().__init__(identifier)
        self.interval = float(interval)

    @staticmethod
    def start_script(
        script: str | os.PathLike[str],
        args: Sequence[object] | None = None,
        *,
        interval: float = 0.05,
        python: str = sys.executable,
    ) -> ProcessHandle:
        """Run ``python script args...`` as a measured process and return its handle."""
        if not Path(script).is_file():
            msg = (
                f"script {os.fspath(script)!r} not found (cwd {os.getcwd()!r}); "
                "pass the path of a Python file"
            )
            raise MeasurementError(msg)
        argv = [python, os.fspath(script), *(str(arg) for arg in args or ())]
        return ProcessHandle(argv, interval=interval, script=os.fspath(script))

    @staticmethod
    def start_process(
        argv: Sequence[str | os.PathLike[str]], *, interval: float = 0.05, **popen: Any
    ) -> ProcessHandle:
        """Run the command ``argv`` as a measured process (``popen`` goes to Popen, e.g. cwd)."""
        if not argv:
            msg = "start_process needs a command, e.g. ['python', 'predict.py']"
            raise MeasurementError(msg)
        return ProcessHandle([os.fspath(a) for a in argv], interval=interval, **popen)

    def _measure(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) != 1 or kwargs:
            msg = f"{type(self).__name__}.evaluate takes one process handle or pid"
            raise MeasurementError(msg)
        record, origin = run_record(args[0], interval=self.interval)
        value = self._from_record(record)
        value.provenance = origin
        return value

    def _from_record(self, record: RunRecord) -> Any:
        raise NotImplementedError


def run_record(target: ProcessHandle | int, *, interval: float) -> tuple[RunRecord, dict[str, Any]]:
    """Return the run of ``target`` (waiting for it to exit) and its provenance details."""
    if isinstance(target, int) and not isinstance(target, bool) and target in _started:
        target = _started[target]
    if isinstance(target, ProcessHandle):
        target.check()
        details = {
            "command": target.argv,
            "exit_code": target.returncode,
            "script": target.script,
            "pid": target.pid,
        }
        return target.record(), details
    if isinstance(target, int) and not isinstance(target, bool):
        return sample_pid(target, interval=interval), {"pid": target}
    msg = (
        f"expected a ProcessHandle (from ProcessMeasurement.start_script) or a pid, got {target!r}"
    )
    raise MeasurementError(msg)


def measure_process(
    script_or_argv: str | os.PathLike[str] | Sequence[str],
    args: Sequence[object] | None = None,
    *,
    cpu_id: str | None = None,
    memory_id: str | None = None,
    interval: float = 0.05,
) -> tuple[CPUStatistics | None, MemoryStatistics | None, ProcessHandle]:
    """Run a script (a path) or a command (a list) once; return its CPU and memory evidence.

    Examples
    --------
    >>> cpu, memory, handle = measure_process(
    ...     "model_predict.py", cpu_id="predicting cpu", memory_id="predicting memory"
    ... )
    """
    from mlte_nb.measure.cpu import LocalProcessCPUUtilization
    from mlte_nb.measure.memory import LocalProcessMemoryConsumption

    if isinstance(script_or_argv, (str, os.PathLike)):
        handle = ProcessMeasurement.start_script(script_or_argv, args, interval=interval)
    else:
        argv = [*script_or_argv, *(str(a) for a in args or ())]
        handle = ProcessMeasurement.start_process(argv, interval=interval)
    cpu = LocalProcessCPUUtilization(cpu_id).evaluate(handle) if cpu_id else None
    memory = LocalProcessMemoryConsumption(memory_id).evaluate(handle) if memory_id else None
    if cpu is None and memory is None:
        handle.check()
    return cpu, memory, handle
