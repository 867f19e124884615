"""Check two rules of issue 11 that neither mypy nor import-linter can see.

Usage: python scripts/check_rules.py [PATH ...]     (default: src/htxso; run by `make lint`)

1. **Roles are named in one place** (``htxso/core/roles.py``).  Elsewhere:
   - a string literal that spells a role with scope (``"vca_admin"``,
     ``"province_officer"``, ``"department_viewer"``, ``"coop_manager"``,
     ``"coop_member"``) is refused — use ``Role.X`` or a group of ``core.roles``;
     ``"trainer"`` and ``"buyer"`` are also ordinary words (a field, a column), so they
     are refused only as the value of ``role=`` / ``role__in=``;
   - a module-level constant that is a tuple, list or set of ``Role.X`` (a hand-made
     role group) is refused — add a named group to ``core.roles`` instead.
2. **Input is read by Django forms.**  Outside ``forms*.py`` modules, ``request.POST``
   is never indexed or read with ``.get``/``.getlist``/``.items``… — pass
   ``request.POST`` to a form.

Migrations are skipped.  Prints ``file:line:col: message`` lines and exits 1 on any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "src" / "htxso"
SCOPED_ROLES = {
    "vca_admin",
    "province_officer",
    "department_viewer",
    "coop_manager",
    "coop_member",
}
WORD_ROLES = {"trainer", "buyer"}
ROLE_KEYWORDS = {"role", "role__in"}
POST_READERS = {"get", "getlist", "items", "keys", "values", "lists", "dict", "pop"}


def _is_role_attr(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def _is_request_post(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "POST"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def _role_values(node: ast.expr) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for item in node.elts:
            yield from _role_values(item)


def check_source(source: str, path: Path) -> list[str]:
    tree = ast.parse(source, filename=str(path))
    problems: list[str] = []
    is_roles_module = path.as_posix().endswith("htxso/core/roles.py")
    is_forms_module = path.name.startswith("forms")

    def report(node: ast.AST, message: str) -> None:
        problems.append(f"{path}:{node.lineno}:{node.col_offset + 1}: {message}")  # type: ignore[attr-defined]

    if not is_roles_module:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in SCOPED_ROLES:
                report(node, f"role spelled as a string {node.value!r}: use core.roles")
            elif isinstance(node, ast.keyword) and node.arg in ROLE_KEYWORDS:
                for const in _role_values(node.value):
                    if const.value in WORD_ROLES:
                        report(const, f"role spelled as a string {const.value!r}: use Role")
        for stmt in tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            if value is None:
                continue
            if isinstance(value, ast.Call) and value.args:  # frozenset({...}) and friends
                value = value.args[0]
            if isinstance(value, ast.List | ast.Tuple | ast.Set) and any(
                _is_role_attr(e) for e in value.elts
            ):
                names = ", ".join(ast.unparse(t) for t in targets)
                report(stmt, f"hand-made role group {names}: name it in core.roles")

    if not is_forms_module:
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and _is_request_post(node.value):
                report(node, "request.POST[...] read outside a form: use a Django form")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in POST_READERS
                and _is_request_post(node.func.value)
            ):
                report(node, f"request.POST.{node.func.attr}() outside a form: use a form")
    return problems


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            if "migrations" not in path.parts:
                yield path


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [DEFAULT_ROOT]
    problems: list[str] = []
    for path in python_files(paths):
        problems.extend(check_source(path.read_text(encoding="utf-8"), path))
    for line in problems:
        print(line)
    if problems:
        print(f"\ncheck_rules: {len(problems)} problem(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
