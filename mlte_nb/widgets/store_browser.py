"""StoreBrowser: models -> versions -> artifacts, each shown rendered and as JSON."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets

from mlte_nb.errors import MlteError
from mlte_nb.render.html import esc, fragment
from mlte_nb.store import ArtifactStore, Document
from mlte_nb.widgets._fields import error_html
from mlte_nb.widgets._static import StaticFallback


def artifact_of(document: Document) -> Any:
    """Return the artifact a stored document holds (Value, Spec, ValidatedSpec or Report)."""
    from mlte_nb.report.report import Report
    from mlte_nb.spec.spec import Spec
    from mlte_nb.validate.validated import ValidatedSpec
    from mlte_nb.values.base import Value, is_value_document

    if is_value_document(document):
        return Value.from_stored(document)
    kinds = {cls.artifact_type: cls for cls in (Spec, ValidatedSpec, Report)}
    kind = document["body"].get("artifact_type", document["header"].get("type"))
    return kinds[kind].from_stored(document)


def rendered_html(document: Document) -> str:
    """Return the artifact's notebook HTML, or a message saying why it cannot be shown."""
    from mlte_nb.render import mimebundle

    try:
        return mimebundle(artifact_of(document))["text/html"]
    except MlteError as exc:
        return fragment(error_html(str(exc)))


def json_html(document: Document) -> str:
    """Return the stored document as indented JSON in a scrolling box."""
    text = json.dumps(document, indent=2, sort_keys=True)
    style = "max-height:420px;overflow:auto;font-size:12px;white-space:pre-wrap"
    return f'<pre style="{style}">{esc(text)}</pre>'


class StoreBrowser(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Browse a store: pick a model, a version and an artifact; see it rendered and as JSON.

    Examples
    --------
    >>> from mlte_nb.widgets import StoreBrowser
    >>> StoreBrowser()  # or %mlte_store
    """

    def __init__(self, store: ArtifactStore | None = None) -> None:
        from mlte_nb import context

        self.store = store if store is not None else context.get_store()
        self.model = widgets.Dropdown(description="Model")
        self.version = widgets.Dropdown(description="Version")
        self.artifact = widgets.Select(description="Artifact", rows=8, layout={"width": "60%"})
        self.rendered = widgets.HTML()
        self.json = widgets.HTML()
        self.history = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        tabs = widgets.Tab([self.rendered, self.json], titles=("Rendered", "JSON"))
        self.model.observe(lambda _: self._on_model(), names="value")
        self.version.observe(lambda _: self._on_version(), names="value")
        self.artifact.observe(lambda _: self._on_artifact(), names="value")
        self.refresh_button.on_click(lambda _: self.refresh())
        header = widgets.HTML(f"<b>Store</b> <code>{esc(self.store.uri)}</code>")
        super().__init__(
            [
                widgets.HBox([header, self.refresh_button]),
                widgets.HBox([self.model, self.version]),
                self.artifact,
                self.history,
                tabs,
            ]
        )
        self.add_class("mlte-store-browser")
        self._start_static()
        try:
            model, version, _ = context.get_context()
            self.refresh(model, version)
        except MlteError:
            self.refresh()

    def __repr__(self) -> str:
        return f"StoreBrowser({self.store.uri!r})"

    @property
    def document(self) -> Document | None:
        """Return the stored document of the selected artifact."""
        if not (self.model.value and self.version.value and self.artifact.value):
            return None
        return self.store.read(self.model.value, self.version.value, self.artifact.value)

    def refresh(self, model: str | None = None, version: str | None = None) -> None:
        """Read the store again, keeping (or choosing) the model and version shown."""
        model, version = model or self.model.value, version or self.version.value
        models = self.store.models()
        self.model.options = models
        self.model.value = model if model in models else (models[0] if models else None)
        if version in self.version.options:
            self.version.value = version
        self._on_version()

    def _on_model(self) -> None:
        versions = self.store.versions(self.model.value) if self.model.value else []
        self.version.options = versions
        self.version.value = versions[-1] if versions else None

    def _on_version(self) -> None:
        ids: list[str] = []
        if self.model.value and self.version.value:
            documents = self.store.read_all(self.model.value, self.version.value)
            ids = [str(d["header"]["identifier"]) for d in documents]
        self.artifact.options = ids
        self.artifact.value = ids[0] if ids else None
        self._on_artifact()

    def _on_artifact(self) -> None:
        try:
            document = self.document
        except MlteError as exc:
            self.rendered.value, self.json.value = error_html(str(exc)), ""
            return
        if document is None:
            self.rendered.value = self.json.value = self.history.value = ""
        else:
            self.rendered.value = rendered_html(document)
            self.json.value = json_html(document)
            kept = self.store.history(self.model.value, self.version.value, self.artifact.value)
            self.history.value = f"<i>{len(kept)} earlier versions in history</i>"
        self.refresh_static()

    def static_bundle(self) -> tuple[str, str]:
        """Return where the browser is, the artifacts there, and the selected one rendered."""
        where = f"{self.store.uri}: {self.model.value} {self.version.value}"
        ids = list(self.artifact.options)
        listing = "".join(
            f"<li><code>{esc(i)}</code>{' (shown below)' if i == self.artifact.value else ''}</li>"
            for i in ids
        )
        head = fragment(f"<b>Store</b> <code>{esc(where)}</code><ul>{listing}</ul>")
        plain = f"Store {where}\n" + "\n".join(f"  {i}" for i in ids)
        document = self.document if self.artifact.value else None
        if document is None:
            return plain, head
        from mlte_nb.render import mimebundle

        try:
            shown = mimebundle(artifact_of(document))["text/plain"]
        except MlteError as exc:
            shown = str(exc)
        return f"{plain}\n{shown}", head + rendered_html(document)
