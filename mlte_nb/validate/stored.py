"""Validate the stored Spec against the stored values of the current context."""

from __future__ import annotations

import datetime as _dt

from mlte_nb.context import get_context
from mlte_nb.spec.spec import Spec
from mlte_nb.validate.validated import ValidatedSpec
from mlte_nb.validate.validator import SpecValidator
from mlte_nb.values.base import Value, is_value_document


def validate_stored(
    spec_id: str | None = None, *, save: bool = True, not_before: float | None = None
) -> ValidatedSpec:
    """Load the spec and every value of the current model/version, validate, and save.

    The ValidatedSpec is saved with ``force=True`` (the previous one goes to history),
    so the store always holds the latest verdict next to the evidence it judged. With
    ``not_before`` (a Unix time, e.g. when a headless run started) evidence saved
    earlier does not count: its conditions fail as stale instead of passing on old data.
    """
    model, version, store = get_context()
    spec = Spec.load(spec_id)
    validator = SpecValidator(spec)
    for document in store.read_all(model, version):
        if not is_value_document(document):
            continue
        value = Value.from_stored(document)
        header = document["header"]
        saved_at = header.get("saved_at", header.get("timestamp"))
        if not_before is not None and isinstance(saved_at, (int, float)) and saved_at < not_before:
            when = _dt.datetime.fromtimestamp(saved_at, _dt.timezone.utc).isoformat()
            validator.mark_stale(value.measurement_id, when)
        else:
            validator.add_value(value)
    validated = validator.validate()
    if save:
        validated.save(force=True)
    return validated
