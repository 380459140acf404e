"""Value: one piece of evidence, with its unit and provenance."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from mlte_nb.artifact import Artifact, check_type
from mlte_nb.context import get_context
from mlte_nb.errors import ArtifactFormatError, MeasurementError
from mlte_nb.store import Document
from mlte_nb.values.condition import (
    Ignore,
    Result,
    builder,
    class_path,
    forget_found_checks,
    value_classes,
)

V = TypeVar("V", bound="Value")
# What a validation row shows of a piece of evidence: summary, headline, unit, class.
Evidence = tuple[str, "float | None", "str | None", str]


class Value(Artifact):
    """Evidence produced by a measurement; stored as ``<measurement id>.value``.

    Subclasses say how their payload is stored (``payload`` / ``from_payload``) and
    declare their condition builders with :class:`~mlte_nb.values.condition.builder`.
    """

    artifact_type: ClassVar[str] = "value"
    value_type: ClassVar[str] = "opaque"
    default_unit: ClassVar[str | None] = None
    # Names under which mlte-python 0.2.x stores the same kind of value.
    aliases: ClassVar[tuple[str, ...]] = ()
    _builders: ClassVar[dict[str, builder]] = {}
    # ``module.QualName``: the class name stored with the value (set for every subclass).
    stored_class_path: ClassVar[str] = "mlte_nb.values.base.Value"

    def __init__(
        self,
        measurement_id: str,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(measurement_id, str) or not measurement_id.strip():
            msg = f"{type(self).__name__} needs a non-empty measurement id, got {measurement_id!r}"
            raise MeasurementError(msg)
        if unit is not None and (not isinstance(unit, str) or not unit or unit != unit.strip()):
            msg = (
                f"{measurement_id!r}: unit must be a non-empty text without surrounding "
                f"spaces, or None; got {unit!r}"
            )
            raise MeasurementError(msg)
        self.measurement_id = measurement_id
        self.identifier = f"{measurement_id}.value"
        self.unit = unit if unit is not None else self.default_unit
        self.provenance: dict[str, Any] = dict(provenance or {})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        inherited = {k: v for base in reversed(cls.__mro__[1:]) for k, v in _own_builders(base)}
        cls._builders = {**inherited, **dict(_own_builders(cls))}
        cls.stored_class_path = class_path(cls)
        own_aliases = vars(cls).get("aliases", ())  # a subclass does not take its parent's
        for name in (cls.stored_class_path, *own_aliases):
            value_classes[name] = cls
        forget_found_checks()

    # -- what subclasses provide ----------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """Return the stored form of the evidence itself (beside ``value_type``)."""
        raise NotImplementedError

    @classmethod
    def from_payload(cls: type[V], measurement_id: str, payload: dict[str, Any], **kw: Any) -> V:
        """Rebuild from :meth:`payload`'s form."""
        raise NotImplementedError

    @classmethod
    def from_output(cls: type[V], measurement_id: str, output: Any, **kw: Any) -> V:
        """Build from what a measurement function returned (used by ExternalMeasurement)."""
        return cls(measurement_id, output, **kw)  # type: ignore[call-arg]

    def summary(self) -> str:
        """Return a short human-readable form of the evidence, with its unit."""
        return str(self.payload())

    def headline(self) -> float | None:
        """Return the one number a comparison of runs shows (None when there is none)."""
        return None

    def evidence(self) -> Evidence:
        """Return what a validation row records of this value: summary, headline, unit, class."""
        return self.summary(), self.headline(), self.unit, self.stored_class_path

    @classmethod
    def from_reference(cls, payload: dict[str, Any]) -> dict[str, Any]:
        """Convert a payload written by mlte-python 0.2.x into this class's units."""
        return payload

    # -- conditions every value has ------------------------------------------------------
    @builder("inspect by hand: {0}", numeric=False)
    def ignore(self, reason: str) -> Result:
        """Record the evidence for a person to inspect; it neither passes nor fails."""
        return Ignore(reason)

    # -- artifact plumbing ---------------------------------------------------------------
    def to_body(self) -> dict[str, Any]:
        """Return the stored body (shaped like mlte-python 0.2.x values)."""
        return {
            "metadata": {
                "measurement_type": self.provenance.get("measurement_type", "Measurement"),
                "identifier": {"name": self.measurement_id},
                "info": self.provenance.get("function"),
            },
            "value_class": self.stored_class_path,
            "value": {"value_type": self.value_type, **self.payload()},
            "unit": self.unit,
            "provenance": self.provenance,
        }

    @classmethod
    def from_document(cls: type[V], document: Document) -> V:
        """Rebuild a value as its own class (the one named by ``value_class``)."""
        body = check_type(document, Value)["body"]
        found = value_classes.get(str(body.get("value_class")))
        if found is None and cls is Value:
            found = value_classes[class_path(UnknownValue)]
        if found is None:
            msg = (
                f"value {document['header'].get('identifier')!r} has class "
                f"{body.get('value_class')!r}, which is not defined in this process; "
                "import the module that defines it"
            )
            raise ArtifactFormatError(msg)
        if not issubclass(found, cls):
            msg = (
                f"value {document['header'].get('identifier')!r} is a {found.__name__}, "
                f"not a {cls.__name__}; load it with {found.__name__}.load or Value.load"
            )
            raise ArtifactFormatError(msg)
        measurement_id = body.get("metadata", {}).get("identifier", {}).get("name")
        if not measurement_id:
            measurement_id = str(document["header"]["identifier"]).removesuffix(".value")
        payload = {k: v for k, v in body["value"].items() if k != "value_type"}
        provenance = body.get("provenance")
        if str(body.get("value_class")) in found.aliases:  # written by mlte-python 0.2.x
            payload = found.from_reference(payload)
            provenance = provenance or _reference_provenance(body.get("metadata"))
        value = found.from_payload(
            measurement_id, payload, unit=body.get("unit"), provenance=provenance
        )
        if isinstance(value, UnknownValue):
            value.stored_class = str(body.get("value_class"))
            value.stored_type = str(body["value"].get("value_type", "opaque"))
        return value

    @classmethod
    def load_all(cls) -> list[Value]:
        """Load every value of the current model/version, each as its own class (no cap)."""
        model, version, store = get_context()
        documents = store.read_all(model, version)
        return [cls.from_stored(doc) for doc in documents if is_value_document(doc)]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return (self.identifier, self.unit, self.payload()) == (
            other.identifier,
            other.unit,
            other.payload(),
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.measurement_id!r}: {self.summary()}>"

    def __str__(self) -> str:
        return f"{self.measurement_id}: {self.summary()}"


