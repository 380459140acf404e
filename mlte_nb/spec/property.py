"""Properties: the qualities a model must have, each with the rationale for requiring it."""

from __future__ import annotations

from typing import Any, ClassVar

from mlte_nb.errors import SpecError

property_classes: dict[str, type[Property]] = {}


class Property:
    """A model quality (``Fairness``, ``StorageCost``...) and why it matters here.

    Subclass it for your own properties; the class docstring is the description.

    Examples
    --------
    >>> class Latency(Property):
    ...     '''Time from request to answer.'''
    >>> Latency("The camera must answer while the visitor waits")
    """

    description: ClassVar[str] = ""

    def __init__(self, rationale: str, *, name: str | None = None) -> None:
        if not isinstance(rationale, str):
            msg = f"{type(self).__name__}: the rationale must be text, got {rationale!r}"
            raise SpecError(msg)
        self.rationale = rationale
        self.name = name or type(self).__name__

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "description" not in vars(cls):
            cls.description = " ".join((cls.__doc__ or "").split())
        property_classes[cls.__name__] = cls

    def __repr__(self) -> str:
        return f"{self.name}({self.rationale!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Property):
            return NotImplemented
        return (self.name, self.rationale) == (other.name, other.rationale)

    def __hash__(self) -> int:
        return hash((self.name, self.rationale))

    @staticmethod
    def build(name: str, rationale: str, description: str = "") -> Property:
        """Return the property ``name``: a known class, or a generic one keeping the name."""
        cls = property_classes.get(name)
        if cls is not None:
            return cls(rationale)
        generic = Property(rationale, name=name)
        generic.description = description  # type: ignore[misc]
        return generic


class StorageCost(Property):
    """The storage the model needs: its size on disk or its number of parameters."""


class TrainingComputeCost(Property):
    """The computation (CPU, GPU) needed to train the model."""


class TrainingMemoryCost(Property):
    """The memory needed to train the model."""


class PredictingComputeCost(Property):
    """The computation (CPU) needed when the model predicts."""


class PredictingMemoryCost(Property):
    """The memory needed when the model predicts."""


class Fairness(Property):
    """Similar model performance across specified subpopulations, groups or data."""


class Robustness(Property):
    """The model keeps working in the presence of noise, invalid input or stress."""


class Interpretability(Property):
    """People can understand why the model produced its output."""


class TaskEfficacy(Property):
    """The model does its task well enough (accuracy, error, ranking...)."""
