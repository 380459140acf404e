"""Small static figures for reports: resource timelines as PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence

MAX_POINTS = 400  # more points add bytes, not information, at 4 inches wide


def timeline_png(
    samples: Sequence[Sequence[float]], unit: str | None, threshold: float | None = None
) -> bytes:
    """Draw ``[[seconds, value], ...]`` as a small line chart and return it as PNG bytes.

    Parameters
    ----------
    samples
        The timeline, as ``[seconds since start, value]`` pairs (CPU or memory samples).
    unit
        The unit of the values, shown on the y axis.
    threshold
        If given, drawn as a dashed horizontal line (the condition's limit).

    Returns
    -------
    bytes
        A PNG of about 4 x 1.6 inches, usually well under 30 KB, with no timestamp in
        its metadata (the same samples give the same bytes).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not samples:
        msg = "timeline_png needs at least one [seconds, value] sample"
        raise ValueError(msg)
    points = _thin([(float(t), float(v)) for t, v, *_ in samples])
    times, values = zip(*points, strict=True)
    figure = Figure(figsize=(4, 1.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(times, values, color="#0969da", linewidth=1.2, marker="." if len(points) < 3 else "")
    if threshold is not None:
        axes.axhline(
            threshold,
            color="#cf222e",
            linestyle="--",
            linewidth=1,
            label=f"threshold {threshold:g}",
        )
        axes.legend(loc="best", fontsize=6, frameon=False)
    axes.set_xlabel("time (s)", fontsize=7)
    axes.set_ylabel(unit or "value", fontsize=7)
    axes.tick_params(labelsize=6)
    axes.grid(alpha=0.3, linewidth=0.5)
    figure.tight_layout(pad=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return _small_png(buffer.getvalue())


def _small_png(png: bytes) -> bytes:
    """Return ``png`` reduced to a 32-colour palette (a third of the bytes, same look)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(colors=32)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep at most MAX_POINTS points, always keeping the peak so the maximum stays visible."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    kept = {int(i * step) for i in range(MAX_POINTS)}
    kept.add(max(range(len(points)), key=lambda i: points[i][1]))
    kept.add(len(points) - 1)
    return [points[i] for i in sorted(kept)]
