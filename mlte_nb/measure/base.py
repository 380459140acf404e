"""Measurement: something that produces a Value with its provenance."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from mlte_nb.values.base import Value
from mlte_nb.values.provenance import make_provenance


class Measurement:
    """Base of every measurement; ``identifier`` names the evidence it produces.

    Subclasses set ``value_class`` and implement ``_measure``; ``evaluate`` adds the
    provenance. ``value()`` returns the value class so a Spec can be written before
    any evidence exists (``LocalObjectSize.value().less_than(3000)``).
    """

    value_class: ClassVar[type[Value]] = Value

    def __init__(self, identifier: str) -> None:
        self.identifier = identifier

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.identifier!r})"

    @classmethod
    def value(cls) -> type[Value]:
        """Return the Value class this measurement produces."""
        return cls.value_class

    def evaluate(self, *args: Any, **kwargs: Any) -> Value:
        """Run the measurement and return its Value, stamped with provenance."""
        started = time.perf_counter()
        value = self._measure(*args, **kwargs)
        value.provenance = {
            **make_provenance(
                type(self).__name__,
                function=self._function_name(),
                duration_s=round(time.perf_counter() - started, 6),
            ),
            **value.provenance,
        }
        return value

    def _measure(self, *args: Any, **kwargs: Any) -> Value:
        raise NotImplementedError

    def _function_name(self) -> str | None:
        return None
