"""Export an executed notebook as one static HTML page: no widget placeholders, report appended."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from mlte_nb.errors import ReportError

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Script tags that load code from elsewhere (a CDN) or from nowhere (an emptied URL).
_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"'](?:https?://[^\"']*)?[\"'][^>]*>\s*</script>", re.I)
# Inline scripts that import code from the network (nbconvert's lazy mermaid loader).
_INLINE_REMOTE = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*https?://(?:(?!</script>).)*</script>", re.I | re.S
)
_PLACEHOLDER = "(an interactive widget: run the notebook to use it)"


def static_notebook(notebook: Any) -> Any:
    """Return a copy whose outputs are static: widget views give way to their HTML/text.

    Saved widget state is dropped too: nbconvert would otherwise prefer the (blank,
    offline) widget over the static HTML the same output carries.
    """
    static = copy.deepcopy(notebook)
    static.metadata.pop("widgets", None)
    for cell in static.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if not any(key.startswith("text/") or key.startswith("image/") for key in data):
                    data["text/plain"] = _PLACEHOLDER
    return static


def notebook_html(path: str | Path, *, report_html: str | None = None) -> str:
    """Return the notebook at ``path`` as HTML with static outputs and no CDN scripts.

    ``report_html`` (a rendered report) is appended at the end of the page.
    """
    import nbformat
    from nbconvert import HTMLExporter

    try:
        notebook = nbformat.read(Path(path), as_version=4)
    except (OSError, ValueError) as exc:
        msg = f"cannot read notebook {str(path)!r}: {exc}"
        raise ReportError(msg) from exc
    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.jquery_url = ""
    body, _ = exporter.from_notebook_node(static_notebook(notebook))
    body = _INLINE_REMOTE.sub("", _SCRIPT.sub("", body))
    if report_html:
        appendix = f'<section id="mlte-report"><hr>{report_html}</section>'
        body = body.replace("</body>", appendix + "\n</body>", 1)
    return body
