"""Validate a Spec of 1,000 conditions against 1,000 values: mlte_nb and mlte-python 0.2.10.

Run with ``python bench/validate_scale.py [--rounds N] [--repeats N]``. Both sides build the
same spec (1,000 ``Real.less_than`` conditions) and the same values in a fresh process, then
time ``validate()`` only, ``--repeats`` times, keeping the fastest. The two sides alternate
for ``--rounds`` rounds, so that a shared machine changing speed during the run affects both
alike; the table shows the median and spread of the rounds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reference import run_driver
from _report import emit, shown, summary

SIZE = 1000
TIMER = """
import json, sys, timeit
size, repeats = int(sys.argv[1]), int(sys.argv[2])
best = min(timeit.repeat(run, number=1, repeat=repeats))
print(json.dumps({"best": best}))
"""
REFERENCE = """
from mlte.spec.spec import Spec
from mlte.property.costs.storage_cost import StorageCost
from mlte.value.types.real import Real
from mlte.validation.spec_validator import SpecValidator
from mlte.evidence.metadata import EvidenceMetadata, Identifier
import sys
size = int(sys.argv[1])
spec = Spec(properties={StorageCost("x"): {f"m{i}": Real.less_than(0.5) for i in range(size)}})
meta = lambda i: EvidenceMetadata(measurement_type="x", identifier=Identifier(name=f"m{i}"))
values = [Real(meta(i), 0.1 * (i % 10)) for i in range(size)]
def run():
    validator = SpecValidator(spec)
    validator.add_values(values)
    validator.validate()
"""
OURS = """
from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy
import sys
size = int(sys.argv[1])
spec = Spec(properties={TaskEfficacy("x"): {f"m{i}": Real.less_than(0.5) for i in range(size)}})
values = [Real(f"m{i}", 0.1 * (i % 10)) for i in range(size)]
def run():
    SpecValidator(spec).add_values(values).validate()
"""


def ours(repeats: int) -> float:
    """Return mlte_nb's fastest validation in a fresh process of this environment."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", OURS + TIMER, str(SIZE), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(done.stdout.splitlines()[-1])["best"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    mine, theirs = [], []
    for _ in range(args.rounds):
        mine.append(ours(args.repeats))
        found = run_driver(REFERENCE + TIMER, str(SIZE), str(args.repeats))
        if "error" not in found:
            theirs.append(float(found["best"]))
    reference = summary(theirs) if theirs else None
    print(
        f"validate {SIZE} conditions (fastest of {args.repeats} per round, {args.rounds} "
        f"alternating rounds): mlte_nb {shown(summary(mine))}, reference {shown(reference)}"
    )
    emit(
        f"validate a Spec of {SIZE} conditions against {SIZE} values",
        summary(mine),
        reference,
        note="fastest of each round, sides alternating",
    )


if __name__ == "__main__":
    main()
