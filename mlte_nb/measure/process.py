"""Start a script or command as a measured process: output captured, tree sampled, exact totals."""

from __future__ import annotations

import html
import os
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mlte_nb.errors import MeasurementError
from mlte_nb.measure._launch import Exit, Launch
from mlte_nb.measure._sampler import (
    DEFAULT_INTERVAL_S,
    RunRecord,
    Sample,
    TreeSampler,
    sample_pid,
)
from mlte_nb.measure.base import Measurement

if TYPE_CHECKING:
    from mlte_nb.values.resources import CPUStatistics, MemoryStatistics

_TAIL_LINES = 12
_started: weakref.WeakValueDictionary[int, ProcessHandle] = weakref.WeakValueDictionary()


class ProcessHandle:
    """A measured process; pass it to ``evaluate`` where the seed passes a pid.

    Output is read by background threads (a chatty child never blocks), a sampler thread
    records the whole process tree, and a tiny launcher (see :mod:`._launch`) reports the
    operating system's exact CPU time, peak RSS and wall time of the command itself.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        interval: float = DEFAULT_INTERVAL_S,
        script: str | None = None,
        **popen: Any,
    ) -> None:
        self.argv = [str(arg) for arg in argv]
        self.script = script
        self.interval = float(interval)
        self._out: list[str] = []
        self._err: list[str] = []
        self._done = threading.Event()
        self._exit: Exit | None = None
        try:
            self._launch = Launch(self.argv, **popen)
        except OSError as exc:
            msg = (
                f"cannot start {self.label!r}: {exc}. Check the command and that it is executable."
            )
            raise MeasurementError(msg) from exc
        self._started_at = self._ended_at = time.perf_counter()
        self.pid: int = self._launch.pid
        self._sampler = TreeSampler(self.pid, interval=interval, origin=self._started_at).start()
        popen_ = self._launch.popen
        self._readers = [_reader(popen_.stdout, self._out), _reader(popen_.stderr, self._err)]
        threading.Thread(target=self._reap, name=f"mlte-reaper-{self.pid}", daemon=True).start()
        _started[self.pid] = self

    @property
    def label(self) -> str:
        """Return the script path, or the command line, for messages."""
        return self.script or " ".join(self.argv)

    def _reap(self) -> None:
        self._exit = self._launch.wait()
        self._ended_at = time.perf_counter()
        if self._exit.wall_s is not None:  # timed by the launcher, without its start-up
            self._ended_at = self._started_at + self._exit.wall_s
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
        assert self._exit is not None
        return self._exit.code

    def kill(self) -> None:
        """Kill the process (not its children) if it is still running."""
        if not self._done.is_set():
            self._launch.kill()

    @property
    def launcher(self) -> str:
        """Return what started the command: ``c`` or ``python`` (launchers), ``none``."""
        return self._launch.kind

    @property
    def returncode(self) -> int | None:
        """Return the exit code (negative: killed by that signal), or None while running."""
        return self._exit.code if self._exit is not None and self._done.is_set() else None

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
        assert self._exit is not None
        cpu_s, maxrss = self._exit.cpu_s, self._exit.maxrss_kb or 0
        if cpu_s is None:
            cpu_s = samples[-1].cpu_s if samples else 0.0
        # A ru_maxrss no larger than the launcher's own peak may be the launcher's.
        informative = maxrss > self._exit.launcher_peak_kb
        return RunRecord(
            samples=samples,
            wall_s=self.wall_s,
            cpu_total_s=cpu_s,
            interval_s=self.interval,
            hwm_kb=self._sampler.hwm_kb,
            maxrss_kb=maxrss if informative else None,
            maxrss_bound_kb=None if informative else maxrss or None,
            memory_extra={
                "launcher": self.launcher,
                "launcher_floor_kb": self._exit.launcher_peak_kb,
            },
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

    def __init__(self, identifier: str, *, interval: float = DEFAULT_INTERVAL_S) -> None:
        super().__init__(identifier)
        self.interval = float(interval)

    @staticmethod
    def start_script(
        script: str | os.PathLike[str],
        args: Sequence[object] | None = None,
        *,
        interval: float = DEFAULT_INTERVAL_S,
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
        argv: Sequence[str | os.PathLike[str]],
        *,
        interval: float = DEFAULT_INTERVAL_S,
        **popen: Any,
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
    interval: float = DEFAULT_INTERVAL_S,
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
