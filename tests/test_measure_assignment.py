"""Static checks behind --value: what a cell surely binds, and whether it reads it first."""

from __future__ import annotations

import pytest

from mlte_nb.errors import MeasurementError
from mlte_nb.measure.assignment import assigned_names, check_value_is_computed


@pytest.mark.parametrize(
    "cell",
    [
        "acc = 1",
        "acc: float = 1.0",
        "import math as acc",
        "(acc := 3)",
        "a, (b, acc) = 1, (2, 3)",
        "with open(__file__) as acc: pass",
        "acc += 1",
    ],
)
def test_every_way_of_binding_the_variable_counts(cell: str) -> None:
    assert "acc" in assigned_names(cell)


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("if x:\n    acc = 1", "does not surely assign 'acc'"),
        ("acc = acc * 2", "computes 'acc' from the value it had before"),
        ("get_ipython().run_line_magic('time', 'acc += 1')", "computes 'acc' from the value"),
    ],
)
def test_cells_that_may_record_a_leftover_are_refused(cell: str, words: str) -> None:
    with pytest.raises(MeasurementError, match=words):
        check_value_is_computed(cell, "acc")


def test_a_cell_with_a_syntax_error_is_left_to_raise_its_own_error() -> None:
    check_value_is_computed("acc = (", "acc")  # the cell itself will report the error
