"""Wilcoxon rank-sum tests as evidence: one test, or a family over groups of a table.

The seed compares every ordered pair of ``Clade2`` groups, including each group with
itself and a ``nan`` group for unclassified flowers, and its Clade 2 / Clade 3 loop ends
up comparing nothing at all (its guard ``len(a) > 0 | len(b) > 0`` parses as
``len(a) > len(b) > 0``, and since every Clade 3 lies in a single Clade2 the two groups
it picks are either identical or one is empty). Here each unordered pair of distinct,
labelled groups is tested once, and the number of comparisons is always reported.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from mlte_nb.errors import MeasurementError
from mlte_nb.values.provenance import make_provenance
from mlte_nb.values.statistical import MultipleRanksums, RankSums

if TYPE_CHECKING:
    import pandas as pd

Group = tuple[str, "pd.Series[bool]"]


def rank_sums(identifier: str, a: npt.ArrayLike, b: npt.ArrayLike) -> RankSums:
    """Run ``scipy.stats.ranksums`` on two samples, dropping NaN explicitly.

    Parameters
    ----------
    identifier : str
        Measurement id of the returned value, e.g. ``"ranksums blur2x8"``.
    a, b : array_like of float
        The two samples. NaN entries are dropped (and counted in the provenance).

    Returns
    -------
    RankSums
        ``[statistic, p_value]``. When either sample is empty after dropping NaN, both
        are NaN, so that any p-value condition fails instead of passing.

    Examples
    --------
    >>> rank_sums("ranksums blur2x8", df["model acc"], df["model acc_blur2x8"]).save()
    """
    from scipy.stats import ranksums

    first, dropped_a = _finite(a)
    second, dropped_b = _finite(b)
    if first.size and second.size:
        result = ranksums(first, second)
        pair = [float(result.statistic), float(result.pvalue)]
    else:
        pair = [math.nan, math.nan]
    extra = {"sizes": [first.size, second.size], "dropped_nan": [dropped_a, dropped_b]}
    provenance = make_provenance("rank_sums", function="scipy.stats.ranksums", extra=extra)
    return RankSums(identifier, pair, provenance=provenance)


def rank_sums_between_groups(
    identifier: str,
    frame: pd.DataFrame,
    value_column: str | Sequence[str],
    group_column: str,
    *,
    num_pops: int | None = None,
) -> MultipleRanksums:
    """Compare ``value_column`` between every pair of groups of ``group_column``.

    Rows whose group label is missing or blank are left out: they form no group. Each
    unordered pair of distinct groups is tested once per value column, with test ids
    ``f"{group_column} {g1}-{g2} {value_column}"`` in order of first appearance.

    Parameters
    ----------
    identifier : str
        Measurement id of the returned value, e.g. ``"multiple ranksums for clade2"``.
    frame : pandas.DataFrame
        One row per item (e.g. per flower label).
    value_column : str or sequence of str
        Column(s) to compare; several give one family holding all their tests.
    group_column : str
        Column whose labels define the groups.
    num_pops : int, optional
        Divisor of the family's p-value threshold; defaults to the number of groups.

    Returns
    -------
    MultipleRanksums
        All tests; ``provenance["comparisons"]`` and ``provenance["groups"]`` say what
        was compared. With fewer than two groups it holds no test, which never passes.

    Examples
    --------
    >>> deltas = ["delta_2x8", "delta_5x8", "delta_0x8"]
    >>> rank_sums_between_groups("multiple ranksums for clade2", df_all, deltas, "Clade2")
    """
    labels = _labels(frame, [group_column])[group_column]
    groups = [(str(label), labels == label) for label in labels.dropna().unique()]
    return _family(identifier, frame, _columns(frame, value_column), groups, group_column, num_pops)


def rank_sums_between_nested_groups(
    identifier: str,
    frame: pd.DataFrame,
    value_column: str | Sequence[str],
    outer_column: str,
    inner_column: str,
    *,
    within_only: bool = False,
    num_pops: int | None = None,
) -> MultipleRanksums:
    """Compare ``value_column`` between pairs of (outer, inner) groups, e.g. Clade2/Clade 3.

    This is what the seed's "clade2 and 3" comparison aims at: its groups are the
    (``Clade2``, ``Clade 3``) combinations present in the data, and its ``num_pops`` is
    their number. Groups are the combinations in which both labels are present and not
    blank; every unordered pair of them is tested once per value column (pairs within the
    same outer group and between outer groups). With ``within_only=True`` only pairs that
    share the outer label are tested (e.g. Asterids vs Rosids within Eudicots). Test ids
    are ``f"{outer_column}/{inner_column} {o1}/{i1}-{o2}/{i2} {value_column}"``.

    Parameters
    ----------
    identifier : str
        Measurement id of the returned value.
    frame : pandas.DataFrame
        One row per item (e.g. per flower label).
    value_column : str or sequence of str
        Column(s) to compare.
    outer_column, inner_column : str
        The coarser and the finer grouping columns.
    within_only : bool
        Test only pairs inside the same outer group.
    num_pops : int, optional
        Divisor of the family's p-value threshold; defaults to the number of
        (outer, inner) groups.

    Returns
    -------
    MultipleRanksums
        All tests, with ``provenance["comparisons"]`` and ``provenance["groups"]``. With no
        pair to compare it holds no test, which never passes.
    """
    labels = _labels(frame, [outer_column, inner_column])
    keys = list(labels.dropna().drop_duplicates().itertuples(index=False, name=None))
    groups = [
        (f"{outer}/{inner}", (labels[outer_column] == outer) & (labels[inner_column] == inner))
        for outer, inner in keys
    ]
    pairs = [
        (groups[i], groups[j])
        for i, j in itertools.combinations(range(len(groups)), 2)
        if not within_only or keys[i][0] == keys[j][0]
    ]
    prefix = f"{outer_column}/{inner_column}"
    return _family(
        identifier, frame, _columns(frame, value_column), groups, prefix, num_pops, pairs
    )


def _finite(sample: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], int]:
    """Return the sample as floats without NaN, and how many NaN were dropped."""
    values = np.asarray(sample, dtype=np.float64).ravel()
    keep = ~np.isnan(values)
    return values[keep], int(values.size - keep.sum())


def _labels(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return the label columns with blank or missing labels as NaN."""
    _require(frame, columns)
    labels = frame[columns].astype(object)
    blank = labels.apply(lambda column: column.map(_is_blank)).astype(bool)
    masked: pd.DataFrame = labels.mask(blank)
    return masked


