"""Durability: history and restore (API and CLI), stray temp files, and a SIGKILL fault test."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mlte_nb import cli
from mlte_nb.errors import ArtifactNotFoundError, StoreError
from mlte_nb.store import JsonStore, MemoryStore, list_history, restore
from mlte_nb.store._atomic import temp_file

MODEL, VERSION = "OxfordFlower", "0.0.1"


def doc(identifier: str, n: int) -> dict[str, Any]:
    return {
        "header": {"identifier": identifier, "type": "value", "timestamp": 1_700_000_000 + n},
        "body": {"artifact_type": "value", "n": n},
    }


def strict_load(path: Path) -> Any:
    def reject(constant: str) -> None:
        msg = f"bare {constant} in {path}"
        raise AssertionError(msg)

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=reject)


@pytest.fixture(params=["json", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    made = JsonStore(tmp_path / "store") if request.param == "json" else MemoryStore()
    made.create_version(MODEL, VERSION)
    return made


class TestHistoryAndRestore:
    def test_history_entries_are_numbered_oldest_first(self, store: Any) -> None:
        for n in range(3):
            store.write(MODEL, VERSION, "a.value", doc("a.value", n), force=n > 0)
        entries = list_history(store, MODEL, VERSION, "a.value")
        assert [(e.number, e.document["body"]["n"]) for e in entries] == [(1, 0), (2, 1)]
        assert entries[0].timestamp == 1_700_000_000
        assert "2023-11-14" in entries[0].describe()

    def test_restore_makes_an_old_version_current_and_keeps_the_replaced_one(
        self, store: Any
    ) -> None:
        for n in range(3):
            store.write(MODEL, VERSION, "a.value", doc("a.value", n), force=n > 0)
        restore(store, MODEL, VERSION, "a.value", 1)
        assert store.read(MODEL, VERSION, "a.value")["body"]["n"] == 0
        old = [d["body"]["n"] for d in store.history(MODEL, VERSION, "a.value")]
        assert old == [0, 1, 2]

    def test_restore_of_a_number_out_of_range_lists_the_valid_ones(self, store: Any) -> None:
        store.write(MODEL, VERSION, "a.value", doc("a.value", 0), force=False)
        store.write(MODEL, VERSION, "a.value", doc("a.value", 1), force=True)
        with pytest.raises(StoreError, match=r"1\.\.1, not 5"):
            restore(store, MODEL, VERSION, "a.value", 5)

    def test_restore_without_history_is_not_found(self, store: Any) -> None:
        store.write(MODEL, VERSION, "a.value", doc("a.value", 0), force=False)
        with pytest.raises(ArtifactNotFoundError, match="no history"):
            restore(store, MODEL, VERSION, "a.value", 1)

    def test_history_names_carry_pid_and_a_random_part(self, tmp_path: Path) -> None:
        store = JsonStore(tmp_path / "s")
        store.create_version(MODEL, VERSION)
        for n in range(5):
            store.write(MODEL, VERSION, "a.value", doc("a.value", n), force=n > 0)
        names = [p.name for p in (store._version_dir(MODEL, VERSION) / ".history").rglob("*")]
        assert len(names) == 5  # the folder and four versions
        assert all(f"-{os.getpid()}-" in n for n in names if n.endswith(".json"))


class TestCommands:
    @pytest.fixture
    def root(self, tmp_path: Path) -> Path:
        store = JsonStore(tmp_path / "store")
        store.create_version(MODEL, VERSION)
        for n in range(3):
            store.write(MODEL, VERSION, "acc.value", doc("acc.value", n), force=n > 0)
        return tmp_path / "store"

    def test_history_lists_numbered_versions(
        self, root: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["history", MODEL, VERSION, "acc.value", "--store", str(root)]) == 0
        out = capsys.readouterr().out
        assert "   1  2023-11-14" in out
        assert "   2  " in out
        assert "2 earlier version(s)" in out

    def test_restore_brings_back_a_version(self, root: Path) -> None:
        assert cli.main(["restore", MODEL, VERSION, "acc.value", "1", "--store", str(root)]) == 0
        assert JsonStore(root).read(MODEL, VERSION, "acc.value")["body"]["n"] == 0

    def test_unknown_artifact_is_exit_2_with_one_line(
        self, root: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["history", MODEL, VERSION, "nope.value", "--store", str(root)]) == 2
        assert "acc.value" in capsys.readouterr().err

    def test_clean_removes_old_temp_files_only(self, root: Path) -> None:
        folder = JsonStore(root)._version_dir(MODEL, VERSION)
        old, new = folder / ".tmp-old.part", folder / ".tmp-new.part"
        old.write_text("{partial")
        new.write_text("{partial")
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        assert cli.main(["clean", "--store", str(root)]) == 0
        assert not old.exists()
        assert new.exists()


class TestStrayTempFiles:
    def test_partial_temp_files_are_ignored_on_read(self, tmp_path: Path) -> None:
        store = JsonStore(tmp_path / "s")
        store.create_version(MODEL, VERSION)
        store.write(MODEL, VERSION, "a.value", doc("a.value", 1), force=False)
        folder = store._version_dir(MODEL, VERSION)
        (folder / ".tmp-deadbeef.part").write_text('{"header": {"identif')
        assert [d["header"]["identifier"] for d in store.read_all(MODEL, VERSION)] == ["a.value"]

    def test_clean_never_removes_a_temp_file_a_writer_holds(self, tmp_path: Path) -> None:
        store = JsonStore(tmp_path / "s")
        store.create_version(MODEL, VERSION)
        folder = store._version_dir(MODEL, VERSION)
        with temp_file(folder, "{}") as tmp:
            os.utime(tmp, (0, 0))  # looks ancient, but its writer is still at work
            assert store.clean(older_than_s=0) == []
            assert Path(tmp).exists()
        assert not Path(tmp).exists()


_WRITER = r"""
import math, sys
from mlte_nb import Array, Real, context
from mlte_nb.errors import ArtifactExistsError
root, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
context.set_store(f"local://{root}")
context.set_context("M", "1")
print("ready", flush=True)
for i in range(start, end):
    try:
        if i % 3 == 0:
            Array(f"a{i}", [float(i)] * 1000).save(parents=True)
        elif i % 3 == 1:
            Real("shared", float(i)).save(parents=True, force=True)
        else:
            Real(f"nan{i}", math.nan).save(parents=True)
    except ArtifactExistsError:  # saved before the last kill, but not yet reported
        pass
    print(i, flush=True)
