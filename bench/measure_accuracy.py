"""Resource evidence against known truths: mlte_nb and the reference (mlte-python 0.2.10).

Run with ``.venv/bin/python bench/measure_accuracy.py [--runs N]``. It installs the reference
into ``bench/.venv-reference/`` on first use (see ``_reference.py``), runs the same
workloads under both in the same run, prints a table and writes it to
``bench/measure_accuracy.md``. Truths hold under load (the machine may be shared):

- CPU peaks: the workloads burn a fixed amount of CPU time and record their own exact
  (CLOCK_MONOTONIC, CPU-seconds) curve; the truth is the largest utilisation over any
  100 ms window of that curve (summed over the children), whatever else runs.
- Memory: the workload reads its own ``VmHWM`` (exact peak RSS) just before it exits.
- ``/bin/true``: the CPU seconds the OS accounts to it when a tiny static C probe starts
  it (``vfork`` + ``execv`` + ``wait4``); its peak RSS as GNU ``time -v`` reports it
  (``ru_maxrss`` seen by a small parent), or, without GNU time, as that probe sees it.
  The exact page count at exit (``VmHWM`` read at a ``PTRACE_EVENT_EXIT`` stop) is in
  the notes.
- The cell: a ~1 s numpy cell in a real IPython shell, bare and under ``%%mlte_measure``.

mlte_nb runs from this process after it has touched 1 GB, as a big notebook kernel would
have: a child's ``ru_maxrss`` then includes the launcher's peak unless it is measured
through mlte_nb's small launcher. Each workload runs ``--runs`` times; medians are shown.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _reference import reference_python, run_driver
from _report import emit, summary

from mlte_nb.measure import (
    LocalProcessCPUUtilization,
    LocalProcessMemoryConsumption,
    ProcessMeasurement,
)
from mlte_nb.measure._sampler import TreeSampler

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE.parent / "tests" / "workloads"
WINDOW_S = 0.1

REFERENCE_DRIVER = """
import json, sys, time
from mlte.measurement import ProcessMeasurement
from mlte.measurement.cpu import LocalProcessCPUUtilization
from mlte.measurement.memory import LocalProcessMemoryConsumption
out = []
for job in json.loads(sys.argv[1]):
    start = time.perf_counter()
    try:
        if job["script"]:
            pid = ProcessMeasurement.start_script(job["script"], job["args"])
        else:
            pid = ProcessMeasurement.start_process(job["command"], job["args"])
        cpu = job["measure"] == "cpu"
        kind = LocalProcessCPUUtilization if cpu else LocalProcessMemoryConsumption
        value = kind("bench").evaluate(pid)
        result = {"avg": value.avg, "min": value.min, "max": value.max}
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["wall_s"] = time.perf_counter() - start
    out.append(result)
print(json.dumps(out))
"""

CELL_DRIVER = """
import json, os, resource, statistics, sys, tempfile, time
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
ip.run_line_magic("load_ext", "mlte_nb")
store = tempfile.mkdtemp()
ip.run_line_magic("mlte_context", f"Bench 0.1 --store local://{store}")
setup = "import numpy as np\\na = np.random.default_rng(0).random((256, 256))"
ip.run_cell(setup)
def cell(n):
    # the cell times its own body: the exact truth of the time the magic should record
    return (f"_t0 = time.perf_counter()\\nfor _ in range({n}):\\n    b = a @ a\\n"
            "body_s = time.perf_counter() - _t0")
ip.run_cell("import time")
def timed(code):
    start = time.perf_counter()
    ip.run_cell(code)
    return time.perf_counter() - start, ip.user_ns.get("body_s", 0.0)
n = 20
while timed(cell(n))[0] < 0.25:
    n *= 2
n = int(n * 1.0 / timed(cell(n))[0])
# a new id each run: saving without --force, as a first measurement is saved
magic = "%%mlte_measure numpy{} --time --cpu --memory\\n"
from mlte_nb import Real
rows = {"bare": [], "magic": [], "recorded": [], "empty_bare": [], "empty_magic": []}
for i in range(int(sys.argv[1])):
    rows["bare"].append(timed(cell(n)))
    rows["magic"].append(timed(magic.format(i) + cell(n)))
    rows["recorded"].append(Real.load(f"numpy{i} time").value)
    rows["empty_bare"].append(timed("body_s = 0.0"))
    rows["empty_magic"].append(timed(magic.format(f"empty{i}") + "body_s = 0.0"))
