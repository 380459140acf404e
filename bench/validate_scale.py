"""Validate a Spec of 1,000 conditions against 1,000 values: mlte_nb and mlte-python 0.2.10.

Run with ``python bench/validate_scale.py [--repeats N]``; both sides build the same spec
(1,000 ``Real.less_than`` conditions) and the same values, then time ``validate()`` only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reference import run_driver
from _report import emit, shown, timed

from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy

SIZE = 1000
REFERENCE = """
import json, sys, time, statistics
from mlte.spec.spec import Spec
from mlte.property.costs.storage_cost import StorageCost
from mlte.value.types.real import Real
from mlte.validation.spec_validator import SpecValidator
from mlte.evidence.metadata import EvidenceMetadata, Identifier
size, repeats = int(sys.argv[1]), int(sys.argv[2])
spec = Spec(properties={StorageCost("x"): {f"m{i}": Real.less_than(0.5) for i in range(size)}})
meta = lambda i: EvidenceMetadata(measurement_type="x", identifier=Identifier(name=f"m{i}"))
values = [Real(meta(i), 0.1 * (i % 10)) for i in range(size)]
times = []
for _ in range(repeats):
    started = time.perf_counter()
    validator = SpecValidator(spec)
    validator.add_values(values)
    validator.validate()
    times.append(time.perf_counter() - started)
print(json.dumps({"median": statistics.median(times), "min": min(times), "max": max(times),
                  "n": len(times)}))
"""


def ours(repeats: int) -> dict[str, float]:
    """Time mlte_nb's validation of SIZE conditions."""
    spec = Spec(properties={TaskEfficacy("x"): {f"m{i}": Real.less_than(0.5) for i in range(SIZE)}})
    values = [Real(f"m{i}", 0.1 * (i % 10)) for i in range(SIZE)]
    return timed(lambda: SpecValidator(spec).add_values(values).validate(), repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    mine = ours(args.repeats)
    reference = run_driver(REFERENCE, str(SIZE), str(args.repeats))
    reference = None if "error" in reference else reference
    print(f"validate {SIZE} conditions: mlte_nb {shown(mine)}, reference {shown(reference)}")
    emit(f"validate a Spec of {SIZE} conditions against {SIZE} values", mine, reference)


if __name__ == "__main__":
    main()
