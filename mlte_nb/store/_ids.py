"""Map artifact ids to file names and back, so no id can leave the store folder."""

from __future__ import annotations

import hashlib
from urllib.parse import quote, unquote

from mlte_nb.errors import StoreError

# Characters kept as they are: readable names such as "accuracy across gardens.value"
# stay readable (and match mlte-python 0.2.x stores); everything else is %-escaped.
_SAFE = " -_.,()+=@[]'!~"
MAX_ID_LENGTH = 1000
_MAX_NAME_BYTES = 200


def check_id(identifier: str, what: str = "artifact id") -> str:
    """Return ``identifier`` if usable as an id, else raise a StoreError saying why."""
    if not isinstance(identifier, str) or not identifier.strip():
        msg = f"{what} {identifier!r} is empty; give a non-empty name"
        raise StoreError(msg)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in identifier):
        msg = f"{what} {identifier!r} contains control characters; remove them"
        raise StoreError(msg)
    if len(identifier) > MAX_ID_LENGTH:
        msg = f"{what} is {len(identifier)} characters long; at most {MAX_ID_LENGTH} are allowed"
        raise StoreError(msg)
    return identifier


def encode(identifier: str, what: str = "artifact id") -> str:
    """Return the file-name form of ``identifier`` (reversible, no path separators)."""
    name = quote(check_id(identifier, what), safe=_SAFE)
    if name.startswith("."):
        name = "%2E" + name[1:]
    if len(name.encode()) > _MAX_NAME_BYTES:
        # File systems cap names near 255 bytes: keep a readable prefix and make it unique
        # with a digest; the exact id lives in the artifact's header.
        digest = hashlib.sha256(identifier.encode()).hexdigest()[:16]
        name = (
            name.encode()[:150].decode(errors="ignore").rstrip("%0123456789ABCDEF") + "~" + digest
        )
    return name


def decode(name: str) -> str:
    """Return the id whose file-name form is ``name``."""
    return unquote(name)
