"""ProcessMeasurement: real processes, captured output, exact totals, failures."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.measure import (
    LocalProcessCPUUtilization,
    LocalProcessMemoryConsumption,
    ProcessHandle,
    ProcessMeasurement,
    measure_process,
)
from mlte_nb.values import CPUStatistics, MemoryStatistics

WORKLOADS = Path(__file__).parent / "workloads"


def test_stdout_and_stderr_are_captured_without_blocking() -> None:
    handle = ProcessMeasurement.start_script(WORKLOADS / "chatty.py")
    assert handle.wait(timeout=20) == 0
    assert handle.stdout.count("\n") == 50_001
    assert handle.stdout.endswith("done\n")
    assert "stderr line 49990" in handle.stderr
    assert "exit code 0" in repr(handle)
    assert "done" in handle._repr_html_()


def test_instant_exit_gives_finite_numbers() -> None:
    handle = ProcessMeasurement.start_process(["/bin/true"])
    cpu = LocalProcessCPUUtilization("true cpu").evaluate(handle)
    memory = LocalProcessMemoryConsumption("true memory").evaluate(handle)
    assert handle.returncode == 0
    for number in (cpu.avg, cpu.min, cpu.max, memory.avg, memory.data["peak"]):
        assert math.isfinite(number)
    assert cpu.data["wall_s"] > 0
    assert 0 <= cpu.data["total_cpu_s"] < 0.5


def test_failing_script_raises_naming_script_code_and_stderr() -> None:
    handle = ProcessMeasurement.start_script(WORKLOADS / "fail.py")
    with pytest.raises(MeasurementError) as caught:
        LocalProcessCPUUtilization("failing cpu").evaluate(handle)
    message = str(caught.value)
    assert "fail.py" in message
    assert "exit" in message
    assert "code 3" in message
    assert "model file missing: weights.bin" in message
    assert "log line 0\n" not in message  # only the tail
    assert handle.stdout == "working on it\n"
    with pytest.raises(MeasurementError, match="code 3"):
        LocalProcessMemoryConsumption("failing memory").evaluate(handle)


def test_missing_script_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MeasurementError, match=r"nope\.py.*not found"):
        ProcessMeasurement.start_script(tmp_path / "nope.py")


def test_one_handle_feeds_cpu_and_memory() -> None:
    handle = ProcessMeasurement.start_script(WORKLOADS / "busy.py", ["0.3"])
    cpu = LocalProcessCPUUtilization("predicting cpu").evaluate(handle)
    memory = LocalProcessMemoryConsumption("predicting memory").evaluate(handle)
    assert handle.stdout.count("busy for") == 1  # one run
    assert isinstance(cpu, CPUStatistics)
    assert isinstance(memory, MemoryStatistics)
    assert cpu.data["wall_s"] == memory.data["wall_s"]
    assert cpu.provenance["exit_code"] == 0
    assert cpu.provenance["measurement_type"] == "LocalProcessCPUUtilization"
    # the pid of a handle we started resolves to the same run
    again = LocalProcessCPUUtilization("by pid").evaluate(handle.pid)
    assert again.data["total_cpu_s"] == cpu.data["total_cpu_s"]


def test_measure_process_runs_once_and_returns_both() -> None:
    cpu, memory, handle = measure_process(
        WORKLOADS / "busy.py", ["0.2"], cpu_id="c", memory_id="m", interval=0.02
    )
    assert isinstance(handle, ProcessHandle)
    assert cpu is not None
    assert memory is not None
    assert cpu.data["interval_s"] == 0.02
    assert cpu.data["total_cpu_s"] == pytest.approx(handle.cpu_total_s)
    assert memory.data["peak"] == handle.peak_rss_kb


def test_bare_pid_is_sampled_until_it_exits() -> None:
    child = subprocess.Popen([sys.executable, str(WORKLOADS / "busy.py"), "0.4"])
    try:
        cpu = LocalProcessCPUUtilization("external").evaluate(child.pid)
    finally:
        child.wait()
    assert cpu.max > 50
    assert cpu.provenance["pid"] == child.pid


def test_bare_pid_that_does_not_exist() -> None:
    child = subprocess.Popen(["/bin/true"])
    child.wait()
    with pytest.raises(MeasurementError, match=str(child.pid)):
        LocalProcessMemoryConsumption("gone").evaluate(child.pid)
