"""Validation: SpecValidator, ValidatedSpec and the result kinds."""

from __future__ import annotations

from mlte_nb.validate.diff import ResultChange, ValidationDiff, diff_validations
from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
from mlte_nb.validate.validator import SpecValidator
from mlte_nb.values.condition import Failure, Ignore, Info, Result, Success

__all__ = [
    "ConditionResult",
    "Failure",
    "Ignore",
    "Info",
    "Result",
    "ResultChange",
    "SpecValidator",
    "Success",
    "ValidatedSpec",
    "ValidationDiff",
    "diff_validations",
]
