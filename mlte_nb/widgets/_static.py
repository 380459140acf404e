"""Static fallback: every widget also shows its content as plain HTML and text.

Widgets render only where their JavaScript runs. Each widget here is displayed as two
outputs: the widget view, then a ``display_data`` output holding the same content as
HTML and text. nbconvert, GitHub and offline VS Code show the second one even when the
first cannot render (nbconvert prefers a widget view over ``text/html`` in the same
bundle whenever the widget state is saved, so the copy must be an output of its own).
When a live front end shows the widget (``_view_count`` goes above 0), the copy folds
into a one-line ``<details>`` so it does not repeat the widget, and it is kept up to
date with what the widget shows.
"""

from __future__ import annotations

from typing import Any

_NOTE = "Static copy of the widget above (shown where widgets cannot run)"
# JupyterLab and nbconvert right-align table cells with
# ``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`` (specificity 0,2,1); this wins.
_STYLE = "<style>.mlte-static .mlte table th,.mlte-static .mlte table td{text-align:left}</style>"


def _wrapped(markup: str, *, folded: bool) -> str:
    if not folded:
        return f'<div class="mlte-static">{_STYLE}{markup}</div>'
    return (
        f'<details class="mlte-static">{_STYLE}<summary style="font-size:11px;opacity:.7">'
        f"{_NOTE}</summary>{markup}</details>"
    )


class StaticFallback:
    """Mixin for a Box widget: display it with a static HTML and text copy of its content.

    Subclasses implement :meth:`static_bundle` and call :meth:`refresh_static` when what
    they show changes.
    """

    _static_handles: list[Any]

    def static_bundle(self) -> tuple[str, str]:
        """Return ``(text/plain, text/html)`` of what the widget shows."""
        raise NotImplementedError

    def _start_static(self) -> None:
        """Track front-end views (call from ``__init__`` after the widget is built)."""
        self._static_handles = []
        self._view_count = 0  # None would mean "do not track views"
        self.observe(self._on_views, names="_view_count")  # type: ignore[attr-defined]

    def _static_data(self) -> dict[str, str]:
        plain, markup = self.static_bundle()
        folded = (self._view_count or 0) > 0
        return {"text/plain": plain, "text/html": _wrapped(markup, folded=folded)}

    def _ipython_display_(self, **kwargs: Any) -> None:
        from IPython.display import display

        view = self._repr_mimebundle_()  # type: ignore[attr-defined]
        display(view, raw=True)
        handle = display(self._static_data(), raw=True, display_id=True)
        if handle is not None:
            self._static_handles.append(handle)

    def refresh_static(self) -> None:
        """Update every displayed static copy to the widget's current content."""
        if not self._static_handles:
            return
        data = self._static_data()
        for handle in self._static_handles:
            handle.update(data, raw=True)

    def _on_views(self, change: dict[str, Any]) -> None:
        self.refresh_static()
