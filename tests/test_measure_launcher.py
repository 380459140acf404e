"""The launchers between mlte_nb and a measured command: the compiled C one and the Python one."""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.measure import LocalProcessMemoryConsumption, ProcessMeasurement, _launch

WORKLOADS = Path(__file__).parent / "workloads"
COMPILER = shutil.which("cc") or shutil.which("gcc")
needs_compiler = pytest.mark.skipif(
    COMPILER is None or not sys.platform.startswith("linux"), reason="needs Linux and cc"
)

# An independent truth for a tiny command's peak: its ru_maxrss as wait4 reports it to a
# tiny, statically linked parent that fork()s (so nothing is shared with mlte_nb's code).
PROBE = textwrap.dedent("""\
    #include <stdio.h>
    #include <sys/resource.h>
    #include <sys/wait.h>
    #include <unistd.h>
    int main(int argc, char **argv) {
        int status; struct rusage usage;
        pid_t pid = fork();
        if (pid == 0) { execv(argv[1], argv + 1); _exit(127); }
        if (wait4(pid, &status, 0, &usage) < 0) return 1;
        printf("%ld\\n", (long)usage.ru_maxrss);
        return 0;
    }
""")


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the launcher cache at an empty folder and forget what this process built."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(_launch.LAUNCHER_ENV, raising=False)
    _launch._built.clear()
    yield tmp_path / "cache" / "mlte_nb"
    _launch._built.clear()


def _peak(argv: list[str]) -> tuple[int, str, str]:
    handle = ProcessMeasurement.start_process(argv)
    memory = LocalProcessMemoryConsumption("peak").evaluate(handle)
    return memory.data["peak"], memory.data["peak_source"], handle.launcher


@needs_compiler
def test_c_launcher_is_built_once_into_the_cache_and_used(fresh_cache: Path) -> None:
    handle = ProcessMeasurement.start_script(WORKLOADS / "busy.py", ["0.05"])
    memory = LocalProcessMemoryConsumption("m").evaluate(handle)
    assert handle.launcher == "c"
    assert memory.data["launcher"] == "c"
    assert 0 < memory.data["launcher_floor_kb"] < 4096  # a tiny launcher, not an interpreter
    built = list(fresh_cache.iterdir())
    assert [path.name[:9] for path in built] == ["launcher-"], built  # no leftover temp files
    assert oct(fresh_cache.stat().st_mode & 0o777) == "0o700"
    mtime = built[0].stat().st_mtime_ns
    _launch._built.clear()  # a new process: found in the cache, not rebuilt
    assert _peak(["/bin/true"])[2] == "c"
    assert built[0].stat().st_mtime_ns == mtime
    package = Path(_launch.__file__).parent
    assert not [p for p in package.iterdir() if p.name.startswith("launcher")]


@needs_compiler
def test_processes_building_at_once_do_not_clash(fresh_cache: Path) -> None:
    code = "from mlte_nb.measure._launch import c_launcher; print(c_launcher())"
    builders = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    paths = {builder.communicate(timeout=120)[0].strip() for builder in builders}
    assert len(paths) == 1
    (path,) = paths
    assert Path(path).parent == fresh_cache
    assert [p.name for p in fresh_cache.iterdir()] == [Path(path).name]
    assert os.access(path, os.X_OK)


@needs_compiler
def test_true_peak_is_its_own_not_the_launchers(fresh_cache: Path, tmp_path: Path) -> None:
    assert COMPILER is not None
    probe = tmp_path / "probe"
    subprocess.run(
        [COMPILER, "-O2", "-static", "-x", "c", "-o", str(probe), "-"],
        input=PROBE, text=True, check=True,
    )  # fmt: skip
    ballast = bytearray(300 * 2**20)  # a big kernel's peak must not leak into the child's
    ballast[:: 2**12] = b"\x01" * len(ballast[:: 2**12])
    truth, measured = [], []
    for _ in range(9):
        truth.append(int(subprocess.run([probe, "/bin/true"], capture_output=True).stdout))
        peak, source, launcher = _peak(["/bin/true"])
        assert (source, launcher) == ("ru_maxrss", "c")  # exact, not an upper bound
        measured.append(peak)
    del ballast
    # Linux's ru_maxrss of a 1 MB process moves by about 10 % between runs (its RSS
    # counters are per-CPU approximations), so medians are compared.
    true_kb, peak_kb = statistics.median(truth), statistics.median(measured)
    assert abs(peak_kb - true_kb) <= 0.1 * true_kb, (truth, measured)


def test_forced_python_launcher_still_measures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_launch.LAUNCHER_ENV, "python")
    handle = ProcessMeasurement.start_script(WORKLOADS / "hold.py", ["60", "0.02"])
    memory = LocalProcessMemoryConsumption("m").evaluate(handle)
    assert handle.launcher == "python"
    true_peak = int(handle.stdout.split("peak_kb")[-1])
    assert memory.data["peak_source"] == "ru_maxrss"
    assert abs(memory.data["peak"] - true_peak) <= 0.02 * true_peak
    # /bin/true stays below the interpreter's floor: reported as an upper bound, and says so
    peak, source, launcher = _peak(["/bin/true"])
    assert launcher == "python"
    assert "upper bound" in source
    assert peak > 4096


def test_no_compiler_falls_back_to_python(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    handle = ProcessMeasurement.start_script(WORKLOADS / "busy.py", ["0.05"])
    assert handle.wait(timeout=30) == 0
    assert handle.launcher == "python"
    assert "busy for" in handle.stdout
    assert not fresh_cache.exists() or not list(fresh_cache.iterdir())


@needs_compiler
def test_failed_compilation_falls_back_to_python(
    fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.c"
    broken.write_text("int main(void) { return this is not C; }\n")
    monkeypatch.setattr(_launch, "_C_SOURCE", broken)
    _, source, launcher = _peak(["/bin/true"])
    assert launcher == "python"
    assert "upper bound" in source
    assert not list(fresh_cache.iterdir())  # no partial binary left behind


@pytest.mark.parametrize("kind", ["c", "python"])
def test_both_launchers_report_missing_commands_and_signals(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "c" and COMPILER is None:
        pytest.skip("needs cc")
    monkeypatch.setenv(_launch.LAUNCHER_ENV, kind)
    with pytest.raises(MeasurementError, match="No such file"):
        ProcessMeasurement.start_process(["no-such-command-mlte"])
    handle = ProcessMeasurement.start_process(["sh", "-c", "echo out; echo err >&2; exit 7"])
    assert handle.wait(timeout=30) == 7
    assert (handle.stdout, handle.stderr, handle.launcher) == ("out\n", "err\n", kind)
    handle = ProcessMeasurement.start_process(["sleep", "30"])
    handle.kill()
    assert handle.wait(timeout=30) == -signal.SIGKILL
    assert handle.record().cpu_total_s < 1.0
