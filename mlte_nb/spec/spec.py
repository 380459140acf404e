"""Spec: properties, each with conditions on named measurements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from mlte_nb.artifact import Artifact, check_type
from mlte_nb.errors import SpecError
from mlte_nb.spec.property import Property
from mlte_nb.store import Document
from mlte_nb.values.condition import Condition

Conditions = Mapping[str, Condition]


class Spec(Artifact):
    """What a model must achieve: ``{Property(rationale): {measurement id: Condition}}``.

    Examples
    --------
    >>> spec = Spec(properties={
    ...     StorageCost("Embedded device"): {"model size": LocalObjectSize.value().less_than(3000)},
    ... })
    >>> spec.save(parents=True, force=True)
    """

    artifact_type: ClassVar[str] = "spec"

    def __init__(
        self,
        identifier: str = "default.spec",
        properties: Mapping[Property, Conditions] | None = None,
    ) -> None:
        if not identifier.endswith(".spec"):
            identifier += ".spec"
        self.identifier = identifier
        self.properties: dict[Property, dict[str, Condition]] = {}
        for prop, conditions in (properties or {}).items():
            self._add(prop, conditions)

    def _add(self, prop: Property, conditions: Conditions) -> None:
        if not isinstance(prop, Property):
            msg = f"spec keys must be Property objects such as Fairness('why'), got {prop!r}"
            raise SpecError(msg)
        if any(known.name == prop.name for known in self.properties):
            msg = (
                f"the spec has two {prop.name} properties; put all {prop.name} conditions "
                "under one, or subclass Property to give the second its own name"
            )
            raise SpecError(msg)
        for measurement_id, condition in conditions.items():
            if not isinstance(condition, Condition):
                msg = (
                    f"condition for {measurement_id!r} under {prop.name} is {condition!r}; "
                    "build one with a factory such as Real.less_than(0.5)"
                )
                raise SpecError(msg)
            owner = self.property_of(measurement_id)
            if owner is not None:
                msg = (
                    f"measurement {measurement_id!r} has a condition under both {owner.name} "
                    f"and {prop.name}; give each condition its own measurement id"
                )
                raise SpecError(msg)
        self.properties[prop] = dict(conditions)

    def property_of(self, measurement_id: str) -> Property | None:
        """Return the property whose conditions name ``measurement_id``."""
        for prop, conditions in self.properties.items():
            if measurement_id in conditions:
                return prop
        return None

    def conditions(self) -> Iterator[tuple[Property, str, Condition]]:
        """Yield ``(property, measurement id, condition)`` for every condition."""
        for prop, conditions in self.properties.items():
            for measurement_id, condition in conditions.items():
                yield prop, measurement_id, condition

    def measurement_ids(self) -> list[str]:
        """Return the ids of all evidence this spec needs (each once: ids are unique)."""
        return [
            measurement_id
            for conditions in self.properties.values()
            for measurement_id in conditions
        ]

    def __len__(self) -> int:
        return sum(len(conditions) for conditions in self.properties.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Spec):
            return NotImplemented
        return self.to_body() == other.to_body()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Spec {self.identifier!r}: {len(self.properties)} properties, {len(self)} conditions>"
        )

    # -- stored form ---------------------------------------------------------------------
    def to_body(self) -> dict[str, Any]:
        """Return the stored body (shaped like mlte-python 0.2.x specs, without pickles)."""
        return {
            "properties": [
                {
                    "name": prop.name,
                    "description": prop.description,
                    "rationale": prop.rationale,
                    "conditions": {mid: cond.to_json() for mid, cond in conditions.items()},
                    # the store sorts keys; keep the order the user wrote the conditions in
                    "condition_order": list(conditions),
                    "module": type(prop).__module__,
                }
                for prop, conditions in self.properties.items()
            ]
        }

    @classmethod
    def from_body(cls, identifier: str, body: dict[str, Any]) -> Spec:
        """Rebuild from a stored body; unknown properties keep their name and text."""
        properties = {}
        for item in body.get("properties", []):
            prop = Property.build(
                item["name"], item.get("rationale", ""), item.get("description", "")
            )
            stored = item.get("conditions", {})
            order = [mid for mid in item.get("condition_order", []) if mid in stored]
            order += [mid for mid in stored if mid not in order]
            properties[prop] = {mid: Condition.from_json(stored[mid]) for mid in order}
        return cls(identifier, properties)

    @classmethod
    def from_document(cls, document: Document) -> Spec:
        """Rebuild a Spec from its stored document (nothing stored is executed)."""
        document = check_type(document, cls)
        return cls.from_body(document["header"]["identifier"], document["body"])
