"""Numbers and text: Integer, Real and String."""

from __future__ import annotations

import functools
import math
import numbers
import operator
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from mlte_nb.errors import MeasurementError
from mlte_nb.values.base import Evidence, Value
from mlte_nb.values.condition import (
    Failure,
    Result,
    Success,
    Verdict,
    VerdictCheck,
    builder,
)

S = TypeVar("S", bound="_Number")


def _with_unit(number: float, unit: str | None) -> str:
    text = "%.6g" % number if type(number) is float else str(number)  # noqa: UP031 - faster
    return text + " " + unit if unit else text


_isfinite = math.isfinite


def _as_float(number: float) -> float:
    try:
        return float(number)
    except OverflowError:  # an integer beyond float range
        return math.inf if number > 0 else -math.inf


# A spec's thresholds repeat across its conditions: format each (threshold, unit) once.
_threshold_text = functools.lru_cache(maxsize=4096)(_with_unit)


def _comparison(name: str, relation: str, passes: Callable[[Any, Any], bool]) -> VerdictCheck:
    """Return the verdict check ``name``: the value stands in ``relation`` to a threshold."""

    def check(self: _Number, threshold: float) -> Verdict:
        number = self.value
        if type(number) is not int and not _isfinite(number):
            shown = "NaN" if math.isnan(number) else f"{number}"
            return "Failure", f"{self.measurement_id} is {shown}; only finite numbers can pass"
        shown, limit = self.evidence()[0], _threshold_text(threshold, self.unit)
        if passes(number, threshold):
            return "Success", f"{shown} is {relation} {limit}"
        return "Failure", f"{shown} is not {relation} {limit}"

    check.__name__ = check.__qualname__ = name
    check.__doc__ = f"Pass when the value is {relation} ``threshold``."
    return check


class _Number(Value):
    """A single number compared with thresholds."""

    value: float | int
    # Numbers compare with numbers: an Integer count may meet a Real threshold.
    compatible_values: ClassVar[tuple[type[Value], ...]] = ()
    # (number, unit, evidence) as last worked out; a plain attribute is the fastest to read.
    _evidence: tuple[float | int, str | None, Evidence] | None = None

    def summary(self) -> str:
        """Return the number with its unit (formatted once per value and unit)."""
        return self.evidence()[0]

    def headline(self) -> float | None:
        """Return the number itself (an integer beyond float range as an infinity)."""
        return self.evidence()[1]

    def evidence(self) -> Evidence:
        """Return summary, headline, unit and class, worked out once per number and unit."""
        cached = self._evidence
        if cached is None or cached[0] is not self.value or cached[1] is not self.unit:
            number, unit = self.value, self.unit
            headline = number if type(number) is float else _as_float(number)
            fields = (_with_unit(number, unit), headline, unit, self.stored_class_path)
            cached = self._evidence = (number, unit, fields)
        return cached[2]

    less_than = builder("less than {0} {unit}", verdict=True)(
        _comparison("less_than", "less than", operator.lt)
    )
    less_or_equal_to = builder("at most {0} {unit}", verdict=True)(
        _comparison("less_or_equal_to", "less than or equal to", operator.le)
    )
    greater_than = builder("greater than {0} {unit}", verdict=True)(
        _comparison("greater_than", "greater than", operator.gt)
    )
    greater_or_equal_to = builder("at least {0} {unit}", verdict=True)(
        _comparison("greater_or_equal_to", "greater than or equal to", operator.ge)
    )

    @classmethod
    def from_payload(cls: type[S], measurement_id: str, payload: dict[str, Any], **kw: Any) -> S:
        """Rebuild from the stored payload."""
        return cls(measurement_id, payload[cls.value_type], **kw)  # type: ignore[call-arg]

    def payload(self) -> dict[str, Any]:
        """Return ``{value_type: number}`` as mlte-python stores it."""
        return {self.value_type: self.value}


class Integer(_Number):
    """A whole number, such as a size in bytes or a count."""

    value_type = "integer"
    aliases = ("mlte.value.types.integer.Integer",)

    def __init__(
        self,
        measurement_id: str,
        value: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            msg = f"Integer {measurement_id!r} needs a whole number, got {value!r}"
            raise MeasurementError(msg)
        self.value: int = int(value)


class Real(_Number):
    """A real number, such as an accuracy or a time in seconds."""

    value_type = "real"
    aliases = ("mlte.value.types.real.Real",)

    def __init__(
        self,
        measurement_id: str,
        value: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            msg = f"Real {measurement_id!r} needs a number, got {type(value).__name__} {value!r}"
            raise MeasurementError(msg)
        try:
            self.value: float = float(value)
        except OverflowError:
            msg = f"Real {measurement_id!r} is beyond float range; record it as an Integer"
            raise MeasurementError(msg) from None


# A whole number is a real number: Real conditions take Integer evidence (not the reverse).
Real.compatible_values = (Integer,)


class String(Value):
    """A piece of text."""

    value_type = "string"
    aliases = ("mlte.value.types.string.String",)

    def __init__(
        self,
        measurement_id: str,
        value: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        if not isinstance(value, str):
            msg = f"String {measurement_id!r} needs text, got {type(value).__name__}"
            raise MeasurementError(msg)
        self.value = value

    def summary(self) -> str:
        """Return the text, shortened."""
        return self.value if len(self.value) <= 80 else self.value[:77] + "..."

    def payload(self) -> dict[str, Any]:
        """Return ``{"string": text}``."""
        return {"string": self.value}

    @classmethod
    def from_payload(cls, measurement_id: str, payload: dict[str, Any], **kw: Any) -> String:
        """Rebuild from the stored payload."""
        return cls(measurement_id, payload["string"], **kw)

    @builder("equal to {0!r}", numeric=False)
    def equal_to(self, expected: str) -> Result:
        """Pass when the text equals ``expected``."""
        if self.value == expected:
            return Success(f"{self.value!r} equals {expected!r}")
        return Failure(f"{self.value!r} differs from {expected!r}")


class StorageSize(Integer):
    """A size in bytes (what LocalObjectSize measures)."""

    default_unit = "bytes"
