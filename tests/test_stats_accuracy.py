"""Population accuracy: the vectorised estimator against the seed's pure-Python loop."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.stats import (
    accuracy_spread,
    garden_populations,
    population_accuracy,
    population_accuracy_draws,
)
from mlte_nb.values import MultipleAccuracy, Success

N_CLASSES = 30


@pytest.fixture(scope="module")
def correct_by_class() -> dict[str, list[bool]]:
    """Thirty classes with 5..60 test images each and accuracies from 0.3 to 1."""
    rng = np.random.default_rng(7)
    found = {}
    for i in range(N_CLASSES):
        n_images = int(rng.integers(5, 61))
        rate = rng.uniform(0.3, 1.0)
        found[f"flower {i}"] = (rng.random(n_images) < rate).tolist()
    return found


@pytest.fixture(scope="module")
def populations() -> np.ndarray:
    return garden_populations(N_CLASSES, rng=11)


def seed_loop(correct_by_class, populations, resamples):
    """The seed's split_data + calculate_model_performance_acc, with random.choices."""
    names = list(correct_by_class)
    n_gardens = populations.shape[0]
    gardenpops = np.zeros((n_gardens, resamples), int)
    gardenmems = np.zeros((n_gardens, resamples), int)
    for j in range(resamples):
        for i, flower in enumerate(names):
            for g in range(n_gardens):
                n_choices = int(populations[g][i])
                my_choices = correct_by_class[flower]
                my_selection = random.choices(my_choices, k=n_choices)
                gardenpops[g][j] += sum(my_selection)
                gardenmems[g][j] += len(my_selection)
    return gardenpops / gardenmems


class TestPopulationAccuracy:
    def test_agrees_with_seed_loop_within_standard_error(self, correct_by_class, populations):
        """Means differ by less than 4 standard errors of the difference (plus rounding)."""
        random.seed(3)
        loop = seed_loop(correct_by_class, populations, resamples=200)
        fast = population_accuracy_draws(correct_by_class, populations, resamples=1000, rng=5)
        value = population_accuracy(correct_by_class, populations, resamples=1000, rng=5)
        assert value.array == [round(m, 3) for m in fast.mean(axis=1)]
        se_diff = fast.std(axis=1) * np.sqrt(1 / 200 + 1 / 1000)
        diff = np.abs(np.asarray(value.array) - loop.mean(axis=1))
        assert (diff < 4 * se_diff + 0.0005).all(), (diff, se_diff)
        # The spread estimates agree too (relative SE of a std from 200 draws is ~5 %).
        assert np.allclose(fast.std(axis=1), loop.std(axis=1), rtol=0.25)

    def test_mean_matches_exact_expectation(self, correct_by_class, populations):
        """E[garden accuracy] = sum(n_c * p_c) / N, since a garden's size is fixed."""
        rates = np.array([np.mean(v) for v in correct_by_class.values()])
        expected = populations @ rates / populations.sum(axis=1)
        draws = population_accuracy_draws(correct_by_class, populations, resamples=4000, rng=1)
        se = draws.std(axis=1) / np.sqrt(4000)
        assert (np.abs(draws.mean(axis=1) - expected) < 4 * se + 1e-12).all()

    def test_returns_multiple_accuracy_with_spread_in_provenance(
        self, correct_by_class, populations
    ):
        value = population_accuracy(correct_by_class, populations, resamples=50, rng=0)
        assert isinstance(value, MultipleAccuracy)
        assert value.identifier == "accuracy across gardens.value"
        assert len(value.array) == 3
        spread = value.provenance["spread"]
        assert set(spread) == {"mean", "std", "min", "max"}
        assert spread["mean"] == value.array
        assert all(
            lo <= m <= hi
            for lo, m, hi in zip(spread["min"], value.array, spread["max"], strict=True)
        )
        assert value.provenance["resamples"] == 50
        assert value.provenance["garden_sizes"] == populations.sum(axis=1).tolist()
        json.dumps(value.provenance["spread"])  # plain, storable numbers

    def test_seed_int_and_generator_are_reproducible(self, correct_by_class, populations):
        first = population_accuracy(correct_by_class, populations, resamples=20, rng=9)
        again = population_accuracy(correct_by_class, populations, resamples=20, rng=9)
        other = population_accuracy(
            correct_by_class, populations, resamples=20, rng=np.random.default_rng(9)
        )
        assert first.array == again.array == other.array

    def test_accepts_a_pandas_series(self, correct_by_class, populations):
        pd = pytest.importorskip("pandas")
        series = pd.Series(correct_by_class)
        value = population_accuracy(series, populations, resamples=10, rng=2)
        assert (
            value.array
            == population_accuracy(correct_by_class, populations, resamples=10, rng=2).array
        )

    def test_perfect_and_hopeless_models_are_exact(self):
        populations = np.array([[3, 4], [0, 9]])
        right = population_accuracy({"a": [True] * 4, "b": [True]}, populations, rng=0)
        wrong = population_accuracy({"a": [False], "b": [False, False]}, populations, rng=0)
        assert right.array == [1.0, 1.0]
        assert wrong.array == [0.0, 0.0]
        condition = MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)
        assert isinstance(condition.evaluate(right), Success)
        assert not isinstance(condition.evaluate(wrong), Success)

    def test_class_without_images_is_fine_when_no_garden_holds_it(self):
        value = population_accuracy({"a": [True, False], "b": []}, [[10, 0]], rng=0)
        assert len(value.array) == 1


