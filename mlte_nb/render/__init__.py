"""One place that turns artifacts into text/plain and text/html (and Markdown for export).

Importing this package is cheap: the renderers and the core classes they dispatch on
are imported when something is rendered, so core modules can import ``mlte_nb.render``
lazily from ``_repr_mimebundle_`` without import cycles.
"""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlte_nb.report.report import Report
    from mlte_nb.validate.validated import ValidatedSpec

__all__ = ["mimebundle", "render"]


def render(obj: Any) -> tuple[str, str]:
    """Return ``(text/plain, text/html)`` for a Value, Spec, ValidatedSpec or Report.

    Anything else is shown by its ``repr``, escaped.
    """
    import html as _html

    from mlte_nb.render import html, text
    from mlte_nb.report.report import Report
    from mlte_nb.spec.spec import Spec
    from mlte_nb.validate.validated import ValidatedSpec
    from mlte_nb.values.base import Value

    if isinstance(obj, Value):
        return text.value_text(obj), html.value_html(obj)
    if isinstance(obj, Spec):
        return text.spec_text(obj), html.spec_html(obj)
    if isinstance(obj, ValidatedSpec):
        return text.validated_text(obj), html.validated_html(obj)
    if isinstance(obj, Report):
        validated = _stored_validated(obj)
        return text.report_text(obj, validated), html.report_html(obj, validated)
    plain = repr(obj)
    return plain, f"<pre>{_html.escape(plain)}</pre>"


def mimebundle(
    obj: Any, include: Container[str] | None = None, exclude: Container[str] | None = None
) -> dict[str, str]:
    """Return the notebook display bundle of an artifact: ``text/plain`` and ``text/html``.

    ``include`` / ``exclude`` are IPython's mimetype filters, honoured as rich does.
    """
    plain, markup = render(obj)
    bundle = {"text/plain": plain, "text/html": markup}
    return {
        mime: data
        for mime, data in bundle.items()
        if (include is None or mime in include) and (exclude is None or mime not in exclude)
    }


def _stored_validated(report: Report) -> ValidatedSpec | None:
    """Return the ValidatedSpec a report names, or None when it cannot be loaded here.

    Showing a report must never raise; the rendering says what could not be loaded.
    """
    from mlte_nb.errors import MlteError
    from mlte_nb.validate.validated import ValidatedSpec

    if report.validated_spec_id is None:
        return None
    try:
        return ValidatedSpec.load(report.validated_spec_id)
    except MlteError:
        return None
