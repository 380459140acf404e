"""The garden scenario's data helpers, checked against an independent reading of the CSVs."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.stats

from mlte_nb.stats import (
    garden_populations,
    population_accuracy,
    rank_sums,
    rank_sums_between_groups,
    rank_sums_between_nested_groups,
)
from mlte_nb.values import MultipleRanksums, RankSums, Success

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

import garden  # noqa: E402

FOLDER = NOTEBOOKS / "data" / "garden"
SETS = ["", "_blur2x8", "_blur5x8", "_blur0x8", "_noR", "_noG", "_noB"]
OVERALL = {"": 0.898, "_blur2x8": 0.880, "_blur5x8": 0.807, "_blur0x8": 0.470}
P_VALUES = {"_blur2x8": 0.379, "_blur5x8": 2.5e-5, "_blur0x8": 4.3e-24}
DELTAS = ["delta_2x8", "delta_5x8", "delta_0x8"]


def raw_results(suffix):
    """Return (label, correct) arrays read with the csv module."""
    with open(FOLDER / f"FlowerModelv1_TestSetResults{suffix}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = np.array([int(row["label"]) for row in rows])
    correct = np.array([row["model correct"] == "True" for row in rows])
    return labels, correct


def raw_accuracy(suffix):
    labels, correct = raw_results(suffix)
    return np.bincount(labels, weights=correct) / np.bincount(labels)


def raw_taxonomy_by_label():
    """Return label index -> taxonomy row (dict), joined by hand."""
    with open(FOLDER / "OxfordFlowerLabels.csv", newline="", encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    header = [name.strip() for name in lines[1]]
    flowers = [dict(zip(header, line, strict=True)) for line in lines[2:] if any(line)]
    by_name = {row["Common Name"].replace(" ", "_"): row for row in flowers}
    with open(FOLDER / "FlowerModelv1_LabelNames.csv", newline="") as handle:
        names = {int(row["label"]): row["label_name"] for row in csv.DictReader(handle)}
    return {label: by_name[name] for label, name in names.items()}


@pytest.fixture(scope="module")
def table():
    return garden.add_blur_deltas(garden.per_label_accuracy(FOLDER))


class TestAccuracy:
    @pytest.mark.parametrize("suffix", SETS)
    def test_overall_accuracy_matches_raw_csv(self, suffix):
        _, correct = raw_results(suffix)
        assert garden.overall_accuracy(FOLDER, suffix) == pytest.approx(correct.mean())
        if suffix in OVERALL:
            assert round(garden.overall_accuracy(FOLDER, suffix), 3) == OVERALL[suffix]

    def test_per_label_accuracy_uses_each_sets_own_counts(self, table):
        assert len(table) == 102
        assert table["label"].tolist() == list(range(102))
        assert table["count"].tolist() == np.bincount(raw_results("")[0]).tolist()
        for suffix in SETS:
            assert np.allclose(table[f"model acc{suffix}"], raw_accuracy(suffix))

    def test_count_weighted_mean_gives_overall_accuracy(self, table):
        for suffix, expected in OVERALL.items():
            weighted = (table[f"model acc{suffix}"] * table["count"]).sum() / table["count"].sum()
            assert round(weighted, 3) == expected

    @pytest.mark.parametrize("suffix", SETS[1:])
    def test_rank_sums_against_base(self, table, suffix):
        found = rank_sums(f"ranksums{suffix}", table["model acc"], table[f"model acc{suffix}"])
        expected = scipy.stats.ranksums(raw_accuracy(""), raw_accuracy(suffix)).pvalue
        assert found.p_value == pytest.approx(expected)
        passes = isinstance(RankSums.p_value_greater_or_equal_to(0.05 / 3).evaluate(found), Success)
        if suffix in P_VALUES:
            assert found.p_value == pytest.approx(P_VALUES[suffix], rel=0.02)
        assert passes == (suffix == "_blur2x8")  # only the mildest blur keeps accuracy


class TestTaxonomy:
    def test_columns_stripped_and_empty_rows_dropped(self):
        taxonomy = garden.load_taxonomy(FOLDER)
        assert len(taxonomy) == 102
        assert "Order" in taxonomy.columns
        assert not [c for c in taxonomy.columns if c != c.strip()]
        assert taxonomy["Common Name"].notna().all()

    def test_every_label_joins_to_its_flower(self, table):
        raw = raw_taxonomy_by_label()
        for column in ("Common Name", "Clade2", "Clade 3", "Genus"):
            expected = [raw[label][column] or None for label in range(102)]
            found = [None if value != value else value for value in table[column]]
            assert found == expected

    def test_unmatched_label_names_raise(self):
        names = garden.label_names(FOLDER)
        names.loc[5, "label_name"] = "plastic_rose"
        with pytest.raises(garden.GardenDataError, match=r"1 of 102 label names.*plastic_rose"):
            garden.merge_taxonomy_with_results(
                garden.load_base_results(FOLDER), garden.load_taxonomy(FOLDER), names
            )

    def test_unknown_set_lists_the_choices(self):
        with pytest.raises(garden.GardenDataError, match="_blur2x8"):
            garden.load_set_results(FOLDER, "_blur9x9")

    def test_correct_by_flower_covers_every_image(self):
        correct = garden.correct_by_flower(FOLDER)
        assert len(correct) == 102
        assert sum(len(v) for v in correct) == len(raw_results("")[0])
        assert correct.index.tolist() == garden.load_taxonomy(FOLDER)["Common Name"].tolist()


class TestCladeComparisons:
    def test_clade2_blank_excluded_and_comparisons_counted(self, table):
        raw = raw_taxonomy_by_label()
        clades = {row["Clade2"] for row in raw.values() if row["Clade2"].strip()}
        assert any(not row["Clade2"].strip() for row in raw.values())  # one unclassified
        found = rank_sums_between_groups("multiple ranksums for clade2", table, DELTAS, "Clade2")
        assert set(found.provenance["groups"]) == clades == {"Eudicots", "Monocots", "Magnoliids"}
        assert found.num_pops == 3
        assert found.provenance["comparisons"] == len(found.tests()) == 3 * 3
        assert not any("nan" in name.lower() for name, _, _ in found.tests())
        condition = MultipleRanksums.all_p_values_greater_or_equal_than(0.05)
        assert isinstance(condition.evaluate(found), Success)

    def test_clade2_and_3_groups_and_counts(self, table):
        raw = raw_taxonomy_by_label().values()
        pairs = {(r["Clade2"], r["Clade 3"]) for r in raw if r["Clade2"] and r["Clade 3"]}
        found = rank_sums_between_nested_groups(
            "multiple ranksums between clade2 and 3", table, DELTAS, "Clade2", "Clade 3"
        )
        assert sorted(found.provenance["groups"]) == sorted(f"{a}/{b}" for a, b in pairs)
        assert found.num_pops == len(pairs) == 3
        assert found.provenance["comparisons"] == 3 * 3
        within = rank_sums_between_nested_groups(
            "within", table, DELTAS, "Clade2", "Clade 3", within_only=True
        )
        assert within.tests()[0][0] == (
            "Clade2/Clade 3 Eudicots/Asterids-Eudicots/Rosids delta_2x8"
        )
        assert within.provenance["comparisons"] == 3

    def test_seed_guard_selects_no_pair(self, table):
        """The seed's `len(a) > 0 | len(b) > 0` is `len(a) > len(b) > 0`: never true here."""
        combos = table.groupby(["Clade2", "Clade 3"]).size().index.tolist()
        selected = 0
        for p1c1, _ in combos:
            for p2c1, p2c2 in combos:
                a = table[(table["Clade2"] == p1c1) & (table["Clade 3"] == p2c2)]
                b = table[(table["Clade2"] == p2c1) & (table["Clade 3"] == p2c2)]
                selected += len(a) > 0 | len(b) > 0
        assert selected == 0


def test_population_accuracy_on_real_results():
    correct = garden.correct_by_flower(FOLDER)
    populations = garden_populations(len(correct), rng=2024)
    value = population_accuracy(correct, populations, resamples=1000, rng=2024)
    assert len(value.array) == 3
    assert all(0.8 < accuracy < 0.97 for accuracy in value.array)
