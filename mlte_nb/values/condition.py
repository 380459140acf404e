"""Conditions as data, the results they give, and the registry that evaluates them.

A condition is stored as ``{name, arguments, value_class}`` (plus a description).
Validation looks the check up in this process's registry; nothing from a store is
ever unpickled, evaluated or imported.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from mlte_nb.errors import SpecError

if TYPE_CHECKING:
    from mlte_nb.values.base import Value


class Result:
    """The outcome of one condition on one piece of evidence.

    A plain slotted class rather than a frozen dataclass: validating large specs builds
    one per condition, and a frozen dataclass takes several times longer to create.
    """

    __slots__ = ("message",)
    kind: ClassVar[str] = "Result"

    def __init__(self, message: str) -> None:
        self.message = message

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.message == self.message

    def __hash__(self) -> int:
        return hash((self.kind, self.message))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message={self.message!r})"

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class Success(Result):
    """The evidence meets the condition."""

    __slots__ = ()
    kind: ClassVar[str] = "Success"


class Failure(Result):
    """The evidence does not meet the condition, is missing, or cannot be checked."""

    __slots__ = ()
    kind: ClassVar[str] = "Failure"


class Ignore(Result):
    """The condition asks a person to look; it neither passes nor fails."""

    __slots__ = ()
    kind: ClassVar[str] = "Ignore"


Info = Ignore
RESULT_KINDS: dict[str, type[Result]] = {"Success": Success, "Failure": Failure, "Ignore": Ignore}
Check = Callable[..., Result]
# A result as plain data, ``(kind, message)``: what checks built for speed return.
Verdict = tuple[str, str]
VerdictCheck = Callable[..., Verdict]


@dataclass(frozen=True)
class Condition:
    """A named check with its thresholds kept as data.

    Build conditions with the factories on value classes
    (``Real.less_than(0.5)``) or with functions decorated by :func:`custom_condition`.
    """

    name: str
    arguments: tuple[Any, ...]
    value_class: str
    description: str = ""
    function: str | None = None
    unit: str | None = field(default=None)

    def __repr__(self) -> str:
        return f"<Condition {self.label}>"

    @property
    def label(self) -> str:
        """Return ``name(arg, ...)``, the form used in messages and reports."""
        return f"{self.name}({', '.join(_short(a) for a in self.arguments)})"

    def to_json(self) -> dict[str, Any]:
        """Return the stored form."""
        data: dict[str, Any] = {
            "name": self.name,
            "arguments": list(self.arguments),
            "value_class": self.value_class,
            "description": self.description,
        }
        if self.function:
            data["function"] = self.function
        if self.unit:
            data["unit"] = self.unit
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Condition:
        """Rebuild from the stored form (any pickled ``callback`` is ignored, never decoded)."""
        return cls(
            name=str(data["name"]),
            arguments=tuple(data.get("arguments") or ()),
            value_class=str(data.get("value_class", "")),
            description=str(data.get("description") or ""),
            function=data.get("function"),
            unit=data.get("unit"),
        )

    def evaluate(self, value: Value) -> Result:
        """Apply the condition to ``value``; anything that cannot be checked is a Failure."""
        found = _found(self, value)
        if isinstance(found, str):
            return Failure(found)
        try:
            result = found[0](value, *self.arguments)
        except Exception as exc:  # a broken check must not pass, nor stop validation
            return Failure(self._raised(exc))
        if isinstance(result, Result):
            return result
        if _is_bool(result):
            return (Success if result else Failure)(f"{self.label} is {bool(result)}")
        return Failure(f"condition {self.label} returned {result!r}, not a Result")

    def verdict(self, value: Value) -> Verdict:
        """Return ``(kind, message)``, exactly what :meth:`evaluate` gives.

        Validation of large specs takes this path: checks that produce verdicts directly
        (the number comparisons) build no Result object on the way.
        """
        key = (self.function, self.value_class, self.name, self.unit, type(value), value.unit)
        found = _found_checks.get(key)
        if found is not None and found[1] is not None:
            try:
                return found[1](value, *self.arguments)
            except Exception as exc:  # a broken check must not pass, nor stop validation
                return "Failure", self._raised(exc)
        result = self.evaluate(value)
        return result.kind, result.message

    def _raised(self, exc: Exception) -> str:
        return f"condition {self.label} raised {type(exc).__name__}: {exc}"


def _is_bool(result: Any) -> bool:
    kind = type(result)
    return isinstance(result, bool) or (kind.__module__ == "numpy" and kind.__name__ in _NP_BOOLS)


_NP_BOOLS = ("bool", "bool_")


def _short(argument: Any) -> str:
    if isinstance(argument, float):
        return f"{argument:.6g}"
    return repr(argument)


# -- registry ----------------------------------------------------------------------------
value_classes: dict[str, type[Value]] = {}
# The check each kind of condition resolves to for each kind of evidence, keyed by
# (function, value_class, name, unit, evidence type, evidence unit): large specs do not
# repeat the registry walk per row. Cleared when a class or check is registered.
_found_checks: dict[tuple[Any, ...], tuple[Check, VerdictCheck | None]] = {}
_FOUND_LIMIT = 4096
# Checks written as verdicts (``builder(..., verdict=True)``): the Result-returning check
# the builder exposes, mapped to the function it wraps.
_verdict_forms: dict[Check, VerdictCheck] = {}
_BASE_VALUE = "mlte.value.artifact.Value"
custom_checks: dict[str, Check] = {}


def forget_found_checks() -> None:
    """Drop cached lookups: a class or check registered now may change their answers."""
    _found_checks.clear()


def _found(condition: Condition, value: Value) -> tuple[Check, VerdictCheck | None] | str:
    """Return the check (and its verdict form) for ``value``, or why there is none."""
    key = (
        condition.function,
        condition.value_class,
        condition.name,
        condition.unit,
        type(value),
        value.unit,
    )
    found = _found_checks.get(key)
    if found is None:
        check, problem = _find_check(condition, value)
        if check is None:
            return problem  # not cached: the message names this piece of evidence
        if len(_found_checks) >= _FOUND_LIMIT:
            _found_checks.clear()
        found = _found_checks[key] = (check, _verdict_forms.get(check))
    return found


def class_path(cls: type) -> str:
    """Return ``module.QualName``, the name a class is stored under."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _find_check(condition: Condition, value: Value) -> tuple[Check | None, str]:
    if condition.function:
        check = custom_checks.get(condition.function)
        if check is None:
            return None, (
                f"custom condition function {condition.function!r} is not registered in this "
                "process; import the module that defines it before validating "
                "(mlte_nb never imports code named by a store)"
            )
    wanted = value_classes.get(condition.value_class)
    if wanted is None:
        return None, (
            f"condition {condition.label} needs value class {condition.value_class!r}, which "
            "is not defined in this process; import the module that defines it"
        )
    if wanted is value_classes.get(_BASE_VALUE):
        # mlte-python 0.2.x stored conditions on its own value types under the base class:
        # the builder is then found by name on the evidence's own class.
        wanted = type(value)
    stored_class = getattr(value, "stored_class", None)
    if stored_class is not None:  # an UnknownValue: its class was never imported here
        return None, (
            f"evidence {value.identifier!r} has class {stored_class!r}, which is not defined "
            "in this process; import the module that defines it before validating"
        )
    if not isinstance(value, (wanted, *getattr(wanted, "compatible_values", ()))):
        return None, (
            f"evidence {value.identifier!r} is {_article(type(value).__name__)}, but condition "
            f"{condition.label} applies to {wanted.__name__}"
        )
    if condition.function:
        check, numeric = custom_checks[condition.function], True
    else:
        found = getattr(wanted, "_builders", {}).get(condition.name)
        if found is None:
            known = sorted(getattr(wanted, "_builders", {}))
            return None, f"{wanted.__name__} has no condition {condition.name!r} (known: {known})"
        check, numeric = found.check, found.numeric
    expected_unit = condition.unit or wanted.default_unit
    if numeric and value.unit != expected_unit:  # numbers in unlike units never compare
        return None, (
            f"evidence {value.identifier!r} ({type(value).__name__} in "
            f"{value.unit or 'no unit'}) cannot be compared with condition {condition.label} "
            f"in {expected_unit or 'no unit'}; record both in one unit (for a threshold in "
            f"{value.unit or 'no unit'}: {wanted.__name__}.{condition.name}(..., "
            f"unit={value.unit!r}))"
        )
    return check, ""


