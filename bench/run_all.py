"""Run every benchmark under bench/ and write bench/results.md (``make bench``).

Each benchmark runs in its own process and prints ``BENCH {json}`` lines; this script
collects them into one table (mlte_nb and the reference measured in the same run, with
their ratio) and appends each benchmark's own printout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _reference import reference_python  # noqa: E402
from _report import shown  # noqa: E402

BENCHMARKS = [
    ("garden accuracy", ["garden_accuracy.py"]),
    ("resource measurement", ["measure_accuracy.py"]),
    ("store scale", ["store_scale.py"]),
    ("validation scale", ["validate_scale.py"]),
    ("start-up", ["startup.py"]),
]


def machine() -> list[str]:
    """Describe the machine and the versions measured."""
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    reference = subprocess.run(
        [
            reference_python(),
            "-c",
            "import importlib.metadata as m; print(m.version('mlte-python'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return [
        f"- date: {dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {os.cpu_count()} cores ({cpu}), {platform.platform(terse=True)}, "
        f"load average at start {os.getloadavg()[0]:.2f}",
        f"- Python {platform.python_version()}; mlte-nb {metadata.version('mlte-nb')}; "
        f"mlte-python {reference} (in bench/.venv-reference)",
    ]


def run(script: str) -> tuple[list[dict[str, object]], str, float]:
    """Run one benchmark; return its result records, its printout and its duration."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / script)], capture_output=True, text=True, check=False
    )
    records = [
        json.loads(line[6:]) for line in done.stdout.splitlines() if line.startswith("BENCH ")
    ]
    kept = [line for line in done.stdout.splitlines() if not line.startswith("BENCH ")]
    printout = "\n".join(kept)
    if done.returncode != 0:
        printout += f"\n(exit code {done.returncode})\n" + done.stderr[-2000:]
    return records, printout, time.perf_counter() - started


def table(records: list[dict[str, object]]) -> list[str]:
    """Return the results table: both sides, and how many times faster mlte_nb is."""
    lines = [
        "| workload | mlte_nb, median (min-max, n) | reference, median (min-max, n) "
        "| reference / mlte_nb |",
        "|---|---|---|---|",
    ]
    for item in records:
        ratio = item["ratio"]
        shown_ratio = f"**{ratio:.3g}x**" if isinstance(ratio, float) else "n/a"
        note = f" ({item['note']})" if item.get("note") else ""
        unit = str(item.get("unit", "s"))
        lines.append(
            f"| {item['workload']}{note} | {shown(item['mlte_nb'], unit)} | "  # type: ignore[arg-type]
            f"{shown(item['reference'], unit)} | {shown_ratio} |"  # type: ignore[arg-type]
        )
    return lines


def main() -> None:
    """Run the benchmarks and write bench/results.md."""
    header = machine()
    records: list[dict[str, object]] = []
    details: list[str] = []
    for title, (script,) in BENCHMARKS:
        print(f"running {script} ...", flush=True)
        found, printout, seconds = run(script)
        records += found
        details += [
            f"### {title} (`bench/{script}`, {seconds:.0f} s)",
            "",
            "```",
            printout,
            "```",
            "",
        ]
    text = "\n".join(
        [
            "# mlte_nb benchmarks",
            "",
            "Measured by `make bench` in one run; ratios above 1 mean",
            "mlte_nb is faster (reference time / mlte_nb time).",
            "",
            *header,
            "",
            *table(records),
            "",
            "## Each benchmark's printout",
            "",
            *details,
        ]
    )
    (HERE / "results.md").write_text(text + "\n", encoding="utf-8")
    print("\n".join(table(records)))
    print(f"wrote {HERE / 'results.md'}")


if __name__ == "__main__":
    main()
