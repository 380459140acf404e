"""Image evidence: a picture for a person to inspect (PNG, JPEG, GIF)."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import Any

from mlte_nb.errors import MeasurementError
from mlte_nb.values.base import Value

_SIGNATURES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}


def media_type(data: bytes) -> str | None:
    """Return the media type of image bytes, or None if they are not a known image."""
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def _image_bytes(source: Any, measurement_id: str) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            msg = f"Image {measurement_id!r}: file {str(path)!r} does not exist"
            raise MeasurementError(msg)
        return path.read_bytes()
    if hasattr(source, "savefig"):  # a matplotlib Figure
        buffer = io.BytesIO()
        source.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    msg = (
        f"Image {measurement_id!r} needs a path, bytes or a matplotlib figure, "
        f"got {type(source).__name__}"
    )
    raise MeasurementError(msg)


class Image(Value):
    """An image, stored inline as base64 and shown in reports."""

    value_type = "image"
    aliases = ("mlte.value.types.image.Image",)

    def __init__(
        self,
        measurement_id: str,
        image: Any,
        *,
        unit: str | None = None,
        provenance: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(measurement_id, unit=unit, provenance=provenance)
        self.image: bytes = _image_bytes(image, measurement_id)
        kind = media_type(self.image)
        if kind is None:
            msg = f"Image {measurement_id!r}: the data is not a PNG, JPEG or GIF image"
            raise MeasurementError(msg)
        self.media_type: str = kind

    def summary(self) -> str:
        """Return the format and size."""
        return f"{self.media_type} image, {len(self.image):,} bytes"

    def to_base64(self) -> str:
        """Return the image as base64 text (for HTML data URLs)."""
        return base64.b64encode(self.image).decode("ascii")

    def payload(self) -> dict[str, Any]:
        """Return ``{"data": base64}`` as mlte-python stores images."""
        return {"data": self.to_base64()}

    @classmethod
    def from_payload(cls, measurement_id: str, payload: dict[str, Any], **kw: Any) -> Image:
        """Rebuild from base64 text."""
        return cls(measurement_id, base64.b64decode(payload["data"]), **kw)
