"""Debian's Chromium for the browser tests: installed by the tests themselves when missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As root the sandbox must be off; without the networking flags Chromium keeps trying
# hosts this machine cannot reach (shared/notes/browser-testing.md).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def ensure_chromium() -> Path:
    """Return Debian's Chromium, installing it with apt-get when it is missing."""
    if not CHROMIUM.exists() and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium could not be installed; browser tests need it")
    return CHROMIUM
