"""Paired timing: both sides run in lockstep in long-lived processes, one run each in turn.

On a shared machine whose speed changes by 2x within seconds, timings taken minutes apart
do not compare. Here each side runs in its own process (mlte_nb in this environment, the
reference in its venv), and the parent asks them for one timed run each in turn, swapping
who goes first every round. Each pair of runs saw the same machine, so the median of the
per-pair ratios is a fair figure even when the medians of the two sides drift.

A side is Python source defining ``prepare()`` (untimed, before each run) and ``run()``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from dataclasses import dataclass

from _reference import reference_python

_WORKER = """
import sys, time
{source}
out = sys.stdout
for _line in sys.stdin:
    prepare()
    started = time.perf_counter()
    run()
    out.write(repr(time.perf_counter() - started) + "\\n")
    out.flush()
"""


@dataclass
class Paired:
    """The timings of both sides, run i of one beside run i of the other."""

    ours: list[float]
    reference: list[float]

    def ratios(self) -> list[float]:
        """Return reference / mlte_nb for each pair of runs."""
        return [theirs / mine for mine, theirs in zip(self.ours, self.reference, strict=True)]

    def ratio(self) -> float:
        """Return the median of the per-pair ratios (above 1: mlte_nb is faster)."""
        return statistics.median(self.ratios())

    def quartiles(self) -> tuple[float, float]:
        """Return the first and third quartiles of the per-pair ratios."""
        first, _, third = statistics.quantiles(self.ratios(), n=4)
        return first, third


class _Worker:
    def __init__(self, python: str, source: str, args: tuple[str, ...]) -> None:
        self.process = subprocess.Popen(
            [python, "-c", _WORKER.replace("{source}", source), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def timed_run(self) -> float:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write("go\n")
        stdin.flush()
        answer = stdout.readline()
        if not answer:
            self.process.wait()
            raise RuntimeError(f"a benchmark worker died (exit code {self.process.returncode})")
        return float(answer)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def paired(ours: str, reference: str, *args: str, runs: int, warmup: int = 10) -> Paired:
    """Time ``runs`` runs of each side in lockstep, after ``warmup`` untimed ones each.

    ``args`` are passed to both sides' scripts (``sys.argv[1:]``).
    """
    sides = [
        _Worker(sys.executable, ours, args),
        _Worker(str(reference_python()), reference, args),
    ]
    try:
        for _ in range(warmup):
            for side in sides:
                side.timed_run()
        times: list[list[float]] = [[], []]
        for index in range(runs):
            order = (0, 1) if index % 2 == 0 else (1, 0)
            for which in order:
                times[which].append(sides[which].timed_run())
    finally:
        for side in sides:
            side.close()
    return Paired(ours=times[0], reference=times[1])
