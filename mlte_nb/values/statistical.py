"""The seed scenario's statistical evidence, shipped as built-ins.

MultipleAccuracy (one accuracy per population), RankSums (one Wilcoxon rank-sum
test) and MultipleRanksums (a family of them, judged with a Bonferroni-style threshold).
"""

from __future__ import annotations

import math
from typing import Any

from mlte_nb.errors import MeasurementError
from mlte_nb.store._json import normalize
from mlte_nb.values.collection import Array, Opaque
from mlte_nb.values.condition import Failure, Result, Success, builder


def _is_nan(number: Any) -> bool:
    return not isinstance(number, (int, float)) or (
        isinstance(number, float) and math.isnan(number)
    )


def _not_a_probability(number: Any) -> bool:
    """Return True unless ``number`` is a real number in [0, 1] (bools and NaN are not)."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return True
    return not 0.0 <= number <= 1.0


class MultipleAccuracy(Array):
    """Accuracies (fractions 0..1) of one model over several populations."""

    default_unit = "fraction correct"
    aliases = ("values.multiple_accuracy.MultipleAccuracy",)

    @builder("every accuracy at least {0}")
    def all_accuracies_more_or_equal_than(self, threshold: float) -> Result:
        """Pass when every population's accuracy is at least ``threshold``."""
        if not self.array:
            return Failure("no accuracies were measured; an empty set never passes")
        bad = [a for a in self.array if _not_a_probability(a)]
        if bad:
            return Failure(
                f"{_count(len(bad), 'accuracy is', 'accuracies are')} not fractions between "
                f"0 and 1 (NaN, infinite, bool or out of range): {bad}"
            )
        low = [a for a in self.array if a < threshold]
        shown = ", ".join(f"{a:.4g}" for a in self.array)
        if low:
            return Failure(f"accuracies [{shown}]: {len(low)} below threshold {threshold:g}")
        if len(self.array) == 1:
            return Success(f"the only accuracy [{shown}] is at least {threshold:g}")
        return Success(f"all {len(self.array)} accuracies [{shown}] are at least {threshold:g}")

    def headline(self) -> float | None:
        """Return the lowest accuracy (the one a threshold decides on)."""
        numbers = [a for a in self.array if not _not_a_probability(a)]
        return float(min(numbers)) if numbers else None

    # mlte-python 0.2.10 stored this condition under a shorter name.
    all_accuracies_more_than = all_accuracies_more_or_equal_than


class RankSums(Array):
    """A Wilcoxon rank-sum test: ``[statistic, p_value]``."""

    aliases = ("values.ranksums.RankSums",)
    expects = "[statistic, p_value] (what scipy.stats.ranksums returns)"

    def __init__(
        self,
        measurement_id: str,
        array: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, array, unit=unit, provenance=provenance)
        if len(self.array) != 2:
            msg = f"RankSums {measurement_id!r} needs [statistic, p_value], got {self.array}"
            raise MeasurementError(msg)

    @property
    def statistic(self) -> float:
        """Return the test statistic."""
        return float(self.array[0])

    @property
    def p_value(self) -> float:
        """Return the two-sided p-value."""
        return float(self.array[1])

    def headline(self) -> float | None:
        """Return the p-value."""
        return None if _is_nan(self.array[1]) else self.p_value

    def summary(self) -> str:
        """Return statistic and p-value."""
        return f"statistic {self.statistic:.4g}, p-value {self.p_value:.4g}"

    @builder("p-value at least {0}")
    def p_value_greater_or_equal_to(self, threshold: float) -> Result:
        """Pass when the p-value is at least ``threshold`` (no significant difference)."""
        if _is_nan(self.array[1]):
            return Failure("p-value is NaN (a group was empty or constant); it cannot pass")
        if _not_a_probability(self.array[1]):
            return Failure(f"p-value {self.array[1]!r} is not a probability between 0 and 1")
        if self.p_value >= threshold:
            return Success(f"p-value {self.p_value:.4g} is at least {threshold:.4g}")
        return Failure(f"p-value {self.p_value:.4g} is below threshold {threshold:.4g}")


def _check_family(measurement_id: str, items: list[Any]) -> None:
    """Refuse anything but ``[{test id: [statistic, p_value]}, ...]``."""
    for item in items:
        pairs = item.values() if isinstance(item, dict) else None
        if pairs is None or any(not isinstance(p, list) or len(p) != 2 for p in pairs):
            msg = (
                f"MultipleRanksums {measurement_id!r} needs a list of "
                f"{{test id: [statistic, p_value]}} dicts, got {item!r}"
            )
            raise MeasurementError(msg)


class MultipleRanksums(Opaque):
    """A family of rank-sum tests, ``[{test id: [statistic, p_value]}, ...]``.

    Conditions divide their threshold by ``num_pops`` (as mlte-python does), a
    Bonferroni-style correction for the number of populations compared.
    """

    aliases = ("values.multiple_ranksums.MultipleRanksums",)

    def __init__(
        self,
        measurement_id: str,
        array: Any,
        *,
        num_pops: int = 1,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(array, dict) and "array" in array:  # the stored form
            stored = array.get("num_pops")
            num_pops = int(stored) if stored is not None else num_pops
            array = array["array"]
        items = normalize(list(array))
        _check_family(measurement_id, items)
        super().__init__(measurement_id, {"array": items}, unit=unit, provenance=provenance)
        self.array: list[dict[str, list[float]]] = items
        self.num_pops = num_pops

    def payload(self) -> dict[str, Any]:
        """Return ``{"data": {"array": [...], "num_pops": N}}`` as mlte-python stores it."""
        return {"data": {"array": self.array, "num_pops": self.num_pops}}

    def tests(self) -> list[tuple[str, Any, Any]]:
        """Return ``(test id, statistic, p_value)`` for every comparison, as stored."""
        return [(name, pair[0], pair[1]) for item in self.array for name, pair in item.items()]

    def headline(self) -> float | None:
        """Return the lowest p-value."""
        p_values = [float(p) for _, _, p in self.tests() if not _not_a_probability(p)]
        return min(p_values) if p_values else None

    def summary(self) -> str:
        """Return how many tests there are and the smallest p-value."""
        p_values = [p for _, _, p in self.tests() if not _is_nan(p)]
        lowest = f", lowest p-value {min(p_values):.4g}" if p_values else ""
        return f"{len(self.array)} comparisons over {self.num_pops} populations{lowest}"

    @builder("every p-value at least {0} / num_pops")
    def all_p_values_greater_or_equal_than(self, threshold: float) -> Result:
        """Pass when every p-value is at least ``threshold / num_pops``."""
        if self.num_pops < 1:
            return Failure(f"num_pops is {self.num_pops}; it must be at least 1")
        limit = threshold / self.num_pops
        tests = self.tests()
        if not tests:
            return Failure("no comparisons were made; zero comparisons never pass")
        nan = [name for name, _, p in tests if _is_nan(p)]
        if nan:
            return Failure(f"{len(nan)} of {len(tests)} p-values are NaN, e.g. {nan[0]!r}")
        odd = [name for name, _, p in tests if _not_a_probability(p)]
        if odd:
            return Failure(f"{len(odd)} p-values are not between 0 and 1, e.g. {odd[0]!r}")
        low = [(name, p) for name, _, p in tests if p < limit]
        if low:
            name, p = min(low, key=lambda item: item[1])
            return Failure(
                f"{len(low)} of {len(tests)} p-values below {limit:.4g}; lowest {p:.4g} ({name})"
            )
        return Success(f"all {len(tests)} p-values are at least {limit:.4g}")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