print(json.dumps({"n": n, **rows}))
"""


def window_peak(curves: list[list[list[float]]], window: float = WINDOW_S) -> float:
    """Return the largest utilisation (% of one core) over any ``window`` of summed curves."""
    start = min(curve[0][0] for curve in curves)
    end = max(curve[-1][0] for curve in curves)
    grid = np.arange(start, end + 0.005, 0.005)
    total = sum(np.interp(grid, *np.array(curve).T) for curve in curves)
    shift = round(window / 0.005)
    return float(((total[shift:] - total[:-shift]) / window * 100).max())


def cpu_self() -> tuple[float, float]:
    """Return CPU seconds of this process and of its waited-for children."""
    own, kids = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def measure_mlte(argv: list[str], *, script: bool) -> dict:
    """Run one workload under mlte_nb (one run feeds CPU and memory)."""
    (own0, kids0), start = cpu_self(), time.perf_counter()
    if script:
        handle = ProcessMeasurement.start_script(argv[0], argv[1:])
    else:
        handle = ProcessMeasurement.start_process(argv)
    cpu = LocalProcessCPUUtilization("bench cpu").evaluate(handle)
    memory = LocalProcessMemoryConsumption("bench memory").evaluate(handle)
    wall = time.perf_counter() - start
    own1, kids1 = cpu_self()
    return {
        "max": cpu.max,
        "total_cpu_s": cpu.data["total_cpu_s"],
        "peak": memory.data["peak"],
        "peak_source": memory.data["peak_source"],
        "wall_s": wall,
        "self_cpu_pct": 100 * (own1 - own0) / handle.wall_s,
        "launcher_cpu_s": (kids1 - kids0) - cpu.data["total_cpu_s"],
        "stdout": handle.stdout,
        "launcher": memory.data.get("launcher", "?"),
        "launcher_floor_kb": memory.data.get("launcher_floor_kb", 0),
    }


def workloads(tmp: Path) -> dict[str, dict]:
    """Return each workload: its argv (script first) and how to read its truth afterwards."""
    busy, kids = str(WORKLOADS / "recorded_busy.py"), str(WORKLOADS / "recorded_children.py")
    return {
        "idle 1 s, then busy 1 s": {
            "argv": [busy, "1.0", "1.0", str(tmp / "idle.json")],
            "truth": lambda out: window_peak([json.loads((tmp / "idle.json").read_text())]),
        },
        "two busy children (1 s each)": {
            "argv": [kids, "2", "1.0", str(tmp / "kids")],
            "truth": lambda out: window_peak(
                [json.loads((tmp / f"kids.{i}.json").read_text()) for i in range(2)]
            ),
        },
        "300 MB held 30 ms": {
            "argv": [str(WORKLOADS / "hold.py"), "300", "0.03"],
            "truth": lambda out: float(out.split("peak_kb")[-1].split()[0]),
        },
    }


def sampler_cost(seconds: float = 5.0) -> float:
    """Return the sampler's CPU cost (% of one core) sampling an idle process at the default."""
    child = subprocess.Popen(["sleep", str(seconds + 1)])
    own0, start = cpu_self()[0], time.perf_counter()
    sampler = TreeSampler(child.pid).start()
    time.sleep(seconds)
    sampler.stop()
    cost = 100 * (cpu_self()[0] - own0) / (time.perf_counter() - start)
    child.kill()
    child.wait()
    return cost


def reference_runs(jobs: list[dict]) -> list[dict]:
    """Run the reference's own CPU / memory measurements on the jobs, in its venv."""
    answer = run_driver(REFERENCE_DRIVER, json.dumps(jobs), timeout=900)
    if isinstance(answer, dict):  # the driver itself failed
        return [answer] * len(jobs)
    return answer


def cell_overhead(runs: int) -> dict:
    """Run the ~1 s numpy cell bare and under the magic in a real IPython shell (alternating)."""
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", CELL_DRIVER, str(runs)],
        capture_output=True, text=True, env=env, check=True, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    bare = [wall for wall, _ in rows["bare"]]
    magic_body = [body for _, body in rows["magic"]]
    raw = [m - b for (m, _), (b, _) in zip(rows["magic"], rows["bare"], strict=True)]
    # time spent outside the cell's body, magic minus bare, in the same pair of runs:
    # unlike the raw difference, this does not move with the load on the machine
    outside = [
        (m - mb) - (b - bb) for (m, mb), (b, bb) in zip(rows["magic"], rows["bare"], strict=True)
    ]
    recorded_error = [
        100 * (r - body) / body for r, body in zip(rows["recorded"], magic_body, strict=True)
    ]
    empty = [m - b for (m, _), (b, _) in zip(rows["empty_magic"], rows["empty_bare"], strict=True)]
    return {
        "bare_s": statistics.median(bare),
        "body_s": statistics.median(magic_body),
        "recorded_s": statistics.median(rows["recorded"]),
        "recorded_error_pct": statistics.median(recorded_error),
        "outside_pct": 100 * statistics.median(outside) / statistics.median(bare),
        "raw_pct": 100 * statistics.median(raw) / statistics.median(bare),
        "empty_cell_ms": 1000 * statistics.median(empty),
        "spread_bare_pct": 100 * (max(bare) - min(bare)) / statistics.median(bare),
    }


