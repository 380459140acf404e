"""Structured evidence: Opaque (a JSON object) and Array (a JSON list)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from mlte_nb.errors import MeasurementError
from mlte_nb.store._json import normalize
from mlte_nb.values.base import Value

O = TypeVar("O", bound="Opaque")  # noqa: E741
A = TypeVar("A", bound="Array")


class Opaque(Value):
    """Any JSON object; compared only by custom conditions or inspected by a person."""

    value_type = "opaque"
    aliases = ("mlte.value.types.opaque.Opaque",)

    def __init__(
        self,
        measurement_id: str,
        data: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        if not isinstance(data, dict):
            msg = f"Opaque {measurement_id!r} needs a dict, got {type(data).__name__}"
            raise MeasurementError(msg)
        self.data: dict[str, Any] = normalize(data)

    def summary(self) -> str:
        """Return the keys and a short form of the data."""
        text = str(self.data)
        return text if len(text) <= 120 else text[:117] + "..."

    def payload(self) -> dict[str, Any]:
        """Return ``{"data": {...}}``."""
        return {"data": self.data}

    @classmethod
    def from_payload(cls: type[O], measurement_id: str, payload: dict[str, Any], **kw: Any) -> O:
        """Rebuild from the stored payload."""
        return cls(measurement_id, payload["data"], **kw)


class Array(Value):
    """A list of numbers or other JSON items."""

    value_type = "array"
    aliases = ("mlte.value.types.array.Array",)
    # What the constructor takes, as its errors say it.
    expects: ClassVar[str] = "a sequence"

    def __init__(
        self,
        measurement_id: str,
        array: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        kind = type(self).__name__
        msg = f"{kind} {measurement_id!r} needs {self.expects}, got {type(array).__name__}"
        if isinstance(array, (str, bytes, dict)):
            raise MeasurementError(msg)
        if hasattr(array, "columns"):  # iterating a DataFrame yields its column labels
            msg = (
                f"Array {measurement_id!r} got a {len(array.columns)}-column table; pass one "
                "row or column (df.iloc[0], df['name']) or df.to_numpy().ravel()"
            )
            raise MeasurementError(msg)
        try:
            items = list(array)
        except TypeError:  # not iterable (a number, None, a 0-d numpy array)
            raise MeasurementError(msg) from None
        self.array: list[Any] = normalize(items)

    def summary(self) -> str:
        """Return the items, shortened."""
        shown = ", ".join(f"{x:.4g}" if isinstance(x, float) else repr(x) for x in self.array[:8])
        more = f", ... ({len(self.array)} items)" if len(self.array) > 8 else ""
        unit = f" {self.unit}" if self.unit else ""
        return f"[{shown}{more}]{unit}"

    def payload(self) -> dict[str, Any]:
        """Return ``{"data": [...]}``."""
        return {"data": self.array}

    @classmethod
    def from_payload(cls: type[A], measurement_id: str, payload: dict[str, Any], **kw: Any) -> A:
        """Rebuild from the stored payload."""
        return cls(measurement_id, payload["data"], **kw)
