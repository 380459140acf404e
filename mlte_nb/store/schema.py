"""The JSON Schema of each artifact kind mlte_nb writes, shipped in ``store/schemas/``.

The schemas describe the files mlte_nb writes (strict RFC 8259 JSON, non-finite floats as
``{"$float": "NaN"}``, conditions as data). Files written by mlte-python 0.2.x are read
too but are not described here: they lack ``producer`` and ``schema_version``.
Checking a document needs the ``jsonschema`` package (a development dependency).
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from importlib import resources
from typing import Any

from mlte_nb.errors import ArtifactFormatError

KINDS = ("value", "spec", "validated_spec", "report")


@cache
def schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema for artifacts of ``kind`` (one of :data:`KINDS`)."""
    if kind not in KINDS:
        msg = f"no schema for artifact kind {kind!r}; the kinds are {list(KINDS)}"
        raise ArtifactFormatError(msg)
    path = resources.files("mlte_nb.store") / "schemas" / f"{kind}.json"
    text = path.read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def schema_errors(document: Any) -> list[str]:
    """Return what is wrong with a stored document (parsed strictly), or ``[]``.

    The document is taken as parsed from the file, with ``{"$float": ...}`` objects kept.
    """
    jsonschema = importlib.import_module("jsonschema")  # a development dependency, untyped
    body = document.get("body") if isinstance(document, dict) else None
    kind = body.get("artifact_type") if isinstance(body, dict) else None
    if kind not in KINDS:
        return [f"artifact_type {kind!r} is not one of {list(KINDS)}"]
    validator = jsonschema.Draft202012Validator(schema(kind))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