def _pct(x: float) -> str:
    return f"{x:+.1f} %"


def _reference_cpu(results: list[dict]) -> str:
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        return errors[0].split(":")[0] + f" ({len(errors)}/{len(results)} runs)"
    fraction = statistics.median(r["max"] for r in results)
    return f"max {fraction:.3g} (stored fraction) = {100 * fraction:.1f} %"


def _reference_memory(results: list[dict]) -> str:
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        return errors[0].split(":")[0] + f" ({len(errors)}/{len(results)} runs)"
    return f"max {statistics.median(r['max'] for r in results) / 1024:.1f} MB"


def run_processes(tmp: Path, runs: int) -> list[list[str]]:
    """Measure the process workloads under both; return table rows."""
    rows = []
    for (name, work), ref_work in zip(
        workloads(tmp / "m").items(), workloads(tmp / "r").values(), strict=True
    ):
        results = []
        for _ in range(runs):
            result = measure_mlte(work["argv"], script=True)
            result["truth"] = work["truth"](result["stdout"])
            results.append(result)
        job = {"script": ref_work["argv"][0], "args": ref_work["argv"][1:]}
        ref = reference_runs(
            [{**job, "measure": m} for _ in range(runs) for m in ("cpu", "memory")]
        )
        ref_cpu, ref_mem = ref[0::2], ref[1::2]
        ratio = statistics.median(
            (c["wall_s"] + m["wall_s"]) / r["wall_s"]
            for c, m, r in zip(ref_cpu, ref_mem, results, strict=True)
        )
        emit(
            f"measure CPU and memory of: {name}",
            summary([r["wall_s"] for r in results]),
            summary([c["wall_s"] + m["wall_s"] for c, m in zip(ref_cpu, ref_mem, strict=True)]),
            note="wall time; the reference runs the script once for CPU and once for memory",
        )
        is_memory = name.startswith("300")
        key, shown = (
            ("peak", _reference_memory(ref_mem)) if is_memory else ("max", _reference_cpu(ref_cpu))
        )
        truth = statistics.median(r["truth"] for r in results)
        value = statistics.median(r[key] for r in results)
        error = statistics.median(100 * (r[key] - r["truth"]) / r["truth"] for r in results)
        if is_memory:
            rows.append(
                [
                    name,
                    "peak RSS",
                    f"{truth / 1024:.1f} MB",
                    f"{value / 1024:.1f} MB",
                    shown,
                    _pct(error),
                    f"{ratio:.1f}x",
                ]
            )
        else:
            rows.append(
                [
                    name,
                    "peak CPU, % of one core",
                    f"{truth:.1f} %",
                    f"{value:.1f} %",
                    shown,
                    _pct(error),
                    f"{ratio:.1f}x",
                ]
            )
        rows[-1].append(", ".join(f"{r['self_cpu_pct']:.2f}" for r in results))
    return rows


# Truths for a tiny command, in C so that no interpreter's floor or start-up is involved.
# WAIT4 runs it the classic way (vfork + execv + wait4) and prints the ru_maxrss (KB) and
# CPU seconds a small static parent sees; PTRACE stops it at exit and prints the exact
# page count of its own memory (VmHWM, KB), then its ru_maxrss.
PROBES = {
    "wait4": """
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int status; struct rusage ru; pid_t pid = vfork();
    if (pid == 0) { execv(argv[1], argv + 1); _exit(127); }
    if (wait4(pid, &status, 0, &ru) < 0) return 1;
    printf("%ld %.6f\\n", (long)ru.ru_maxrss, ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
           + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
    return 0;
}
""",
    "ptrace": """
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static long hwm(pid_t pid) {
    char path[64], text[8192]; snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r"); if (!f) return -1;
    size_t n = fread(text, 1, sizeof text - 1, f); fclose(f); text[n] = 0;
    char *at = strstr(text, "VmHWM:"); return at ? strtol(at + 6, NULL, 10) : -1;
}
int main(int argc, char **argv) {
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0); raise(SIGSTOP); execv(argv[1], argv + 1); _exit(127);
    }
    int status; struct rusage ru; long peak = -1;
    waitpid(pid, &status, 0);
    if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC) < 0) return 1;
    ptrace(PTRACE_CONT, pid, 0, 0);
    for (;;) {
        if (wait4(pid, &status, 0, &ru) < 0) return 1;
        if (WIFEXITED(status) || WIFSIGNALED(status)) break;
        int sig = WSTOPSIG(status), event = status >> 16;
        if (event == PTRACE_EVENT_EXIT) peak = hwm(pid);
        ptrace(PTRACE_CONT, pid, 0, (sig == SIGTRAP || event) ? 0 : sig);
    }
    printf("%ld %ld\\n", peak, (long)ru.ru_maxrss); return 0;
}
""",
}


