"""ipywidgets views over the core: SpecEditor, ValidationView, StoreBrowser.

Thin layers: they read and write core objects and show the store; every widget is also
displayed with a static HTML and text copy of what it shows. ipywidgets is imported
when a widget class is first used, so importing this package (or walking mlte_nb's
packages) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlte_nb.widgets.spec_editor import SpecEditor
    from mlte_nb.widgets.store_browser import StoreBrowser
    from mlte_nb.widgets.validation_view import ValidationView

__all__ = ["SpecEditor", "StoreBrowser", "ValidationView"]

_MODULES = {
    "SpecEditor": "spec_editor",
    "StoreBrowser": "store_browser",
    "ValidationView": "validation_view",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        msg = f"module 'mlte_nb.widgets' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"mlte_nb.widgets.{_MODULES[name]}"), name)
