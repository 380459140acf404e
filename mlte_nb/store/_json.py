"""Strict (RFC 8259) JSON for artifacts: non-finite floats and numpy types made explicit."""

from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import PurePath
from typing import Any

_FLOAT_KEY = "$float"
_FLOAT_KEY_BYTES = _FLOAT_KEY.encode()
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def to_plain(obj: Any, *, encode_floats: bool = True) -> Any:
    """Return ``obj`` as plain JSON types, encoding NaN and infinities explicitly.

    numpy scalars and arrays, pandas scalars, paths and datetimes are accepted so that
    evidence computed with the usual libraries can be stored without conversion. With
    ``encode_floats=False`` non-finite floats stay floats (for values held in memory).
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return _encode_float(obj) if encode_floats else float(obj)
    if isinstance(obj, dict):
        return {str(key): to_plain(item, encode_floats=encode_floats) for key, item in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(item, encode_floats=encode_floats) for item in obj]
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, (_dt.datetime, _dt.date)):
        return obj.isoformat()
    return _from_library_type(obj, encode_floats)


def normalize(obj: Any) -> Any:
    """Return ``obj`` with library types turned into plain Python (floats kept as floats)."""
    return to_plain(obj, encode_floats=False)


def _encode_float(value: float) -> Any:
    if math.isfinite(value):
        return float(value)
    if math.isnan(value):
        return {_FLOAT_KEY: "NaN"}
    return {_FLOAT_KEY: "Infinity" if value > 0 else "-Infinity"}


def _from_library_type(obj: Any, encode_floats: bool) -> Any:
    tolist = getattr(obj, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return to_plain(tolist(), encode_floats=encode_floats)
    item = getattr(obj, "item", None)  # pandas / numpy scalars
    if callable(item):
        return to_plain(item(), encode_floats=encode_floats)
    isoformat = getattr(obj, "isoformat", None)  # pandas Timestamp
    if callable(isoformat):
        return isoformat()
    msg = f"cannot store a {type(obj).__name__} as JSON; convert it to numbers, text or lists"
    raise TypeError(msg)


def from_plain(obj: Any) -> Any:
    """Undo the explicit float encoding of :func:`to_plain`."""
    if isinstance(obj, dict):
        if len(obj) == 1 and _FLOAT_KEY in obj and obj[_FLOAT_KEY] in _SPECIAL:
            return _SPECIAL[obj[_FLOAT_KEY]]
        return {key: from_plain(item) for key, item in obj.items()}
    if isinstance(obj, list):
        return [from_plain(item) for item in obj]
    return obj


def dumps(document: Any) -> str:
    """Serialise to strict JSON with a stable key order (readable diffs)."""
    return json.dumps(to_plain(document), indent=2, sort_keys=True, allow_nan=False)


def loads(text: str | bytes) -> Any:
    """Parse JSON (text, or UTF-8 bytes), accepting the bare ``NaN`` of mlte-python 0.2.x."""
    document = json.loads(text)
    # Walking the document to restore encoded floats is only needed when it holds one.
    holds = _FLOAT_KEY in text if isinstance(text, str) else _FLOAT_KEY_BYTES in text
    return from_plain(document) if holds else document
