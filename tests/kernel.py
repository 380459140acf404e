"""Helpers to build small notebooks and execute them with a real kernel (nbclient)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient


def make_notebook(path: Path, *cells: str) -> Path:
    """Write a notebook whose code cells are ``cells``."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in cells],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(notebook, path)
    return path


def execute(path: Path, *, allow_errors: bool = False, timeout: int = 300) -> Any:
    """Execute the notebook in its folder with a real kernel; return the executed notebook."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def output_text(cell: Any) -> str:
    """Return everything a cell printed or displayed as text, errors included."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(str(output.get("text", "")))
        parts.append(str(output.get("data", {}).get("text/plain", "")))
        if output.get("output_type") == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)
