"""Map artifact ids to file names and back, so no id can leave the store folder.

Every id has a *canonical* file name: the id %-escaped where needed (readable ids such
as ``accuracy across gardens.value`` stay as they are, like mlte-python 0.2.x writes
them), with a leading dot escaped, and shortened to a prefix plus a digest when too
long for a file system. Two more names exist for lookups:

- the *twin* name (canonical + ``~c`` + digest), used when the canonical name is taken
  by another id, as happens on case-insensitive file systems (macOS, Windows) for ids
  that differ only by case;
- the *legacy* name, the id unescaped as mlte-python 0.2.x wrote it, tried on reads when
  it cannot leave its folder.

Names holding a digest cannot be decoded; the store keeps the exact id beside them.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote, unquote

from mlte_nb.errors import StoreError

# Characters kept as they are; everything else is %-escaped.
_SAFE = " -_.,()+=@[]'!~"
MAX_ID_LENGTH = 1000
_MAX_NAME_BYTES = 200
_LEGACY_MAX_BYTES = 240
_DIGEST = 16


def check_id(identifier: str, what: str = "artifact id") -> str:
    """Return ``identifier`` if usable as an id, else raise a StoreError saying why."""
    if not isinstance(identifier, str) or not identifier.strip():
        msg = f"{what} {identifier!r} is empty; give a non-empty name"
        raise StoreError(msg)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in identifier):
        msg = f"{what} {identifier!r} contains control characters; remove them"
        raise StoreError(msg)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in identifier):
        msg = f"{what} {identifier!r} contains unpaired surrogates; it is not valid text"
        raise StoreError(msg)
    if len(identifier) > MAX_ID_LENGTH:
        msg = f"{what} is {len(identifier)} characters long; at most {MAX_ID_LENGTH} are allowed"
        raise StoreError(msg)
    return identifier


def digest(identifier: str) -> str:
    """Return the short digest that makes hashed names unique."""
    return hashlib.sha256(identifier.encode()).hexdigest()[:_DIGEST]


def encode(identifier: str, what: str = "artifact id") -> str:
    """Return the canonical file-name form of ``identifier`` (no path separators)."""
    name = quote(check_id(identifier, what), safe=_SAFE)
    if name.startswith("."):
        name = "%2E" + name[1:]
    if len(name.encode()) > _MAX_NAME_BYTES:
        # File systems cap names near 255 bytes: keep a readable prefix and make it unique
        # with a digest; the exact id is kept in the header (files) or .mlte-name (folders).
        prefix = name.encode()[:150].decode(errors="ignore").rstrip("%0123456789ABCDEF")
        name = f"{prefix}~{digest(identifier)}"
    return name


def twin(identifier: str) -> str:
    """Return the name used when the canonical one belongs to another id (case twins)."""
    return f"{encode(identifier)}~c{digest(identifier)}"


def is_canonical(name: str) -> bool:
    """Return whether ``name`` is the canonical name of the id it decodes to."""
    try:
        return encode(decode(name)) == name
    except StoreError:  # decodes to an unusable id: not one of ours
        return False


def legacy(identifier: str) -> str | None:
    """Return the unescaped name mlte-python 0.2.x used, if it cannot leave its folder."""
    if identifier in (".", "..") or identifier.startswith("."):
        return None
    if any(ch in identifier for ch in "/\\\x00") or len(identifier.encode()) > _LEGACY_MAX_BYTES:
        return None
    return identifier


def decode(name: str) -> str:
    """Return the id whose canonical name is ``name``."""
    return unquote(name)


def name_to_id(name: str) -> str:
    """Return the id of a folder named ``name`` that carries no ``.mlte-name`` file.

    A canonical name decodes to its id; anything else was written unescaped by
    mlte-python 0.2.x and is its own id.
    """
    return decode(name) if is_canonical(name) else name
