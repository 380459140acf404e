"""HTML for a comparison of two validations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlte_nb.render.html import badge, esc, fragment

if TYPE_CHECKING:
    from mlte_nb.validate.diff import ResultChange, ValidationDiff


def diff_html(diff: ValidationDiff) -> str:
    """Return a table of what changed between two validations (unchanged rows counted only)."""
    counts = ", ".join(f"{n} {kind}" for kind, n in diff.counts().items() if n)
    rows = "".join(_row(item) for item in diff.changes if item.change != "unchanged")
    head = (
        "<tr><th>Property</th><th>Measurement</th><th>Before</th><th>After</th>"
        "<th>Change</th><th>Evidence change</th></tr>"
    )
    title = (
        f"<p><b>Validation diff</b> <code>{esc(diff.before.identifier)}</code> &rarr; "
        f"<code>{esc(diff.after.identifier)}</code>: {esc(counts)}</p>"
    )
    table = f"<table>{head}{rows}</table>" if rows else "<p>No condition changed.</p>"
    return fragment(title + table)


def _row(item: ResultChange) -> str:
    before = badge(item.before.kind) if item.before else "&ndash;"
    after = badge(item.after.kind) if item.after else "&ndash;"
    delta = item.delta
    unit = f" {item.unit}" if item.unit else ""
    evidence = "" if delta is None else f"{delta:+.4g}{unit}"
    if item.before and item.after and item.before.evidence != item.after.evidence:
        evidence += (
            f"<br><small>{esc(item.before.evidence)} &rarr; {esc(item.after.evidence)}</small>"
        )
    change = esc(item.change)
    if item.thresholds:
        old, new = (esc(text) for text in item.thresholds)
        change += f"<br><small>{old} &rarr; {new}</small>"
    return (
        f"<tr><td>{esc(item.property_name)}</td><td>{esc(item.measurement_id)}</td>"
        f"<td>{before}</td><td>{after}</td><td>{change}</td><td>{evidence}</td></tr>"
    )
