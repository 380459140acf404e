"""measure_block: time, CPU and memory of a block of this process."""

from __future__ import annotations

import threading
import time

import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.measure import block_values, measure_block, measure_runs
from mlte_nb.values import CPUStatistics, MemoryStatistics, Real

MB = 1024  # KB


def _busy(cpu_seconds: float) -> None:
    start = time.process_time()
    while time.process_time() - start < cpu_seconds:
        pass


def test_busy_block_is_about_one_core() -> None:
    with measure_block(interval=0.05) as block:
        _busy(0.5)
    assert block.finished
    assert block.wall_s >= 0.45  # CPU may exceed wall a little: the sampler runs in parallel
    assert block.cpu_s == pytest.approx(0.5, abs=0.05)
    time_value, cpu, memory = block_values(block, "predicting")
    assert isinstance(time_value, Real)
    assert time_value.measurement_id == "predicting time"
    assert time_value.unit == "s"
    assert isinstance(cpu, CPUStatistics)
    assert cpu.measurement_id == "predicting cpu"
    # The block measures the whole process: other threads of a long test run (kernels, shells)
    # may add a little; the exact total above is the tight check.
    assert 50 <= cpu.max <= 200, cpu.data["samples"]
    assert cpu.avg == pytest.approx(100 * block.cpu_s / block.wall_s, abs=0.01)
    assert isinstance(memory, MemoryStatistics)
    assert memory.measurement_id == "predicting memory"
    assert memory.provenance["measurement_type"] == "measure_block"


def test_allocation_block_peak_and_added() -> None:
    with measure_block(interval=0.5) as block:
        burst = bytearray(150 * 2**20)
        burst[:: 2**12] = b"\x01" * len(burst[:: 2**12])
        time.sleep(0.02)
        del burst
        kept = b"k" * (40 * 2**20)
    assert block.peak_is_exact
    assert block.peak_kb - block.rss_before_kb >= 140 * MB
    assert 30 * MB <= block.added_kb <= 60 * MB
    (memory,) = block_values(block, "alloc", time=False, cpu=False)
    assert memory.data["peak"] == block.peak_kb
    assert memory.data["added"] == block.added_kb
    assert len(kept) == 40 * 2**20


def test_sampler_stops_when_block_raises() -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ZeroDivisionError), measure_block() as block:
        _ = 1 / 0
    assert block.finished
    after = {t.name for t in threading.enumerate() if t.name.startswith("mlte-sampler")}
    assert not (after - before)


def test_block_shorter_than_interval_has_finite_cpu() -> None:
    with measure_block(interval=1.0) as block:
        pass
    (cpu,) = block_values(block, "empty", time=False, memory=False)
    assert 0 <= cpu.max < 1000
    assert len(block.samples) >= 2


class TestMeasureRuns:
    def test_runs_once_by_default(self) -> None:
        calls: list[int] = []
        values = measure_runs(lambda: calls.append(1) is None, "once", memory=False)
        assert calls == [1]
        assert [v.measurement_id for v in values] == ["once time", "once cpu"]
        assert "repeat" not in values[0].provenance

    def test_repeat_runs_a_warmup_then_n_and_records_median_and_spread(self) -> None:
        calls: list[int] = []

        def run() -> bool:
            calls.append(1)
            _busy(0.02 * len(calls))  # each run longer than the last: a known median
            return True

        time_value, cpu, memory = measure_runs(run, "rep", repeat=3)
        assert len(calls) == 4  # one warm-up, three measured
        spread = time_value.provenance["repeat"]
        assert spread["runs"] == 3
        assert spread["warmup_runs"] == 1
        walls = spread["wall_s"]
        assert len(walls) == 3
        assert spread["min_s"] == min(walls)
        assert spread["max_s"] == max(walls)
        assert time_value.value == pytest.approx(sorted(walls)[1], abs=1e-6)
        assert spread["iqr_s"] >= 0
        assert isinstance(cpu, CPUStatistics)
        assert len(cpu.data["avg_per_run"]) == 3
        assert isinstance(memory, MemoryStatistics)
        assert len(memory.data["peak_per_run"]) == 3
        assert cpu.provenance["repeat"] == spread

    def test_a_failing_run_gives_no_evidence(self) -> None:
        outcomes = iter([True, True, False])
        with pytest.raises(MeasurementError, match=r"run 2.*'bad'"):
            measure_runs(lambda: next(outcomes), "bad", repeat=3)

    def test_a_failing_warmup_gives_no_evidence(self) -> None:
        with pytest.raises(MeasurementError, match="warm-up"):
            measure_runs(lambda: False, "bad", repeat=2)

    def test_repeat_below_one_is_an_error(self) -> None:
        with pytest.raises(MeasurementError, match="at least 1"):
            measure_runs(lambda: True, "x", repeat=0)