class TestPopulationAccuracyErrors:
    def test_empty_input(self):
        with pytest.raises(MeasurementError, match="no classes given"):
            population_accuracy({}, np.zeros((3, 0)))

    def test_negative_count(self):
        with pytest.raises(
            MeasurementError, match="cannot be negative: garden 1 has -2 of class 'b'"
        ):
            population_accuracy({"a": [True], "b": [False]}, [[1, 1], [1, -2]])

    def test_population_for_class_without_images(self):
        with pytest.raises(MeasurementError, match=r"no test images, e.g. \['b'\]"):
            population_accuracy({"a": [True], "b": []}, [[1, 1]])

    def test_wrong_shape_suggests_transpose(self):
        with pytest.raises(MeasurementError, match="transpose"):
            population_accuracy({"a": [True], "b": [True], "c": [False]}, np.ones((3, 2)))

    def test_fractional_counts(self):
        with pytest.raises(MeasurementError, match="whole numbers"):
            population_accuracy({"a": [True]}, [[0.5]])

    def test_empty_garden(self):
        with pytest.raises(MeasurementError, match=r"gardens \[1\] hold no flowers"):
            population_accuracy({"a": [True]}, [[3], [0]])

    def test_non_boolean_results(self):
        with pytest.raises(MeasurementError, match="must be booleans"):
            population_accuracy({"a": [1, 2]}, [[3]])

    def test_no_resamples(self):
        with pytest.raises(MeasurementError, match="resamples must be at least 1"):
            population_accuracy({"a": [True]}, [[3]], resamples=0)


class TestGardenPopulations:
    def test_shape_and_totals(self):
        populations = garden_populations(102, rng=0)
        assert populations.shape == (3, 102)
        assert populations.dtype.kind == "i"
        assert (populations >= 0).all()
        # Rounding each share to 3 decimals moves a total by at most 102 * 0.5.
        assert (np.abs(populations.sum(axis=1) - 1000) <= 51).all()

    def test_same_draw_as_seed_but_rounded_not_truncated(self):
        rng = np.random.default_rng(4)
        seed_style = np.stack(
            [np.around(rng.dirichlet(np.ones(50), size=1)[0], decimals=3) * 1000 for _ in range(3)]
        )
        ours = garden_populations(50, rng=4)
        assert np.array_equal(ours, np.rint(seed_style))
        assert np.abs(ours - seed_style.astype(int)).max() <= 1

    def test_invalid_sizes(self):
        with pytest.raises(MeasurementError, match="at least 1"):
            garden_populations(0)


def test_accuracy_spread_rounds_per_garden():
    spread = accuracy_spread([[0.5, 0.7], [1.0, 1.0]])
    assert spread == {"mean": [0.6, 1.0], "std": [0.1, 0.0], "min": [0.5, 1.0], "max": [0.7, 1.0]}


def test_importing_stats_loads_no_heavy_library():
    code = (
        "import sys, mlte_nb; before = set(sys.modules); import mlte_nb.stats; "
        "print([m for m in ('scipy', 'pandas', 'matplotlib', 'sklearn') "
        "if m in sys.modules and m not in before])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
