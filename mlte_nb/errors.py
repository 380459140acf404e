"""One exception tree for mlte_nb.

Every error a user can cause is an ``MlteError``; magics turn them into one-line
``UsageError`` messages. Messages say what failed (naming the artifact), why, and
what to do.

::

    MlteError
      SpecError(MlteError, ValueError)           bad property/condition/threshold definitions
      MeasurementError(MlteError, RuntimeError)  a measurement could not run or produced no value
      StoreError(MlteError)                      problems in the artifact store
        ArtifactNotFoundError(StoreError, LookupError)
        ArtifactExistsError(StoreError, FileExistsError)
        ArtifactFormatError(StoreError, ValueError)  unknown kind, bad JSON, newer schema
      ValidationError(MlteError, ValueError)     evidence handed to a validator twice or wrongly
      ContextError(MlteError, RuntimeError)      no active context / inconsistent context
      ReportError(MlteError, RuntimeError)
"""

from __future__ import annotations


class MlteError(Exception):
    """Base of every error mlte_nb raises on purpose."""


class SpecError(MlteError, ValueError):
    """A property, condition or threshold is defined wrongly."""


class MeasurementError(MlteError, RuntimeError):
    """A measurement could not run or produced no value."""


class StoreError(MlteError):
    """The artifact store cannot do what was asked."""


class ArtifactNotFoundError(StoreError, LookupError):
    """The artifact (or its model / version) does not exist in the store."""


class ArtifactExistsError(StoreError, FileExistsError):
    """An artifact with that id exists and ``force`` was not given."""


class ArtifactFormatError(StoreError, ValueError):
    """A stored artifact cannot be read: bad JSON, unknown kind or newer schema."""


class ValidationError(MlteError, ValueError):
    """Evidence cannot be handed to the validator as given."""


class ContextError(MlteError, RuntimeError):
    """No model/version context is set, or it is inconsistent."""


class ReportError(MlteError, RuntimeError):
    """A report cannot be built or exported."""


__all__ = [
    "ArtifactExistsError",
    "ArtifactFormatError",
    "ArtifactNotFoundError",
    "ContextError",
    "MeasurementError",
    "MlteError",
    "ReportError",
    "SpecError",
    "StoreError",
    "ValidationError",
]
