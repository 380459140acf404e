"""Vectorised evidence helpers: population accuracy, rank-sum families, attributions."""

from __future__ import annotations

from mlte_nb.stats.accuracy import (
    accuracy_spread,
    garden_populations,
    population_accuracy,
    population_accuracy_draws,
)
from mlte_nb.stats.attributions import (
    attribution_figure,
    integrated_gradients,
    softmax_linear_gradient,
)
from mlte_nb.stats.ranksums import (
    rank_sums,
    rank_sums_between_groups,
    rank_sums_between_nested_groups,
)

__all__ = [
    "accuracy_spread",
    "attribution_figure",
    "garden_populations",
    "integrated_gradients",
    "population_accuracy",
    "population_accuracy_draws",
    "rank_sums",
    "rank_sums_between_groups",
    "rank_sums_between_nested_groups",
    "softmax_linear_gradient",
]
