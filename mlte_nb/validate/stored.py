"""Validate the stored Spec against the stored values of the current context."""

from __future__ import annotations

from mlte_nb.spec.spec import Spec
from mlte_nb.validate.validated import ValidatedSpec
from mlte_nb.validate.validator import SpecValidator
from mlte_nb.values.base import Value


def validate_stored(spec_id: str | None = None, *, save: bool = True) -> ValidatedSpec:
    """Load the spec and every value of the current model/version, validate, and save.

    The ValidatedSpec is saved with ``force=True`` (the previous one goes to history),
    so the store always holds the latest verdict next to the evidence it judged.
    """
    spec = Spec.load(spec_id)
    validated = SpecValidator(spec).add_values(Value.load_all()).validate()
    if save:
        validated.save(force=True)
    return validated