def _is_blank(label: Any) -> bool:
    missing = label is None or (isinstance(label, float) and math.isnan(label))
    return missing or (isinstance(label, str) and not label.strip())


def _columns(frame: pd.DataFrame, value_column: str | Sequence[str]) -> list[str]:
    columns = [value_column] if isinstance(value_column, str) else list(value_column)
    if not columns:
        msg = "no value column given: name at least one column to compare"
        raise MeasurementError(msg)
    _require(frame, columns)
    return columns


def _require(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        msg = f"columns {missing} are not in the table; choose from {list(frame.columns)}"
        raise MeasurementError(msg)


def _pairs(groups: list[Group]) -> list[tuple[Group, Group]]:
    return list(itertools.combinations(groups, 2))


def _family(
    identifier: str,
    frame: pd.DataFrame,
    columns: list[str],
    groups: list[Group],
    prefix: str,
    num_pops: int | None,
    pairs: list[tuple[Group, Group]] | None = None,
) -> MultipleRanksums:
    """Run one test per (value column, pair of groups) and bundle them."""
    pairs = _pairs(groups) if pairs is None else pairs
    tests: list[dict[str, list[float]]] = []
    for column in columns:
        for (name1, rows1), (name2, rows2) in pairs:
            test_id = f"{prefix} {name1}-{name2} {column}"
            found = rank_sums(test_id, frame.loc[rows1, column], frame.loc[rows2, column])
            tests.append({test_id: found.array})
    extra: dict[str, Any] = {
        "comparisons": len(tests),
        "groups": [name for name, _ in groups],
        "value_columns": columns,
    }
    provenance = make_provenance("rank_sums_family", function="scipy.stats.ranksums", extra=extra)
    count = len(groups) if num_pops is None else num_pops
    return MultipleRanksums(identifier, tests, num_pops=count, provenance=provenance)