"""


def _run_until_killed(root: Path, start: int, end: int, rng: random.Random) -> list[int]:
    """Start a writer, let it save for a random moment, SIGKILL it; return the saves it reported."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(root), str(start), str(end)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    seen = [proc.stdout.readline() for _ in range(rng.randint(0, 25))]
    time.sleep(rng.uniform(0.0, 0.004))  # then somewhere inside a save
    proc.send_signal(signal.SIGKILL)
    out = "".join(seen) + proc.stdout.read()
    proc.wait()
    return [int(line) for line in out.splitlines() if line.strip().isdigit()]


@pytest.mark.slow
def test_sigkill_at_random_points_during_200_saves_loses_no_returned_save(
    tmp_path: Path,
) -> None:
    """Every returned save is present and every file is strict JSON after repeated SIGKILLs."""
    rng, root, total = random.Random(5), tmp_path / "store", 200
    returned: list[int] = []
    kills = 0
    while not returned or returned[-1] < total - 1:
        returned += _run_until_killed(root, (returned[-1] + 1) if returned else 0, total, rng)
        kills += 1
    store = JsonStore(root)
    for path in root.rglob("*.json"):
        strict_load(path)  # current and history files alike
    ids = {d["header"]["identifier"] for d in store.read_all("M", "1")}
    shared = [store.read("M", "1", "shared.value"), *store.history("M", "1", "shared.value")]
    kept = {d["body"]["value"]["real"] for d in shared}
    for i in returned:
        if i % 3 == 0:
            assert store.read("M", "1", f"a{i}.value")["body"]["value"]["data"][0] == i
        elif i % 3 == 1:
            assert float(i) in kept
        else:
            assert f"nan{i}.value" in ids
            assert math.isnan(store.read("M", "1", f"nan{i}.value")["body"]["value"]["real"])
    store.clean(older_than_s=0)
    assert not [p for p in root.rglob(".tmp-*")]
    assert kills >= 5, "the writer was hardly interrupted"
    print(f"{kills} SIGKILLs, {len(set(returned))} returned saves all present")
