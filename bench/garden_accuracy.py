"""Time population accuracy: mlte_nb.stats (vectorised) against the seed's pandas loop.

Run with ``python bench/garden_accuracy.py [--loop-resamples N] [--repeats N]``. The
vectorised helper runs the full 1000 resamples x 102 flowers x 3 gardens (median of
several repeats); the seed's loop runs a few resamples and its time is scaled to 1000
(its cost is linear in the number of resamples).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from random import choices

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))
sys.path.insert(0, str(ROOT / "bench"))

import garden  # noqa: E402
from _report import emit, shown, summary  # noqa: E402

from mlte_nb.stats import garden_populations, population_accuracy  # noqa: E402

FOLDER = ROOT / "notebooks" / "data" / "garden"
RESAMPLES = 1000


def seed_loop(df_gardenpop, df_all, resamples):
    """The seed's split_data loop, same code shape, over ``resamples`` resamples."""
    pop_names = ["Population1", "Population2", "Population3"]
    gardenpops = np.zeros((3, resamples), int)
    gardenmems = np.zeros((3, resamples), int)
    for j in range(resamples):
        for i in range(len(df_gardenpop)):
            my_flower = df_gardenpop.iloc[i]["Common Name"]
            for g in range(3):
                n_choices = df_gardenpop.iloc[i][pop_names[g]]
                my_choices = df_all[df_all["Common Name"] == my_flower]["model correct"].to_list()
                my_selection = choices(my_choices, k=n_choices)
                gardenpops[g][j] += sum(my_selection)
                gardenmems[g][j] += len(my_selection)
    return gardenpops, gardenmems


def time_vectorised(correct, populations, repeats):
    times, value = [], None
    for repeat in range(repeats):
        start = time.perf_counter()
        value = population_accuracy(correct, populations, resamples=RESAMPLES, rng=repeat)
        times.append(time.perf_counter() - start)
    return times, value.array


def time_loop(populations, resamples, repeats):
    """Time the seed's loop on ``resamples`` resamples, ``repeats`` times, scaled to 1000."""
    df_gardenpop = garden.load_taxonomy(FOLDER)
    for g in range(3):
        df_gardenpop[f"Population{g + 1}"] = populations[g]
    df_all = garden.load_all(FOLDER)
    times, accuracies = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        pops, mems = seed_loop(df_gardenpop, df_all, resamples)
        times.append((time.perf_counter() - start) * RESAMPLES / resamples)
        accuracies = (pops / mems).mean(axis=1).round(3).tolist()
    return times, accuracies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-resamples", type=int, default=4, help="resamples for the loop")
    parser.add_argument("--loop-repeats", type=int, default=3, help="repeats of the loop")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of the vectorised run")
    args = parser.parse_args()
    correct = garden.correct_by_flower(FOLDER)
    populations = garden_populations(len(correct), rng=0)
    fast, fast_acc = time_vectorised(correct, populations, args.repeats)
    loop, loop_acc = time_loop(populations, args.loop_resamples, args.loop_repeats)
    ours, seed = summary(fast), summary(loop)
    print(f"population accuracy, {len(correct)} flowers x 3 gardens x {RESAMPLES} resamples")
    print(f"mlte_nb.stats: {shown(ours)}  accuracies {fast_acc}")
    print(f"seed loop ({args.loop_resamples} resamples, scaled to {RESAMPLES}): {shown(seed)}")
    print(f"  accuracies {loop_acc}")
    emit(
        "garden accuracy, 1000 resamples x 102 flowers x 3 gardens (seed loop scaled)",
        ours,
        seed,
        note=f"seed loop timed on {args.loop_resamples} resamples x {args.loop_repeats}",
    )


if __name__ == "__main__":
    main()
