"""Where a piece of evidence came from: measurement, function, time, versions, cell."""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from typing import Any

_PACKAGES = ("mlte-nb", "numpy", "pandas", "scipy", "scikit-learn", "psutil")
_versions: dict[str, str] = {}


def package_versions() -> dict[str, str]:
    """Return the versions of the packages evidence usually depends on (cached)."""
    if not _versions:
        from importlib import metadata  # imported here: it costs 40 ms at package import

        for name in _PACKAGES:
            try:
                _versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
    return dict(_versions)


def make_provenance(
    measurement_type: str,
    *,
    function: str | None = None,
    duration_s: float | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the provenance record stored with a value."""
    from mlte_nb.context import current_provenance

    record: dict[str, Any] = {
        "measurement_type": measurement_type,
        "function": function,
        "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": duration_s,
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
        "packages": package_versions(),
    }
    record.update(current_provenance())
    record.update(extra or {})
    return record


def function_name(function: Any) -> str | None:
    """Return ``module.qualname`` of a callable (``None`` when there is none)."""
    if function is None:
        return None
    module = getattr(function, "__module__", None) or "?"
    name = getattr(function, "__qualname__", None) or type(function).__name__
    return f"{module}.{name}"
