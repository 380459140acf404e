"""Does a cell surely compute a variable? Static checks behind ``%%mlte_measure --value``.

Recording a variable the cell did not compute would save a value left over from an
earlier cell under this cell's provenance. The cell must bind the variable at its top
level (not only inside ``if``, ``try``, a loop, a function or a comprehension), and its
first binding must not read the variable's old value.
"""

from __future__ import annotations

import ast

from mlte_nb.errors import MeasurementError


def check_value_is_computed(source: str, name: str) -> None:
    """Refuse a cell that may leave ``name`` as an earlier cell set it (a leftover)."""
    if name not in assigned_names(source):
        msg = (
            f"the cell does not surely assign {name!r}, so --value could record a "
            "value left over from an earlier cell; assign it at the top level of this cell "
            "(not only inside if, try, a loop, a function or a comprehension)"
        )
        raise MeasurementError(msg)
    if _first_binding_reads(source, name):
        msg = (
            f"the cell computes {name!r} from the value it had before the cell (e.g. "
            f"{name} = {name}, {name} += ...), so --value could record a leftover; compute "
            "it from this cell's work, or record it in the cell that computes it"
        )
        raise MeasurementError(msg)


def _first_binding_reads(source: str, name: str) -> bool:
    """Return whether the first top-level statement binding ``name`` also reads it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for statement in tree.body:
        if name in _bound_by(statement):
            inner = _time_magic_source(statement)
            if inner is not None:
                return _first_binding_reads(inner, name)
            reads = any(
                isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
                for node in ast.walk(statement)
            )
            return reads or isinstance(statement, ast.AugAssign)
    return False


def assigned_names(source: str) -> set[str]:
    """Return the names the cell surely binds: by statements at its top level only.

    An assignment inside ``if``, ``try``, a loop, a function, a class or a comprehension
    may not run, and --value would then record a value left over from an earlier cell.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _ANY_NAME  # let the cell run and raise its own error
    names: set[str] = set()
    for statement in tree.body:
        names.update(_bound_by(statement))
    return names


def _bound_by(statement: ast.stmt) -> set[str]:
    """Return the names one top-level statement binds whenever it runs."""
    if isinstance(statement, ast.Assign):
        targets: list[ast.expr] = list(statement.targets)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        targets = [statement.target] if getattr(statement, "value", None) is not None else []
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in statement.items if item.optional_vars]
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.NamedExpr):
        targets = [statement.value.target]
    else:
        return _bound_by_line_magic(statement)
    return {
        node.id
        for target in targets
        for node in ast.walk(target)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _bound_by_line_magic(statement: ast.stmt) -> set[str]:
    """Return what ``%time acc = ...`` binds (IPython runs its code in the user namespace)."""
    inner = _time_magic_source(statement)
    return assigned_names(inner) if inner is not None else set()


def _time_magic_source(statement: ast.stmt) -> str | None:
    """Return the code of a ``%time CODE`` line (as IPython transformed it), else None."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if not (isinstance(call, ast.Call) and len(call.args) == 2):
        return None
    name, code = call.args
    is_magic = isinstance(call.func, ast.Attribute) and call.func.attr == "run_line_magic"
    if not (is_magic and isinstance(name, ast.Constant) and name.value == "time"):
        return None
    text = code.value if isinstance(code, ast.Constant) else None
    return text if isinstance(text, str) else None


class _AnyName(set[str]):
    def __contains__(self, item: object) -> bool:
        return True


_ANY_NAME = _AnyName()
