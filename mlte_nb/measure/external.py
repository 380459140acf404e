"""ExternalMeasurement: wrap any function (scipy, sklearn, your own) as a measurement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlte_nb.errors import MeasurementError
from mlte_nb.measure.base import Measurement
from mlte_nb.values.base import Value
from mlte_nb.values.provenance import function_name


class ExternalMeasurement(Measurement):
    """Turn a function's output into a Value of ``value_type``.

    Examples
    --------
    >>> ranksum = ExternalMeasurement("ranksums blur2x8", RankSums, scipy.stats.ranksums)
    >>> ranksum.evaluate(base_accuracy, blurred_accuracy).save(force=True)
    """

    def __init__(
        self,
        identifier: str,
        value_type: type[Value],
        function: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__(identifier)
        if not (isinstance(value_type, type) and issubclass(value_type, Value)):
            msg = f"ExternalMeasurement {identifier!r}: value_type must be a Value class"
            raise MeasurementError(msg)
        self.value_type = value_type
        self.function = function

    def _measure(self, *args: Any, **kwargs: Any) -> Value:
        if self.function is None:
            msg = (
                f"ExternalMeasurement {self.identifier!r} has no function to evaluate; "
                "pass one, or use ingest(output) for results computed elsewhere"
            )
            raise MeasurementError(msg)
        return self.value_type.from_output(self.identifier, self.function(*args, **kwargs))

    def ingest(self, output: Any) -> Value:
        """Wrap an already computed result (an image path, a number...) as a Value."""
        value = self.value_type.from_output(self.identifier, output)
        value.provenance = {**self._provenance(), **value.provenance}
        return value

    def _provenance(self) -> dict[str, Any]:
        from mlte_nb.values.provenance import make_provenance

        return make_provenance(type(self).__name__, function=self._function_name())

    def _function_name(self) -> str | None:
        return function_name(self.function)
