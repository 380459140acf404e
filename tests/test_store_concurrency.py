"""Concurrency: two processes writing one store lose nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlte_nb.store import JsonStore

pytestmark = pytest.mark.slow

# Each worker waits for a "go" file so that both write at the same time, then reports
# what it did as one JSON line.
_WORKER = r"""
import json, os, sys, time
from mlte_nb.errors import ArtifactExistsError
from mlte_nb.store import JsonStore
root, name, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = JsonStore(root)
store.create_version("M", "1")
print("ready", flush=True)
while not os.path.exists(os.path.join(root, "go")):
    time.sleep(0.001)
won = []
for i in range(n):
    ident = {"distinct": f"{name}-{i}.value", "race": f"r{i}.value", "force": "shared.value"}[mode]
    doc = {"header": {"identifier": ident, "type": "value"},
           "body": {"artifact_type": "value", "writer": name, "i": i}}
    try:
        store.write("M", "1", ident, doc, force=mode == "force")
        won.append(i)
    except ArtifactExistsError:
        pass
print(json.dumps(won), flush=True)
"""


def _race(root: Path, mode: str, n: int) -> dict[str, list[int]]:
    """Run two workers at once in ``mode``; return what each reports it wrote."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(root), name, mode, str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("A", "B")
    }
    for proc in procs.values():
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    (root / "go").touch()
    started = time.perf_counter()
    results = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        results[name] = json.loads(out.strip().splitlines()[-1])
    (root / "go").unlink()
    print(f"{mode}: {2 * n} writes in {time.perf_counter() - started:.2f} s")
    return results


def test_two_processes_saving_1000_artifacts_each_lose_none(tmp_path: Path) -> None:
    root = tmp_path / "store"
    won = _race(root, "distinct", 1000)
    assert len(won["A"]) == len(won["B"]) == 1000
    documents = JsonStore(root).read_all("M", "1")
    found = {(d["body"]["writer"], d["body"]["i"]) for d in documents}
    assert len(documents) == 2000
    assert found == {(w, i) for w in "AB" for i in range(1000)}


def test_racing_creates_fail_for_exactly_one_writer(tmp_path: Path) -> None:
    root = tmp_path / "store"
    won = _race(root, "race", 300)
    assert set(won["A"]).isdisjoint(won["B"])
    assert set(won["A"]) | set(won["B"]) == set(range(300))
    store = JsonStore(root)
    for i in range(300):
        winner = "A" if i in won["A"] else "B"
        assert store.read("M", "1", f"r{i}.value")["body"]["writer"] == winner


def test_forced_writes_of_one_artifact_keep_every_version(tmp_path: Path) -> None:
    root = tmp_path / "store"
    won = _race(root, "force", 200)
    assert len(won["A"]) == len(won["B"]) == 200
    store = JsonStore(root)
    versions = [store.read("M", "1", "shared.value"), *store.history("M", "1", "shared.value")]
    found = [(d["body"]["writer"], d["body"]["i"]) for d in versions]
    assert len(found) == 400
    assert set(found) == {(w, i) for w in "AB" for i in range(200)}
    for writer in "AB":  # each writer's own versions stay in its order
        mine = [i for w, i in found[1:] if w == writer]
        assert mine == sorted(mine)
