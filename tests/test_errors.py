"""The exception tree: every error is an MlteError, with the documented builtin mix-ins."""

from __future__ import annotations

import inspect

import pytest

from mlte_nb import errors
from mlte_nb.errors import (
    ArtifactExistsError,
    ArtifactFormatError,
    ArtifactNotFoundError,
    ContextError,
    MeasurementError,
    MlteError,
    ReportError,
    SpecError,
    StoreError,
    ValidationError,
)

ALL_ERRORS = [
    obj
    for _, obj in inspect.getmembers(errors, inspect.isclass)
    if issubclass(obj, BaseException) and obj.__module__ == errors.__name__
]


class TestErrorTree:
    def test_module_defines_the_documented_classes(self) -> None:
        assert {cls.__name__ for cls in ALL_ERRORS} == set(errors.__all__)

    @pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
    def test_every_error_is_an_mlte_error(self, cls: type[Exception]) -> None:
        assert issubclass(cls, MlteError)

    @pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
    def test_every_error_is_named_in_the_module_docstring(self, cls: type[Exception]) -> None:
        assert cls.__name__ in (errors.__doc__ or "")

    @pytest.mark.parametrize(
        ("cls", "bases"),
        [
            (SpecError, (MlteError, ValueError)),
            (MeasurementError, (MlteError, RuntimeError)),
            (StoreError, (MlteError,)),
            (ArtifactNotFoundError, (StoreError, LookupError)),
            (ArtifactExistsError, (StoreError, FileExistsError)),
            (ArtifactFormatError, (StoreError, ValueError)),
            (ValidationError, (MlteError, ValueError)),
            (ContextError, (MlteError, RuntimeError)),
            (ReportError, (MlteError, RuntimeError)),
        ],
        ids=lambda item: getattr(item, "__name__", ""),
    )
    def test_builtins_are_mixed_in_as_documented(
        self, cls: type[Exception], bases: tuple[type[Exception], ...]
    ) -> None:
        assert cls.__bases__ == bases

    def test_store_errors_can_be_caught_as_store_error(self) -> None:
        for cls in (ArtifactNotFoundError, ArtifactExistsError, ArtifactFormatError):
            with pytest.raises(StoreError):
                raise cls("x")

    def test_errors_can_be_caught_as_the_mixed_in_builtin(self) -> None:
        with pytest.raises(ValueError):
            raise SpecError("bad threshold")
        with pytest.raises(LookupError):
            raise ArtifactNotFoundError("missing")

    def test_message_is_kept(self) -> None:
        assert str(ContextError("no context; call set_context")) == "no context; call set_context"

    def test_mlte_error_is_exported_at_top_level(self) -> None:
        import mlte_nb

        assert mlte_nb.MlteError is MlteError