def _article(name: str) -> str:
    return f"an {name}" if name[:1].upper() in "AEIOU" else f"a {name}"


def check_arity(check: Check, name: str, arguments: tuple[Any, ...]) -> None:
    """Raise a SpecError if ``check`` cannot take ``arguments`` (after the value)."""
    try:
        inspect.signature(check).bind(None, *arguments)
    except TypeError as exc:
        msg = f"condition {name} cannot take the arguments {arguments!r}: {exc}"
        raise SpecError(msg) from None


def check_arguments(
    name: str, arguments: tuple[Any, ...], *, numeric: bool = False
) -> tuple[Any, ...]:
    """Return thresholds as plain data; NaN, infinities and non-data are a SpecError.

    With ``numeric`` every argument must be a real number (not a bool, text or array).
    """
    plain = tuple(_plain_argument(name, argument) for argument in arguments)
    if numeric:
        for argument in plain:
            if isinstance(argument, bool) or not isinstance(argument, (int, float)):
                msg = f"condition {name}: threshold {argument!r} must be a number"
                raise SpecError(msg)
    return plain


def _plain_argument(name: str, argument: Any) -> Any:
    if getattr(argument, "shape", ()) != ():
        msg = f"condition {name}: argument {argument!r} is an array; give plain numbers or a list"
        raise SpecError(msg)
    item = getattr(argument, "item", None)
    if callable(item):  # numpy scalar
        argument = item()
    if isinstance(argument, float) and not math.isfinite(argument):
        msg = f"condition {name}: threshold {argument!r} is not a finite number"
        raise SpecError(msg)
    if isinstance(argument, (list, tuple)):
        return [_plain_argument(name, entry) for entry in argument]
    if isinstance(argument, dict):
        return {str(key): _plain_argument(name, entry) for key, entry in argument.items()}
    if not isinstance(argument, (int, float, str, bool, type(None))):
        msg = (
            f"condition {name}: argument {argument!r} ({type(argument).__name__}) cannot be "
            "stored as data; use numbers, text, lists or dicts"
        )
        raise SpecError(msg)
    return argument


