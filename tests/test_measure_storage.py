"""LocalObjectSize: files and folders in bytes, hard links once, symlinks not followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.measure import LocalObjectSize
from mlte_nb.values import StorageSize


def test_file_size(tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(b"x" * 1234)
    size = LocalObjectSize("model size").evaluate(model)
    assert isinstance(size, StorageSize)
    assert size.value == 1234
    assert size.unit == "bytes"


def test_folder_counts_hard_links_once_and_skips_symlink_targets(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    (folder / "sub").mkdir(parents=True)
    (folder / "weights.bin").write_bytes(b"w" * 1000)
    (folder / "sub" / "config.json").write_bytes(b"{}" * 50)
    os.link(folder / "weights.bin", folder / "sub" / "weights-link.bin")
    big = tmp_path / "outside.bin"
    big.write_bytes(b"b" * 1_000_000)
    link = folder / "big-link"
    link.symlink_to(big)
    (folder / "loop").symlink_to(folder)
    expected = 1000 + 100 + os.lstat(link).st_size + os.lstat(folder / "loop").st_size
    assert LocalObjectSize("model size").evaluate(folder).value == expected


def test_missing_path_names_it(tmp_path: Path) -> None:
    with pytest.raises(MeasurementError, match="nothing-here"):
        LocalObjectSize("model size").evaluate(tmp_path / "nothing-here")


def test_value_class_allows_spec_before_evidence() -> None:
    assert LocalObjectSize.value() is StorageSize
    assert "less_than" in repr(LocalObjectSize.value().less_than(3000))
