"""Write a Spec as the Python code that builds it, ready to paste into a script."""

from __future__ import annotations

from mlte_nb.spec.property import Property, property_classes
from mlte_nb.spec.spec import Spec
from mlte_nb.values.condition import Condition, builder, value_classes

_INDENT = "    "
_PUBLIC_MODULES = ("mlte_nb.spec", "mlte_nb.values")


def spec_to_code(spec: Spec) -> str:
    """Return Python code that rebuilds ``spec``: imports, then ``spec = Spec(...)``.

    Conditions made by a built-in factory are written as that factory call
    (``Real.less_than(0.5)``); any other condition (custom functions, conditions read
    from older stores) is written as a ``Condition(...)`` literal, so the code always
    rebuilds an equal Spec.

    Examples
    --------
    >>> print(spec_to_code(Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.9)}})))
    from mlte_nb.spec import Spec, TaskEfficacy
    from mlte_nb.values import Real
    <BLANKLINE>
    spec = Spec(
        "default.spec",
        properties={
            TaskEfficacy('why'): {
                'acc': Real.greater_than(0.9),
            },
        },
    )
    """
    imports: dict[str, set[str]] = {"mlte_nb.spec": {"Spec"}}
    lines = ["spec = Spec(", f"{_INDENT}{spec.identifier!r},", f"{_INDENT}properties={{"]
    for prop, conditions in spec.properties.items():
        lines.append(f"{_INDENT * 2}{_property_code(prop, imports)}: {{")
        for measurement_id, condition in conditions.items():
            code = _condition_code(condition, imports)
            lines.append(f"{_INDENT * 3}{measurement_id!r}: {code},")
        lines.append(f"{_INDENT * 2}}},")
    lines += [f"{_INDENT}}},", ")"]
    header = [
        f"from {module} import {', '.join(sorted(names))}" for module, names in imports.items()
    ]
    return "\n".join([*sorted(header), "", *lines]) + "\n"


def _importable(cls: type, module: str) -> bool:
    """Return whether ``cls`` can be imported from ``module`` under its own name."""
    import importlib

    if module == "__main__":
        return False
    try:
        return getattr(importlib.import_module(module), cls.__name__, None) is cls
    except ImportError:
        return False


def _home(cls: type) -> str | None:
    """Return the module to import ``cls`` from (a public package when it is there)."""
    for module in (*_PUBLIC_MODULES, cls.__module__):
        if _importable(cls, module):
            return module
    return None


def _property_code(prop: Property, imports: dict[str, set[str]]) -> str:
    cls = type(prop)
    home = _home(cls) if property_classes.get(prop.name) is cls else None
    if home is not None and "description" not in vars(prop):
        imports.setdefault(home, set()).add(cls.__name__)
        return f"{cls.__name__}({prop.rationale!r})"
    # A custom name (or a class defined in the notebook): Property.build finds a class
    # registered under that name, or keeps the name and description on a plain Property.
    imports.setdefault("mlte_nb.spec", set()).add("Property")
    return f"Property.build({prop.name!r}, {prop.rationale!r}, {prop.description!r})"


def _condition_code(condition: Condition, imports: dict[str, set[str]]) -> str:
    call = _factory_call(condition)
    if call is not None:
        module, name, code = call
        imports.setdefault(module, set()).add(name)
        return code
    imports.setdefault("mlte_nb.spec", set()).add("Condition")
    fields = [
        f"name={condition.name!r}",
        f"arguments={condition.arguments!r}",
        f"value_class={condition.value_class!r}",
        f"description={condition.description!r}",
    ]
    if condition.function is not None:
        fields.append(f"function={condition.function!r}")
    if condition.unit is not None:
        fields.append(f"unit={condition.unit!r}")
    return f"Condition({', '.join(fields)})"


def _factory_call(condition: Condition) -> tuple[str, str, str] | None:
    """Return ``(module, class name, code)`` when a built-in factory rebuilds ``condition``."""
    if condition.function is not None:
        return None
    cls = value_classes.get(condition.value_class)
    found = getattr(cls, "_builders", {}).get(condition.name) if cls else None
    if cls is None or not isinstance(found, builder):
        return None
    try:
        rebuilt = found.build(cls, condition.arguments, unit=condition.unit)
    except Exception:  # arguments the factory refuses: keep the literal
        return None
    home = _home(cls)
    if rebuilt != condition or home is None:
        return None
    arguments = [repr(argument) for argument in condition.arguments]
    if condition.unit != cls.default_unit:
        arguments.append(f"unit={condition.unit!r}")
    return home, cls.__name__, f"{cls.__name__}.{condition.name}({', '.join(arguments)})"