# mlte-python 0.2.x stored conditions on custom values under its base class' name.
value_classes[class_path(Value)] = value_classes["mlte.value.artifact.Value"] = Value


def _reference_provenance(metadata: Any) -> dict[str, Any]:
    """Read what mlte-python 0.2.x recorded (measurement type, function) as provenance."""
    if not isinstance(metadata, dict):
        return {"written_by": "mlte-python 0.2.x"}
    found = {
        "measurement_type": metadata.get("measurement_type"),
        "function": metadata.get("info"),
        "written_by": "mlte-python 0.2.x",
    }
    return {key: item for key, item in found.items() if item}


def _own_builders(cls: type) -> list[tuple[str, builder]]:
    return [(name, item) for name, item in vars(cls).items() if isinstance(item, builder)]


def is_value_document(document: Document) -> bool:
    """Return whether a stored document holds a value; one of no known kind is an error."""
    body, header = document.get("body"), document.get("header")
    kind = body.get("artifact_type") if isinstance(body, dict) else None
    kind = kind or (header.get("type") if isinstance(header, dict) else None)
    if kind not in _KINDS:
        name = header.get("identifier") if isinstance(header, dict) else None
        msg = (
            f"stored artifact {name!r} has no known type ({kind!r}, expected one of {_KINDS}); "
            "restore it from the store's .history or save it again"
        )
        raise ArtifactFormatError(msg)
    return bool(kind == "value")


_KINDS = ("value", "spec", "validated_spec", "report")


class UnknownValue(Value):
    """A stored value whose class is not defined in this process.

    It keeps the stored payload so nothing is lost, and no condition accepts it: a
    condition on it fails naming the class to import (mlte_nb never imports it itself).
    """

    def __init__(
        self,
        measurement_id: str,
        stored: dict[str, Any],
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        self.stored = stored
        self.stored_class = "?"
        self.stored_type = "opaque"

    def to_body(self) -> dict[str, Any]:
        """Return the body with the original class and value type, so re-saving loses nothing."""
        body = super().to_body()
        body["value_class"] = self.stored_class
        body["value"]["value_type"] = self.stored_type
        return body

    def payload(self) -> dict[str, Any]:
        """Return the payload as it was stored."""
        return dict(self.stored)

    @classmethod
    def from_payload(cls, measurement_id: str, payload: dict[str, Any], **kw: Any) -> UnknownValue:
        """Keep the stored payload as it is."""
        return cls(measurement_id, payload, **kw)

    def summary(self) -> str:
        """Say that the value's class is unknown here."""
        return f"value of a class not defined in this process: {self.stored}"[:120]
