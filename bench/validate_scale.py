"""Validate a Spec of 1,000 conditions against 1,000 values: mlte_nb and mlte-python 0.2.10.

Run with ``python bench/validate_scale.py [--runs N]``. Both sides build the same spec
(1,000 ``Real.less_than`` conditions, half of them failing) and the same values, and time
``SpecValidator(spec)``, adding the values and ``validate()``. Two workloads:

- *again*: the same spec and values validated over and over (as in a notebook loop);
- *fresh*: new spec and value objects before every run (as when both were just loaded),
  so that nothing worked out for one validation helps the next.

The sides run in lockstep (``_paired.py``): the ratio is the median of per-pair ratios.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Paired, paired
from _report import emit, shown, summary

SIZE = 1000
REFERENCE = """
from mlte.spec.spec import Spec
from mlte.property.costs.storage_cost import StorageCost
from mlte.value.types.real import Real
from mlte.validation.spec_validator import SpecValidator
from mlte.evidence.metadata import EvidenceMetadata, Identifier
SIZE, FRESH = int(sys.argv[1]), sys.argv[2] == 'fresh'
def build():
    global spec, values
    conditions = {f"m{i}": Real.less_than(0.5) for i in range(SIZE)}
    spec = Spec(properties={StorageCost("x"): conditions})
    meta = lambda i: EvidenceMetadata(measurement_type="x", identifier=Identifier(name=f"m{i}"))
    values = [Real(meta(i), 0.1 * (i % 10)) for i in range(SIZE)]
build()
def prepare():
    if FRESH:
        build()
def run():
    validator = SpecValidator(spec)
    validator.add_values(values)
    validator.validate()
"""
OURS = """
from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy
SIZE, FRESH = int(sys.argv[1]), sys.argv[2] == 'fresh'
def build():
    global spec, values
    conditions = {f"m{i}": Real.less_than(0.5) for i in range(SIZE)}
    spec = Spec(properties={TaskEfficacy("x"): conditions})
    values = [Real(f"m{i}", 0.1 * (i % 10)) for i in range(SIZE)]
build()
def prepare():
    if FRESH:
        build()
def run():
    SpecValidator(spec).add_values(values).validate()
"""


def report(label: str, timings: Paired) -> None:
    """Print one line and one result record for a workload."""
    low, high = timings.quartiles()
    print(
        f"{label}: mlte_nb {shown(summary(timings.ours))}, "
        f"reference {shown(summary(timings.reference))}; per-pair ratio "
        f"{timings.ratio():.2f}x (quartiles {low:.2f}-{high:.2f})"
    )
    emit(
        label,
        summary(timings.ours),
        summary(timings.reference),
        ratio=timings.ratio(),
        note=f"runs in lockstep; median of per-pair ratios (quartiles {low:.2f}-{high:.2f})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    for how in ("again", "fresh objects each run"):
        timings = paired(OURS, REFERENCE, str(SIZE), how.split()[0], runs=args.runs)
        report(f"validate a Spec of {SIZE} conditions against {SIZE} values ({how})", timings)


if __name__ == "__main__":
    main()
