"""Accuracy of one model over several garden populations, by resampling (vectorised).

The seed scenario builds three gardens whose flower mixes are drawn from a Dirichlet
distribution, then estimates each garden's accuracy by drawing, for every flower, as many
test images (with replacement) as the garden holds of that flower, 1000 times over. Its
pure-Python loop takes minutes. Here the same estimator is one ``rng.binomial`` call: the
number of correct picks among ``n`` draws with replacement from a flower's test images is
exactly ``Binomial(n, p_flower)``, where ``p_flower`` is that flower's fraction correct.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from mlte_nb.errors import MeasurementError
from mlte_nb.values.provenance import make_provenance
from mlte_nb.values.statistical import MultipleAccuracy

Seed = int | np.random.Generator | None


class ClassCorrectness(Protocol):
    """A mapping (or pandas Series) from class to per-image correctness (booleans)."""

    def items(self) -> Iterable[tuple[Hashable, Any]]:
        """Return ``(class, correctness sequence)`` pairs in class order."""
        ...


def garden_populations(
    n_classes: int, n_gardens: int = 3, size: int = 1000, rng: Seed = None
) -> npt.NDArray[np.int64]:
    """Draw how many of each flower every garden holds, as the seed scenario does.

    Each garden's mix is ``Dirichlet(ones(n_classes))``, rounded to 3 decimals (as in the
    seed), then scaled by ``size`` and rounded to whole flowers. The seed truncates with
    ``astype(int)`` instead, which turns e.g. ``0.029 * 1000 = 28.999...`` into 28; rounding
    keeps the intended counts. Totals are therefore close to, not exactly, ``size``.

    Parameters
    ----------
    n_classes : int
        Number of flower classes (columns of the result).
    n_gardens : int
        Number of gardens (rows of the result).
    size : int
        Approximate number of flowers per garden.
    rng : int, numpy.random.Generator or None
        Seed or generator, for reproducible gardens.

    Returns
    -------
    numpy.ndarray
        Integer counts, shape ``(n_gardens, n_classes)``.

    Examples
    --------
    >>> populations = garden_populations(102, rng=0)
    >>> populations.shape
    (3, 102)
    """
    if n_classes < 1 or n_gardens < 1 or size < 1:
        msg = (
            f"garden_populations needs n_classes, n_gardens and size of at least 1, got "
            f"{n_classes}, {n_gardens}, {size}"
        )
        raise MeasurementError(msg)
    mixes = np.random.default_rng(rng).dirichlet(np.ones(n_classes), size=n_gardens)
    return np.rint(np.around(mixes, decimals=3) * size).astype(np.int64)


def population_accuracy_draws(
    correct_by_class: ClassCorrectness,
    populations: npt.ArrayLike,
    *,
    resamples: int = 1000,
    rng: Seed = None,
) -> npt.NDArray[np.float64]:
    """Return every resampled garden accuracy, shape ``(n_gardens, resamples)``.

    This is the raw material of :func:`population_accuracy`; use it to plot or summarise
    the spread of the estimate. Arguments are as for :func:`population_accuracy`.

    Returns
    -------
    numpy.ndarray
        ``draws[g, r]`` is garden ``g``'s accuracy (correct / flowers) in resample ``r``.
    """
    if resamples < 1:
        msg = f"resamples must be at least 1, got {resamples}; the seed uses 1000"
        raise MeasurementError(msg)
    names, rates, n_images = _class_rates(correct_by_class)
    counts = _check_populations(populations, names, n_images)
    generator = np.random.default_rng(rng)
    shape = (counts.shape[0], resamples, counts.shape[1])
    correct = generator.binomial(counts[:, None, :], rates[None, None, :], size=shape)
    totals = counts.sum(axis=1)
    return np.asarray(correct.sum(axis=2) / totals[:, None], dtype=np.float64)


def population_accuracy(
    correct_by_class: ClassCorrectness,
    populations: npt.ArrayLike,
    *,
    resamples: int = 1000,
    rng: Seed = None,
    identifier: str = "accuracy across gardens",
) -> MultipleAccuracy:
    """Estimate the model's accuracy in every garden by resampling its test results.

    Same estimator as the seed's ``split_data`` + ``calculate_model_performance_acc``: for
    every resample, every garden and every flower, draw as many test images of that flower
    (with replacement) as the garden holds; the garden's accuracy is correct / drawn; the
    result is the mean over resamples, rounded to 3 decimals. The spread of the resamples
    (``std``, ``min``, ``max`` per garden, rounded to 3 decimals) and the garden sizes are
    kept in the value's ``provenance["spread"]`` and ``provenance["garden_sizes"]``; the raw
    draws are available from :func:`population_accuracy_draws`.

    Parameters
    ----------
    correct_by_class : mapping or pandas.Series
        Class -> sequence of booleans, one per test image of that class (was the model
        right?). Its order is the column order of ``populations``.
    populations : array_like of int
        How many of each class every garden holds, shape ``(n_gardens, n_classes)``, e.g.
        from :func:`garden_populations`.
    resamples : int
        Number of resamples (the seed uses 1000).
    rng : int, numpy.random.Generator or None
        Seed or generator, for reproducible estimates.
    identifier : str
        Measurement id of the returned value.

    Returns
    -------
    MultipleAccuracy
        One accuracy (fraction correct) per garden.

    Raises
    ------
    MeasurementError
        When the input is empty, a count is negative or fractional, a garden is empty, or
        a garden holds a class that has no test images.

    Examples
    --------
    >>> correct = df_all.groupby("Common Name", sort=False)["model correct"].agg(list)
    >>> accuracy = population_accuracy(correct, garden_populations(len(correct), rng=1))
    >>> accuracy.save(force=True)
    """
    draws = population_accuracy_draws(correct_by_class, populations, resamples=resamples, rng=rng)
    means = [round(float(mean), 3) for mean in draws.mean(axis=1)]
    sizes = [int(size) for size in np.asarray(populations).sum(axis=1)]
    extra = {"resamples": resamples, "garden_sizes": sizes, "spread": accuracy_spread(draws)}
    provenance = make_provenance(
        "population_accuracy", function=f"{__name__}.population_accuracy", extra=extra
    )
    return MultipleAccuracy(identifier, means, provenance=provenance)


def accuracy_spread(draws: npt.ArrayLike) -> dict[str, list[float]]:
    """Summarise resampled accuracies per garden as the seed prints them.

    Parameters
    ----------
    draws : array_like
        Accuracies, shape ``(n_gardens, resamples)``.

    Returns
    -------
    dict
        ``{"mean", "std", "min", "max"}``, each a list with one entry per garden,
        rounded to 3 decimals.
    """
    values = np.asarray(draws, dtype=np.float64)
    stats = {
        "mean": values.mean(axis=1),
        "std": values.std(axis=1),
        "min": values.min(axis=1),
        "max": values.max(axis=1),
    }
    return {name: [round(float(x), 3) for x in found] for name, found in stats.items()}


def _class_rates(
    correct_by_class: ClassCorrectness,
) -> tuple[list[Hashable], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Return class names, fraction correct and number of test images per class."""
    names: list[Hashable] = []
    rates: list[float] = []
    n_images: list[int] = []
    for name, outcomes in correct_by_class.items():
        values = np.asarray(list(outcomes), dtype=np.float64)
        if values.size and not np.isin(values, (0.0, 1.0)).all():
            msg = (
                f"test results for class {name!r} must be booleans (was the model right?), "
                f"got other values such as {values[~np.isin(values, (0.0, 1.0))][0]!r}"
            )
            raise MeasurementError(msg)
        names.append(name)
        n_images.append(int(values.size))
        rates.append(float(values.mean()) if values.size else 0.0)
    if not names:
        msg = "no classes given: pass a mapping class -> per-image correctness (booleans)"
        raise MeasurementError(msg)
    return names, np.asarray(rates), np.asarray(n_images, dtype=np.int64)


