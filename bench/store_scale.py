"""Store scale: save and load N values with mlte_nb and with mlte-python 0.2.10.

Run ``python bench/store_scale.py`` (``--quick`` for 1,000 only). mlte_nb saves 1,000, 3,000
and 10,000 values one by one into one version of a fresh file store, then loads them all;
the reference (mlte-python 0.2.10 in ``bench/.venv-reference``, see ``_reference.py``) does
the same at the sizes it can finish (its per-save cost grows with the store: 10,000 did not
finish in 600 s). Both run in this process's machine in the same run, one after the other.
Prints a table and writes ``bench/store_scale.md``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

REFERENCE_DRIVER = r"""
import json, sys, time
from mlte.session import set_context, set_store
from mlte.evidence.metadata import EvidenceMetadata, Identifier
from mlte.value.artifact import Value
from mlte.value.types.real import Real
root, n = sys.argv[1], int(sys.argv[2])
set_store(f"local://{root}")
set_context("M", "1")
each = []
for i in range(n):
    meta = EvidenceMetadata(measurement_type="bench", identifier=Identifier(name=f"m{i}"))
    started = time.perf_counter()
    Real(meta, float(i)).save(parents=True)
    each.append(time.perf_counter() - started)
loads = []
for _ in range(3):
    started = time.perf_counter()
    loaded = Value.load_all()
    loads.append(time.perf_counter() - started)
print(json.dumps({"save_s": sum(each), "each": each, "load_s": sorted(loads)[1],
                  "loads": loads, "loaded": len(loaded)}))
"""


def run_mlte_nb(n: int) -> dict[str, float]:
    """Save ``n`` Real values one by one, then load them all; return times and counts."""
    from mlte_nb import Real, Value, context

    with tempfile.TemporaryDirectory() as root:
        context.set_store(f"local://{root}")
        context.set_context("M", "1")
        each = []
        for i in range(n):
            started = time.perf_counter()
            Real(f"m{i}", float(i)).save(parents=True)
            each.append(time.perf_counter() - started)
        saved = sum(each)
        loads = []
        for _ in range(3):
            started = time.perf_counter()
            loaded = Value.load_all()
            loads.append(time.perf_counter() - started)
        load_s = sorted(loads)[1]
        started = time.perf_counter()
        listed = context.get_store().read_all("M", "1")
        list_s = time.perf_counter() - started
    context.reset_context()
    return {
        "save_s": saved,
        "each": each,
        "loads": loads,
        "load_s": load_s,
        "loaded": len(loaded),
        "list_s": list_s,
        "listed": len(listed),
    }


def run_reference(n: int) -> dict[str, float]:
    """Do the same with mlte-python 0.2.10 in its own venv."""
    from _reference import run_driver

    with tempfile.TemporaryDirectory() as root:
        found = run_driver(REFERENCE_DRIVER, root, str(n), timeout=900)
    return dict(found)


def _row(tool: str, n: int, r: dict[str, float]) -> str:
    if "error" in r:
        return f"| {tool} | {n:,} | error: {r['error']} | | | |"
    per_save = r["save_s"] / n * 1000
    return (
        f"| {tool} | {n:,} | {per_save:.2f} | {r['save_s']:.1f} | {r['load_s']:.3f} "
        f"| {int(r['loaded']):,} |"
    )


def main() -> None:
    """Run both stores at each size and write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 values only.")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [1000, 3000, 10000]
    ours = {n: run_mlte_nb(n) for n in sizes}
    theirs = {n: run_reference(n) for n in sizes if n <= 3000}
    lines = [
        "| store | values | ms per save | total save s | load_all s | load_all returned |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        lines.append(_row("mlte_nb", n, ours[n]))
        if n in theirs:
            lines.append(_row("mlte-python 0.2.10", n, theirs[n]))
    ratios = []
    for n, r in theirs.items():
        if "error" not in r:
            ratios.append(
                f"- {n:,} values: mlte_nb saves {r['save_s'] / ours[n]['save_s']:.1f}x faster "
                f"per save and loads all {int(ours[n]['loaded']):,} values in "
                f"{ours[n]['load_s']:.3f} s, where the reference returned {int(r['loaded'])} "
                f"in {r['load_s']:.3f} s ({r['load_s'] / ours[n]['load_s']:.1f}x the time)."
            )
    growth = [
        "- mlte_nb ms per save: "
        + ", ".join(f"{ours[n]['save_s'] / n * 1000:.2f} at {n:,}" for n in sizes),
        f"- mlte_nb listing (read_all) at {sizes[-1]:,}: {ours[sizes[-1]]['list_s']:.3f} s "
        f"for {int(ours[sizes[-1]]['listed']):,} documents",
    ]
    table = "\n".join(lines)
    print(table)
    print("\n".join(ratios + growth))
    text = _markdown(table, ratios + growth)
    (HERE / "store_scale.md").write_text(text, encoding="utf-8")
    _emit(ours, theirs)


def _emit(ours: dict[int, dict], theirs: dict[int, dict]) -> None:
    """Print the BENCH lines: per-save cost and load_all, both sides, median and spread."""
    from _report import emit, summary

    for n, mine in ours.items():
        ref = theirs.get(n, {})
        ok = ref and "error" not in ref
        emit(
            f"store: save one value (one by one up to {n:,} in one version)",
            summary(mine["each"]),
            summary(ref["each"]) if ok else None,
            note="" if ok else "the reference does not finish this size in reasonable time",
        )
        emit(
            f"store: load_all of {n:,} values",
            summary(mine["loads"]),
            summary(ref["loads"]) if ok else None,
            note=f"reference returned {int(ref['loaded'])} of {n:,}" if ok else "",
        )


def _markdown(table: str, notes: list[str]) -> str:
    return "\n".join(
        [
            "# Store scale: mlte_nb vs mlte-python 0.2.10",
            "",
            "Generated by `python bench/store_scale.py` (same machine, same run). Each tool saves",
            "N `Real` values one by one into one model version of a fresh file store, then",
            "loads them all with `Value.load_all()`. mlte_nb fsyncs every file and its folder",
            "(durable writes); the reference writes in place without fsync. The reference's",
            "`load_all` stops at 100 artifacts whatever the store holds; its per-save cost",
            "grows with the store (10,000 did not finish within 600 s here), so it runs at",
            "1,000 and 3,000 only.",
            "",
            table,
            "",
            *notes,
            "",
        ]
    )


if __name__ == "__main__":
    main()
