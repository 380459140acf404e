"""One place that turns artifacts into text/plain and text/html."""

from __future__ import annotations

import html
from typing import Any


def mimebundle(obj: Any) -> dict[str, str]:
    """Return the notebook display bundle of an artifact (placeholder renderer)."""
    text = repr(obj)
    return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