def build_probes(folder: Path) -> dict[str, Path]:
    """Compile the C probes that the C compiler can build (statically where possible)."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    built: dict[str, Path] = {}
    for name, source in PROBES.items():
        for flags in (["-static"], []):
            if compiler is None:
                break
            binary = folder / name
            command = [compiler, "-O2", *flags, "-x", "c", "-o", str(binary), "-"]
            if subprocess.run(command, input=source, text=True, capture_output=True).returncode:
                continue
            built[name] = binary
            break
    return built


def gnu_time_peak_kb(argv: list[str]) -> int | None:
    """Return GNU time -v's "Maximum resident set size" of ``argv``, or None without it."""
    if not Path("/usr/bin/time").exists():
        return None
    done = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return None


def python_spawn_cpu_s() -> float:
    """Return /bin/true's CPU seconds when posix_spawn'ed by a fresh ``python -I -S``."""
    code = (
        "import os\npid = os.posix_spawn('/bin/true', ['/bin/true'], os.environ)\n"
        "_, _, ru = os.wait4(pid, 0); print(ru.ru_utime + ru.ru_stime)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def _probe(binary: Path, *argv: str) -> list[float]:
    done = subprocess.run([binary, *argv], capture_output=True, text=True)
    try:
        return [float(word) for word in done.stdout.split()]
    except ValueError:
        return []


def run_true(runs: int) -> tuple[list[list[str]], str]:
    """Measure /bin/true under both, truths interleaved with mlte_nb's runs; rows and a note."""
    truth: dict[str, list[float]] = {"cpu": [], "peak": [], "exact": []}
    cpu_how, peak_how = "C vfork + wait4 probe", "GNU time -v"
    results = []
    with tempfile.TemporaryDirectory() as folder:
        probes = build_probes(Path(folder))
        for _ in range(runs):
            probe = _probe(probes["wait4"], "/bin/true") if "wait4" in probes else []
            if len(probe) == 2:
                truth["cpu"].append(probe[1])
            else:
                cpu_how = "posix_spawn from python -I -S"
                truth["cpu"].append(python_spawn_cpu_s())
            kb = gnu_time_peak_kb(["/bin/true"])
            if kb is None and probe:
                kb, peak_how = int(probe[0]), "C vfork + wait4 probe"
            if kb is not None:
                truth["peak"].append(kb)
            traced = _probe(probes["ptrace"], "/bin/true") if "ptrace" in probes else []
            if traced and traced[0] > 0:
                truth["exact"].append(traced[0])
            results.append(measure_mlte(["/bin/true"], script=False))
    ref = reference_runs(
        [
            {"script": None, "command": "/bin/true", "args": [], "measure": m}
            for _ in range(3)
            for m in ("cpu", "memory")
        ]
    )
    true_cpu = statistics.median(truth["cpu"])
    cpu = statistics.median(r["total_cpu_s"] for r in results)
    ratio = statistics.median(
        c["wall_s"] + m["wall_s"] for c, m in zip(ref[0::2], ref[1::2], strict=True)
    ) / statistics.median(r["wall_s"] for r in results)
    peak = statistics.median(r["peak"] for r in results)
    source = results[0]["peak_source"].split(" (")[0]
    launcher = results[0]["launcher"]
    floor = statistics.median(r["launcher_floor_kb"] for r in results)
    true_kb = statistics.median(truth["peak"]) if truth["peak"] else None
    rows = [
        [
            "/bin/true",
            "CPU seconds (OS total)",
            f"{1000 * true_cpu:.2f} ms ({cpu_how})",
            f"{1000 * cpu:.2f} ms",
            _reference_cpu(ref[0::2]),
            _pct(100 * (cpu - true_cpu) / true_cpu),
            f"{ratio:.1f}x",
            "",
        ],
        [
            "/bin/true",
            "peak RSS",
            f"{true_kb / 1024:.2f} MB ({peak_how}: ru_maxrss)" if true_kb else "n/a",
            f"{peak / 1024:.2f} MB ({source}; {launcher} launcher, floor {floor / 1024:.2f} MB)",
            _reference_memory(ref[1::2]),
            _pct(100 * (peak - true_kb) / true_kb) if true_kb else "n/a",
            "",
            "",
        ],
    ]
    note = (
        f"/bin/true: medians of {runs} runs, each truth taken right before each mlte_nb run; "
        f"mlte_nb started it through its {launcher} launcher, whose own peak (the floor a "
        "command inherits, and at or below which a ru_maxrss is labelled an upper bound) "
        f"was {floor / 1024:.2f} MB"
    )
    if truth["exact"] and true_kb:
        hwm = statistics.median(truth["exact"])
        note += (
            f". The exact page count of /bin/true's own memory at exit (VmHWM read at a "
            f"ptrace exit stop) is {hwm / 1024:.2f} MB: ru_maxrss, which GNU time, wait4 and "
            f"mlte_nb all report, is {100 * (peak - hwm) / hwm:+.1f} % off it for mlte_nb "
            f"({100 * (true_kb - hwm) / hwm:+.1f} % for {peak_how}), because Linux computes "
            "it from approximate per-CPU RSS counters (here about 200 KB low whatever the "
            "size, which matters only for processes of about 1 MB)"
        )
    return rows, note


HEADER = [
    "workload",
    "quantity",
    "truth",
    "mlte_nb",
    "reference 0.2.10",
    "mlte_nb error",
    "wall: ref / mlte_nb",
    "launching process CPU during the run, % of a core, per run (see notes)",
]


def render(rows: list[list[str]], notes: list[str]) -> str:
    """Return the table as Markdown, with the notes below it."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines + [""] + [f"- {note}" for note in notes]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per workload (median shown)")
    parser.add_argument("--cell-runs", type=int, default=5, help="bare/magic pairs of the cell")
    args = parser.parse_args()
    reference_python()  # create the reference's venv first, if missing
    load = os.getloadavg()
    ballast = bytearray(1 << 30)  # this process now has a 1 GB peak, like a big kernel
    ballast[::4096] = b"\x01" * len(ballast[::4096])
    with tempfile.TemporaryDirectory() as tmp:
        for side in ("m", "r"):
            (Path(tmp) / side).mkdir()
        rows = run_processes(Path(tmp), args.runs)
    del ballast
    true_rows, true_note = run_true(max(args.runs, 15))
    rows += true_rows
    cell = cell_overhead(args.cell_runs)
    rows.append(
        [
            "~1 s numpy cell, %%mlte_measure --time --cpu --memory",
            "wall time of the cell",
            f"{cell['body_s']:.3f} s (the cell's own clock)",
            f"{cell['recorded_s']:.3f} s (recorded)",
            "n/a (no cell measurement)",
            _pct(cell["recorded_error_pct"]),
            "",
            "",
        ]
    )
    cost = sampler_cost()
    overhead = cell["outside_pct"] + cost
    notes = [
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} before / {os.getloadavg()[0]:.2f} after; medians of {args.runs} runs "
        f"(cell: {args.cell_runs} alternating bare/magic pairs)",
        "mlte_nb ran from this process after it touched 1 GB (a big kernel's peak); "
        "one mlte_nb run gives CPU and memory, the reference needs one run for each",
        "reference CPU is stored as a fraction of one core (0.33 = 33 %): "
        "shown as stored and converted",
        f"magic overhead on the ~1 s cell: {overhead:.2f} % of the bare cell's wall time = "
        f"{cell['outside_pct']:.2f} % spent outside the cell body (magic minus bare, paired) "
        f"+ {cost:.2f} % at most for the sampler thread inside it; the raw difference of "
        f"paired wall times is {cell['raw_pct']:+.2f} %, but bare runs alone spread "
        f"{cell['spread_bare_pct']:.1f} % on this shared machine; fixed cost on an empty "
        f"cell {cell['empty_cell_ms']:.1f} ms",
        f"sampler cost at the default 100 ms interval, idle process: {cost:.2f} % of one core; "
        "the last column is all of this process during a run (sampler, output readers, "
        "reaper, evaluation and provenance, thread start-up)",
        true_note,
    ]
    text = render(rows, notes)
    print(text)
    (HERE / "measure_accuracy.md").write_text(
        "# Resource evidence against known truths\n\n"
        "Made by `.venv/bin/python bench/measure_accuracy.py`.\n\n" + text
    )


if __name__ == "__main__":
    main()
