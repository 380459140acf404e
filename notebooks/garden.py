"""Load the OxfordFlower garden scenario's data (test-set results and flower taxonomy).

The folder (``notebooks/data/garden``) holds the original model's test-set results, one
row per test image, for the plain images and six perturbed copies, plus the taxonomy of
the 102 flowers. See ``data/garden/LICENSE.md`` for where the data come from.

Unlike the seed's ``calculate_accuracy_per_set``, which divides each perturbed set's
correct count by that count plus the *unperturbed* set's incorrect count, every accuracy
here is a set's own correct count divided by that set's own number of images.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

BASE_NAME = "FlowerModelv1_TestSetResults"
SUFFIXES: tuple[str, ...] = ("_blur2x8", "_blur5x8", "_blur0x8", "_noR", "_noG", "_noB")
BLURS: tuple[str, ...] = ("2x8", "5x8", "0x8")
N_LABELS = 102


class GardenDataError(ValueError):
    """The garden data files are missing, malformed or do not match each other."""


def _read(folder: str | Path, name: str, **kwargs: object) -> pd.DataFrame:
    path = Path(folder) / name
    if not path.is_file():
        msg = f"garden data file {path} not found; pass the folder holding the garden CSVs"
        raise GardenDataError(msg)
    return pd.read_csv(path, **kwargs)  # type: ignore[call-overload, no-any-return]


def load_base_results(folder: str | Path) -> pd.DataFrame:
    """Return the model's results on the plain test images.

    One row per test image with columns ``label``, ``prediced_label`` [sic] and
    ``model correct`` (bool).
    """
    return load_set_results(folder, "")


def load_set_results(folder: str | Path, suffix: str) -> pd.DataFrame:
    """Return the results on one perturbed test set (``""`` for the plain one).

    ``suffix`` is one of ``SUFFIXES``: ``_blur2x8``, ``_blur5x8``, ``_blur0x8`` (blurred)
    or ``_noR``, ``_noG``, ``_noB`` (one colour channel removed).
    """
    if suffix not in ("", *SUFFIXES):
        msg = f"unknown result set {suffix!r}; choose one of {['', *SUFFIXES]}"
        raise GardenDataError(msg)
    frame = _read(folder, f"{BASE_NAME}{suffix}.csv", index_col=0)
    frame["model correct"] = frame["model correct"].astype(bool)
    return frame.reset_index(drop=True)


def load_taxonomy(folder: str | Path) -> pd.DataFrame:
    """Return the flower taxonomy, one row per flower (102).

    The CSV's header is on its second line and the row after it is blank; column names are
    stripped (``"Order "`` becomes ``"Order"``) and empty rows dropped. The file names two
    columns ``Phylum``; pandas calls the second ``Phylum.1``.
    """
    frame = _read(folder, "OxfordFlowerLabels.csv", header=1, encoding="utf-8-sig")
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame.dropna(how="all").reset_index(drop=True)


def label_names(folder: str | Path) -> pd.DataFrame:
    """Return the model's class index -> name table (columns ``label``, ``label_name``)."""
    return _read(folder, "FlowerModelv1_LabelNames.csv")


def merge_taxonomy_with_results(
    results: pd.DataFrame,
    taxonomy: pd.DataFrame,
    names: pd.DataFrame,
    label_column: str = "label",
) -> pd.DataFrame:
    """Join per-label or per-image results to the taxonomy through the label names.

    ``results[label_column]`` is the model's class index; ``names`` maps it to
    ``label_name``, which equals the taxonomy's ``Common Name`` with spaces turned into
    underscores. Every label must match exactly one flower, or ``GardenDataError`` says
    which do not.
    """
    table = taxonomy.assign(label_name=taxonomy["Common Name"].str.replace(" ", "_"))
    if table["label_name"].duplicated().any():
        twice = table.loc[table["label_name"].duplicated(), "label_name"].tolist()
        msg = f"the taxonomy names these flowers twice: {twice}; remove the duplicates"
        raise GardenDataError(msg)
    unmatched = sorted(set(names["label_name"]) - set(table["label_name"]))
    if unmatched or len(names) != N_LABELS:
        msg = (
            f"{len(unmatched)} of {len(names)} label names have no flower in the taxonomy "
            f"(expected {N_LABELS} matching): {unmatched[:10]}; check OxfordFlowerLabels.csv"
        )
        raise GardenDataError(msg)
    named = results.merge(names, left_on=label_column, right_on="label", how="left")
    if label_column != "label":
        named = named.drop(columns="label")
    return named.merge(table, on="label_name", how="left", validate="many_to_one")


def load_all(folder: str | Path) -> pd.DataFrame:
    """Return the plain results per test image, joined to the taxonomy."""
    return merge_taxonomy_with_results(
        load_base_results(folder), load_taxonomy(folder), label_names(folder)
    )


def correct_by_flower(folder: str | Path) -> pd.Series:
    """Return ``Common Name`` -> list of per-image correctness, in taxonomy order.

    This is the input of ``mlte_nb.stats.population_accuracy``.
    """
    images = load_all(folder)
    order = load_taxonomy(folder)["Common Name"]
    grouped = images.groupby("Common Name", sort=False)["model correct"].agg(list)
    return grouped.reindex(order)


def _accuracy_by_label(results: pd.DataFrame) -> pd.DataFrame:
    grouped = results.groupby("label")["model correct"]
    return pd.DataFrame({"correct": grouped.sum(), "count": grouped.size()})


def per_label_accuracy(folder: str | Path) -> pd.DataFrame:
    """Return one row per label (102) with the accuracy on every test set.

    Columns: ``label``, ``count`` (test images of that label), ``model acc`` (plain set),
    ``model acc<suffix>`` for every perturbed set (``model acc_blur2x8``...), each set's
    own correct count over its own count, then ``label_name`` and the taxonomy columns
    (``Common Name``, ``Clade2``, ``Clade 3``...).
    """
    base = _accuracy_by_label(load_base_results(folder))
    table = pd.DataFrame({"count": base["count"], "model acc": base["correct"] / base["count"]})
    for suffix in SUFFIXES:
        found = _accuracy_by_label(load_set_results(folder, suffix))
        table[f"model acc{suffix}"] = found["correct"] / found["count"]
    table = table.rename_axis("label").reset_index()
    return merge_taxonomy_with_results(table, load_taxonomy(folder), label_names(folder))


def add_blur_deltas(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with ``delta_<blur>`` = plain accuracy - blurred accuracy columns."""
    deltas = {f"delta_{b}": table["model acc"] - table[f"model acc_blur{b}"] for b in BLURS}
    return table.assign(**deltas)


def overall_accuracy(folder: str | Path, suffix: str = "") -> float:
    """Return the fraction of test images the model got right in one set."""
    return float(load_set_results(folder, suffix)["model correct"].mean())