class builder:
    """Declare a condition builder on a Value class.

    The decorated function checks an instance against the arguments; accessed on the
    class it becomes a factory returning a :class:`Condition`.

    Examples
    --------
    >>> class Score(Real):
    ...     @builder("score at least {0}")
    ...     def at_least(self, threshold: float) -> Result: ...
    >>> Score.at_least(0.5)
    <Condition at_least(0.5)>
    """

    def __init__(self, template: str = "", *, numeric: bool = True, verdict: bool = False) -> None:
        self.template = template
        self.numeric = numeric
        self.verdict = verdict
        self.check: Check = _unset_check
        self.name = ""

    def __call__(self, check: Callable[..., Any]) -> builder:
        """Take the check function this builder wraps.

        With ``verdict=True`` the function returns ``(kind, message)`` rather than a
        Result: validation of large specs then builds no Result per condition.
        """
        self.check = _as_result_check(check) if self.verdict else check
        self.name = check.__name__
        return self

    def __get__(self, obj: object, owner: type[Value]) -> Callable[..., Condition]:
        def factory(*arguments: Any, unit: str | None = None) -> Condition:
            return self.build(owner, arguments, unit=unit)

        factory.__doc__ = self.check.__doc__
        factory.__name__ = self.name
        return factory

    def build(
        self, owner: type[Value], arguments: tuple[Any, ...], *, unit: str | None = None
    ) -> Condition:
        """Return the condition this builder makes for ``owner`` with ``arguments``.

        ``unit`` is the thresholds' unit (default: the class's own, often none); evidence
        in any other unit fails the condition rather than being compared.
        """
        check_arity(self.check, self.name, arguments)
        plain = check_arguments(self.name, arguments, numeric=self.numeric)
        unit = _checked_unit(self.name, unit) or owner.default_unit
        shown = [float(f"{a:.6g}") if isinstance(a, float) else a for a in plain]
        description = self.template.format(*shown, unit=unit or "") if self.template else ""
        return Condition(
            name=self.name,
            arguments=plain,
            value_class=class_path(owner),
            description=description.strip(),
            unit=unit,
        )


def _as_result_check(verdict: VerdictCheck) -> Check:
    """Return the Result-returning check for a check written as a verdict."""

    @functools.wraps(verdict)
    def check(value: Value, *arguments: Any) -> Result:
        kind, message = verdict(value, *arguments)
        return RESULT_KINDS[kind](message)

    _verdict_forms[check] = verdict
    return check


def _checked_unit(name: str, unit: object) -> str | None:
    """Return a condition's unit as given (None: the value type's), or raise a SpecError."""
    if unit is None:
        return None
    if not isinstance(unit, str) or not unit or unit != unit.strip():
        msg = (
            f"condition {name}: unit must be a non-empty text without surrounding spaces, "
            f"got {unit!r}"
        )
        raise SpecError(msg)
    return unit


def _unset_check(value: Value, *arguments: Any) -> Result:
    return Failure("builder has no check function")


def custom_condition(
    value_class: type[Value], description: str = ""
) -> Callable[[Check], Callable[..., Condition]]:
    """Register a function as a condition on ``value_class``; return its factory.

    The function gets the value and the arguments and returns a Result (or a bool).
    The stored condition names the function by import path; a process that has not
    imported it validates the condition to a Failure naming it.
    """

    def register(check: Check) -> Callable[..., Condition]:
        path = f"{check.__module__}.{check.__qualname__}"
        custom_checks[path] = check
        forget_found_checks()

        def factory(*arguments: Any, unit: str | None = None) -> Condition:
            check_arity(check, check.__name__, arguments)
            plain = check_arguments(check.__name__, arguments)
            return Condition(
                name=check.__name__,
                arguments=plain,
                value_class=class_path(value_class),
                description=description.format(*plain) if description else "",
                function=path,
                unit=_checked_unit(check.__name__, unit) or value_class.default_unit,
            )

        factory.__doc__ = check.__doc__
        factory.__name__ = check.__name__
        return factory

    return register