def _check_populations(
    populations: npt.ArrayLike, names: list[Hashable], n_images: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return the population matrix as integers, or say exactly what is wrong with it."""
    raw = np.asarray(populations, dtype=np.float64)
    n_classes = len(names)
    if raw.ndim != 2 or raw.shape[1] != n_classes or raw.shape[0] < 1:
        hint = " (transpose it)" if raw.ndim == 2 and raw.shape[0] == n_classes else ""
        msg = (
            f"populations must have shape (n_gardens, {n_classes}), one column per class, "
            f"got shape {raw.shape}{hint}"
        )
        raise MeasurementError(msg)
    if not np.isfinite(raw).all() or (raw != np.round(raw)).any():
        msg = "populations must be whole numbers of flowers; round them before passing"
        raise MeasurementError(msg)
    if (raw < 0).any():
        garden, column = np.argwhere(raw < 0)[0]
        msg = (
            f"population counts cannot be negative: garden {garden} has {raw[garden, column]:g}"
            f" of class {names[column]!r}"
        )
        raise MeasurementError(msg)
    missing = [names[i] for i in np.flatnonzero((raw > 0).any(axis=0) & (n_images == 0))]
    if missing:
        msg = (
            f"gardens hold {len(missing)} classes that have no test images, e.g. "
            f"{missing[:5]}; add their test results or set their population counts to 0"
        )
        raise MeasurementError(msg)
    empty = np.flatnonzero(raw.sum(axis=1) == 0)
    if empty.size:
        msg = f"gardens {empty.tolist()} hold no flowers; their accuracy is undefined"
        raise MeasurementError(msg)
    return raw.astype(np.int64)
