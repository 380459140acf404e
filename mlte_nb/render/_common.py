"""What the HTML, text and Markdown renderers share: wording, provenance, figures."""

from __future__ import annotations

import base64
import numbers
from collections.abc import Container, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
    from mlte_nb.values.base import Value
    from mlte_nb.values.condition import Condition

KINDS = ("Success", "Failure", "Ignore")
_THRESHOLD_CLASSES = ("CPUStatistics", "MemoryStatistics")
_MAX_PACKAGES = 6
MISSING = "missing: no value was saved"
RISK_LABELS = {"fp": "False positives", "fn": "False negatives", "other": "Other risks"}


def kind_word(kind: str) -> str:
    """Return the word shown for a result kind (``Info`` is shown as ``Ignore``)."""
    return "Ignore" if kind == "Info" else kind


def counts_line(validated: ValidatedSpec) -> str:
    """Return ``"2 Success, 1 Failure, 0 Ignore"``."""
    return ", ".join(f"{n} {kind}" for kind, n in validated.counts().items())


def provenance_parts(provenance: Mapping[str, Any]) -> list[str]:
    """Return short phrases saying how evidence was made (measurement, function, time, cell)."""
    parts = [
        str(provenance[key]) for key in ("measurement_type", "function") if provenance.get(key)
    ]
    if provenance.get("timestamp"):
        parts.append(f"at {provenance['timestamp']}")
    duration = provenance.get("duration_s")
    if isinstance(duration, numbers.Real):
        parts.append(f"took {float(duration):.3g} s")
    cell = provenance.get("cell")
    if isinstance(cell, Mapping) and cell:
        parts.append(_cell_phrase(cell))
    if provenance.get("python"):
        parts.append(f"Python {provenance['python']}")
    packages = provenance.get("packages")
    if isinstance(packages, Mapping) and packages:
        shown = sorted(packages.items())[:_MAX_PACKAGES]
        parts.append(", ".join(f"{name} {version}" for name, version in shown))
    return parts


def _cell_phrase(cell: Mapping[str, Any]) -> str:
    count = cell.get("execution_count")
    text = f"cell [{count}]" if count is not None else "cell"
    if cell.get("cell_id"):
        text += f" id {cell['cell_id']}"
    if cell.get("source_sha256"):
        text += f" sha256 {str(cell['source_sha256'])[:12]}"
    return text


def threshold_of(condition: Condition) -> float | None:
    """Return the limit of a CPU / memory condition, to draw on its timeline."""
    if not condition.value_class.endswith(_THRESHOLD_CLASSES) or not condition.arguments:
        return None
    first = condition.arguments[0]
    if isinstance(first, numbers.Real) and not isinstance(first, bool):
        return float(first)
    return None


def figure_url(value: Value, threshold: float | None = None) -> str | None:
    """Return the value's picture as a ``data:`` URL: an Image, or a CPU / memory timeline."""
    from mlte_nb.values.image import Image
    from mlte_nb.values.resources import CPUStatistics, MemoryStatistics

    if isinstance(value, Image):
        return f"data:{value.media_type};base64,{value.to_base64()}"
    if isinstance(value, (CPUStatistics, MemoryStatistics)) and value.samples:
        from mlte_nb.render.figures import timeline_png

        png = timeline_png(value.samples, value.unit, threshold)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return None


def judged_value(result: ConditionResult, values: Mapping[str, Value]) -> Value | None:
    """Return the stored value of a result only if it is the evidence that was judged.

    Evidence measured again after validation must not be shown beside the old verdict.
    """
    value = values.get(result.measurement_id)
    if value is None or result.evidence is None or value.summary() != result.evidence:
        return None
    return value


def evidence_text(result: ConditionResult, missing: Container[str]) -> str:
    """Return the evidence judged, or say it was missing or not recorded (older stores)."""
    if result.evidence is not None:
        return result.evidence
    if result.measurement_id in missing:
        return MISSING
    return "not recorded in this validated spec"


def humanize(name: str) -> str:
    """Return a field name as a label: ``usage_context`` -> ``Usage context``."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(label, text)`` for every filled leaf of nested descriptor JSON."""
    for key, item in data.items():
        label = f"{prefix} > {humanize(key).lower()}" if prefix else humanize(key)
        if isinstance(item, Mapping):
            yield from flatten(item, label)
        elif isinstance(item, list):
            if item:
                yield label, "; ".join(_item_text(x) for x in item)
        elif item is not None and item != "":
            yield label, str(item)


def _item_text(item: Any) -> str:
    if isinstance(item, Mapping):
        return " / ".join(str(v) for v in item.values() if v is not None and v != "")
    return str(item)


def risk_pairs(risks: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the filled risks with readable labels (``fp`` -> ``False positives``)."""
    return [(RISK_LABELS.get(k, humanize(k)), str(v)) for k, v in risks.items() if v]


def row_groups(results: list[ConditionResult]) -> list[list[ConditionResult]]:
    """Group consecutive results of the same property (one requirement, several conditions)."""
    groups: list[list[ConditionResult]] = []
    for result in results:
        if groups and groups[-1][0].property == result.property:
            groups[-1].append(result)
        else:
            groups.append([result])
    return groups


def condition_unit(result: ConditionResult) -> str:
    """Return the unit of a result's evidence or threshold (empty when there is none)."""
    return result.unit or result.condition.unit or ""
