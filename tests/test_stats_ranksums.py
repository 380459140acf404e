"""Rank-sum evidence: single tests and families over groups of a table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from mlte_nb.errors import MeasurementError
from mlte_nb.stats import rank_sums, rank_sums_between_groups, rank_sums_between_nested_groups
from mlte_nb.values import MultipleRanksums, RankSums, Success

FAMILY = MultipleRanksums.all_p_values_greater_or_equal_than(0.05)
SINGLE = RankSums.p_value_greater_or_equal_to(0.05)


@pytest.fixture
def table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 40
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.normal(size=n),
            "outer": (["A"] * 15) + (["B"] * 15) + ([None] * 5) + ([""] * 5),
            "inner": (["a1"] * 8 + ["a2"] * 7) + (["b1"] * 10 + [" "] * 5) + (["c"] * 10),
        }
    )


class TestRankSums:
    def test_matches_scipy(self):
        a, b = [1.0, 2.0, 3.5, 4.0], [2.5, 5.0, 6.0]
        found = rank_sums("r", a, b)
        expected = scipy.stats.ranksums(a, b)
        assert isinstance(found, RankSums)
        assert found.statistic == pytest.approx(expected.statistic)
        assert found.p_value == pytest.approx(expected.pvalue)

    def test_drops_nan_explicitly(self):
        found = rank_sums("r", [1.0, math.nan, 3.0, 2.0], pd.Series([4.0, 5.0, math.nan]))
        expected = scipy.stats.ranksums([1.0, 3.0, 2.0], [4.0, 5.0])
        assert found.p_value == pytest.approx(expected.pvalue)
        assert found.provenance["dropped_nan"] == [1, 1]
        assert found.provenance["sizes"] == [3, 2]

    @pytest.mark.parametrize("b", [[], [math.nan, math.nan]])
    def test_empty_group_gives_nan_that_fails(self, b):
        found = rank_sums("r", [1.0, 2.0], b)
        assert math.isnan(found.p_value)
        assert math.isnan(found.statistic)
        assert not isinstance(SINGLE.evaluate(found), Success)


class TestRankSumsBetweenGroups:
    def test_blank_and_missing_groups_are_excluded(self, table):
        found = rank_sums_between_groups("fam", table, "x", "outer")
        assert [name for name, _, _ in found.tests()] == ["outer A-B x"]
        assert found.provenance["groups"] == ["A", "B"]
        assert found.provenance["comparisons"] == 1
        assert found.num_pops == 2
        assert not any("nan" in name for name, _, _ in found.tests())

    def test_each_pair_matches_scipy(self, table):
        found = rank_sums_between_groups("fam", table, "x", "outer")
        expected = scipy.stats.ranksums(table.x[:15], table.x[15:30])
        ((_, statistic, p_value),) = found.tests()
        assert statistic == pytest.approx(expected.statistic)
        assert p_value == pytest.approx(expected.pvalue)

    def test_several_value_columns_make_one_family(self, table):
        found = rank_sums_between_groups("fam", table, ["x", "y"], "inner")
        groups = ["a1", "a2", "b1", "c"]
        assert found.provenance["groups"] == groups
        assert found.num_pops == 4
        assert len(found.tests()) == 2 * 6
        assert found.tests()[0][0] == "inner a1-a2 x"
        assert found.tests()[-1][0] == "inner b1-c y"

    def test_num_pops_override(self, table):
        assert rank_sums_between_groups("f", table, "x", "outer", num_pops=7).num_pops == 7

    def test_one_group_gives_zero_comparisons_that_fail(self, table):
        only_a = table[table.outer == "A"]
        found = rank_sums_between_groups("fam", only_a, "x", "outer")
        assert found.array == []
        assert found.provenance["comparisons"] == 0
        assert not isinstance(FAMILY.evaluate(found), Success)

    def test_nan_values_are_dropped_per_group(self, table):
        table.loc[0:3, "x"] = math.nan
        found = rank_sums_between_groups("fam", table, "x", "outer")
        expected = scipy.stats.ranksums(table.x[4:15], table.x[15:30])
        assert found.tests()[0][2] == pytest.approx(expected.pvalue)

    def test_missing_column_lists_the_choices(self, table):
        with pytest.raises(MeasurementError, match=r"columns \['z'\] are not in the table"):
            rank_sums_between_groups("fam", table, "z", "outer")
        with pytest.raises(MeasurementError, match="at least one column"):
            rank_sums_between_groups("fam", table, [], "outer")


class TestRankSumsBetweenNestedGroups:
    def test_groups_are_labelled_combinations(self, table):
        found = rank_sums_between_nested_groups("fam", table, "x", "outer", "inner")
        assert found.provenance["groups"] == ["A/a1", "A/a2", "B/b1"]
        assert found.num_pops == 3
        assert [name for name, _, _ in found.tests()] == [
            "outer/inner A/a1-A/a2 x",
            "outer/inner A/a1-B/b1 x",
            "outer/inner A/a2-B/b1 x",
        ]

    def test_within_only_keeps_pairs_sharing_the_outer_label(self, table):
        found = rank_sums_between_nested_groups(
            "fam", table, ["x", "y"], "outer", "inner", within_only=True
        )
        assert [name for name, _, _ in found.tests()] == [
            "outer/inner A/a1-A/a2 x",
            "outer/inner A/a1-A/a2 y",
        ]
        assert found.provenance["comparisons"] == 2
        expected = scipy.stats.ranksums(table.y[:8], table.y[8:15])
        assert found.tests()[1][2] == pytest.approx(expected.pvalue)

    def test_no_pair_within_gives_zero_comparisons_that_fail(self, table):
        single = table[table.inner.isin(["a1", "b1"])]
        found = rank_sums_between_nested_groups(
            "fam", single, "x", "outer", "inner", within_only=True
        )
        assert found.array == []
        assert found.provenance["comparisons"] == 0
        assert not isinstance(FAMILY.evaluate(found), Success)
