"""Record a Python object computed in the notebook as evidence of a given Value type."""

from __future__ import annotations

import numbers
from typing import Any

from mlte_nb.errors import MeasurementError
from mlte_nb.values.base import Value
from mlte_nb.values.condition import value_classes
from mlte_nb.values.provenance import make_provenance


def value_class_named(name: str) -> type[Value]:
    """Return the Value class called ``name`` (``Real``, ``MultipleAccuracy``...)."""
    found = {cls.__name__: cls for cls in value_classes.values() if cls.__name__[0] != "_"}
    if name in found:
        return found[name]
    msg = f"unknown value type {name!r}; choose one of {sorted(found)}"
    raise MeasurementError(msg)


def infer_value_class(obj: Any) -> type[Value]:
    """Return the Value class that fits ``obj`` when the user names none."""
    from mlte_nb.values import Array, Image, Integer, Opaque, Real, String

    if isinstance(obj, bool):
        msg = "cannot record a bool as evidence; record a number or text, or name --as TYPE"
        raise MeasurementError(msg)
    if isinstance(obj, numbers.Integral):
        return Integer
    if isinstance(obj, numbers.Real):
        return Real
    if isinstance(obj, str):
        return String
    if isinstance(obj, dict):
        return Opaque
    if hasattr(obj, "savefig") or isinstance(obj, (bytes, bytearray)):
        return Image
    if hasattr(obj, "__len__") or hasattr(obj, "tolist"):
        return Array
    msg = f"cannot tell what Value type fits a {type(obj).__name__}; name one with --as TYPE"
    raise MeasurementError(msg)


def record_value(
    identifier: str,
    obj: Any,
    value_type: str | type[Value] | None = None,
    *,
    unit: str | None = None,
    **provenance: Any,
) -> Value:
    """Return ``obj`` as a Value named ``identifier`` (in ``unit``, if given), with provenance.

    ``value_type`` is a Value class or its name; when omitted it is inferred
    (int -> Integer, float -> Real, str -> String, list/array -> Array, dict -> Opaque,
    figure or image bytes -> Image). A Value passed in is re-labelled with ``identifier``.
    """
    if isinstance(obj, Value):
        value = type(obj).from_payload(identifier, obj.payload(), unit=unit or obj.unit)
    else:
        cls = value_class_named(value_type) if isinstance(value_type, str) else value_type
        obj = _scalar(obj)  # a 0-d numpy array is a number, not an Array
        value = (cls or infer_value_class(obj)).from_output(identifier, obj, unit=unit)
    value.provenance = make_provenance("NotebookVariable", extra=provenance)
    return value


def _scalar(obj: Any) -> Any:
    item = getattr(obj, "item", None)
    if callable(item) and getattr(obj, "shape", None) == ():
        return item()
    return obj
