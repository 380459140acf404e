"""What every mlte-nb command shares: exit codes, one-line errors, printing, writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlte_nb.errors import MlteError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def _internal(exc: BaseException) -> str:
    """Describe an unexpected exception on one line."""
    text = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}: {text}"


def _print_validation(validated: Any) -> None:
    validated.print_results()
    print(", ".join(f"{n} {kind}" for kind, n in validated.counts().items()))


def _write(path: Path, text: str, option: str) -> None:
    """Write a CI file atomically; an unwritable path is a one-line MlteError."""
    from mlte_nb.store._atomic import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        msg = f"cannot write {option} {str(path)!r} ({type(exc).__name__}: {exc.strerror or exc})"
        raise MlteError(msg + "; choose a writable path") from exc
