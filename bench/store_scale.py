"""Store scale: save and load N values with mlte_nb and with mlte-python 0.2.10.

Run ``python bench/store_scale.py`` (``--quick`` for 1,000 only). mlte_nb saves 1,000, 3,000
and 10,000 values one by one into one version of a fresh file store, then loads them all;
the reference (mlte-python 0.2.10 in ``bench/.venv-reference``, see ``_reference.py``) does
the same, except that at 10,000 its first 9,900 values are copies of its own file and only
the last 100 saves are timed (its per-save cost grows with the store: 10,000 one by one did
not finish in 600 s). Both run on this machine in the same run, one after the other.
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
from pathlib import Path
from mlte.session import set_context, set_store
from mlte.evidence.metadata import EvidenceMetadata, Identifier
from mlte.value.artifact import Value
from mlte.value.types.real import Real
root, n, prefill = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
set_store(f"local://{root}")
set_context("M", "1")

def save(i):
    meta = EvidenceMetadata(measurement_type="bench", identifier=Identifier(name=f"m{i}"))
    started = time.perf_counter()
    Real(meta, float(i)).save(parents=True)
    return time.perf_counter() - started

first = 0
if prefill:  # copy the reference's own file for values 1..prefill-1, then time the rest
    save(0)
    folder = Path(root, "models", "M", "1")
    template = json.loads((folder / "m0.value.json").read_text())
    for i in range(1, prefill):
        template["header"]["identifier"] = f"m{i}.value"
        template["body"]["metadata"]["identifier"]["name"] = f"m{i}"
        template["body"]["value"]["real"] = float(i)
        (folder / f"m{i}.value.json").write_text(json.dumps(template, indent=4))
    first = prefill
each = [save(i) for i in range(first, n)]
loads = []
for _ in range(3):
    started = time.perf_counter()
    loaded = Value.load_all()
    loads.append(time.perf_counter() - started)
print(json.dumps({"save_s": sum(each), "each": each, "load_s": sorted(loads)[1],
                  "loads": loads, "loaded": len(loaded)}))
"""
# The reference's save slows as the store grows: at 10,000 it is timed on the last 100
# saves, after the first 9,900 values were written as copies of its own file.
PREFILLED_AT = {10000: 9900}


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
    """Do the same with mlte-python 0.2.10 in its own venv (prefilled at large sizes)."""
    from _reference import run_driver

    prefill = PREFILLED_AT.get(n, 0)
    with tempfile.TemporaryDirectory() as root:
        found = run_driver(REFERENCE_DRIVER, root, str(n), str(prefill), timeout=900)
    return dict(found)


def _saves(side: dict, window: int) -> list[float]:
    """Return the timed saves of the last ``window`` (all of them when nothing was copied)."""
    return side["each"][-window:]


def _row(tool: str, n: int, r: dict, window: int) -> str:
    if "error" in r:
        return f"| {tool} | {n:,} | error: {r['error']} | | | |"
    saves = _saves(r, window)
    where = f"last {window:,}" if window < n else f"all {n:,}"
    return (
        f"| {tool} | {n:,} | {sum(saves) / len(saves) * 1000:.2f} ({where}) | "
        f"{r['load_s']:.3f} | {int(r['loaded']):,} |"
    )


def main() -> None:
    """Run both stores at each size and write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 values only.")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [1000, 3000, 10000]
    ours = {n: run_mlte_nb(n) for n in sizes}
    theirs = {n: run_reference(n) for n in sizes}
    windows = {n: n - PREFILLED_AT.get(n, 0) for n in sizes}
    lines = [
        "| store | values | ms per save (saves timed) | load_all s | load_all returned |",
        "|---|---:|---:|---:|---:|",
    ]
    for n in sizes:
        lines.append(_row("mlte_nb", n, ours[n], windows[n]))
        lines.append(_row("mlte-python 0.2.10", n, theirs[n], windows[n]))
    ratios = []
    for n, r in theirs.items():
        if "error" not in r:
            mine = sum(_saves(ours[n], windows[n])) / windows[n]
            ratios.append(
                f"- {n:,} values: mlte_nb saves {sum(r['each']) / windows[n] / mine:.1f}x faster "
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
    _emit(ours, theirs, windows)


def _emit(ours: dict[int, dict], theirs: dict[int, dict], windows: dict[int, int]) -> None:
    """Print the BENCH lines: per-save cost and load_all, both sides, median and spread."""
    from _report import emit, summary

    for n, mine in ours.items():
        ref = theirs.get(n, {})
        ok = bool(ref) and "error" not in ref
        window = windows[n]
        what = f"up to {n:,}" if window == n else f"from {n - window:,} to {n:,}"
        emit(
            f"store: save one value (one by one, {what} in one version)",
            summary(_saves(mine, window)),
            summary(ref["each"]) if ok else None,
            note="" if window == n else f"the reference's first {n - window:,} were copied in",
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
            "`load_all` stops at 100 artifacts whatever the store holds. Its per-save cost",
            "grows with the store (10,000 one by one did not finish within 600 s here), so at",
            "10,000 its first 9,900 values are copies of its own file for the first one, and",
            "the last 100 saves are timed against mlte_nb's last 100 of its 10,000.",
            "",
            table,
            "",
            *notes,
            "",
        ]
    )


if __name__ == "__main__":
    main()
