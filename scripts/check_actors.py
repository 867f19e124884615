"""Check that every `actor` is explicit (issue 11: "an explicit actor").

Usage: python scripts/check_actors.py [PATH ...]     (default: src/htxso; run by `make lint`)

Over every ``*.py`` file under the paths (migrations skipped):

- a function parameter named ``actor`` must be keyword-only (after ``*``), annotated with
  ``Actor`` (the alias ``User | SystemActor`` from ``htxso.core.actors``) or ``"Actor"``,
  and have no default (no ``actor=None``: "nobody" is never an actor);
- a call never passes ``actor=None``.

A guard that exists to refuse a bad actor at run time (``require_actor(actor: object)``)
may opt out on the parameter's line with ``# check_actors: allow -- <reason>``.

Prints one ``file:line:col: message`` per offending parameter or call, then the count per
app, and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import contextlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "src" / "htxso"
PARAM = "actor"
ALIAS = "Actor"
ALLOW = "check_actors: allow"


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    col: int
    message: str

    def format(self, base: Path | None = None) -> str:
        path = self.path
        if base is not None:
            with contextlib.suppress(ValueError):  # outside the base: keep it as given
                path = path.resolve().relative_to(base)
        return f"{path}:{self.line}:{self.col + 1}: {self.message}"


_Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def _function_name(node: _Function) -> str:
    return "lambda" if isinstance(node, ast.Lambda) else node.name


def _is_actor_annotation(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Name):
        return annotation.id == ALIAS
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() == ALIAS
    return False


def _defaults_by_name(args: ast.arguments) -> dict[str, ast.expr | None]:
    """The default of each parameter that can have one (None where it has none)."""
    positional = [*args.posonlyargs, *args.args]
    padded: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    padded.extend(args.defaults)
    found = {arg.arg: default for arg, default in zip(positional, padded, strict=True)}
    found.update(
        {arg.arg: default for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)}
    )
    return found


def _check_function(node: _Function, path: Path) -> Iterator[Violation]:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    candidates = [a for a in (*positional, *args.kwonlyargs) if a.arg == PARAM]
    if args.vararg is not None and args.vararg.arg == PARAM:
        candidates.append(args.vararg)
    if args.kwarg is not None and args.kwarg.arg == PARAM:
        candidates.append(args.kwarg)
    if not candidates:
        return
    defaults = _defaults_by_name(args)
    for arg in candidates:
        problems = []
        if arg not in args.kwonlyargs:
            problems.append("is not keyword-only (put it after `*`)")
        if arg.annotation is None:
            problems.append(f"has no annotation (want `{PARAM}: {ALIAS}`)")
        elif not _is_actor_annotation(arg.annotation):
            problems.append(
                f"is annotated `{ast.unparse(arg.annotation)}` (want `{PARAM}: {ALIAS}`)"
            )
        default = defaults.get(arg.arg)
        if default is not None:
            problems.append(f"has a default `{ast.unparse(default)}` (an actor is always passed)")
        if problems:
            yield Violation(
                path,
                arg.lineno,
                arg.col_offset,
                f"{_function_name(node)}(): parameter `{PARAM}` " + "; ".join(problems),
            )


def _check_call(node: ast.Call, path: Path) -> Iterator[Violation]:
    for keyword in node.keywords:
        if (
            keyword.arg == PARAM
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is None
        ):
            yield Violation(
                path,
                keyword.lineno,
                keyword.col_offset,
                f"call to `{ast.unparse(node.func)}` passes `{PARAM}=None` "
                "(pass the user, or a named SystemActor for jobs and imports)",
            )


def check_source(source: str, path: Path) -> list[Violation]:
    """The violations in one module's source text (a syntax error is one violation)."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        return [Violation(path, exc.lineno or 1, (exc.offset or 1) - 1, f"syntax error: {exc.msg}")]
    found: list[Violation] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            found.extend(_check_function(node, path))
        elif isinstance(node, ast.Call):
            found.extend(_check_call(node, path))
    lines = source.splitlines()
    found = [v for v in found if v.line > len(lines) or ALLOW not in lines[v.line - 1]]
    return sorted(found, key=lambda v: (v.line, v.col))


def python_files(roots: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(root, file) for every Python file under the roots, migrations skipped."""
    for root in roots:
        if root.is_file():
            yield root, root
            continue
        for path in sorted(root.rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield root, path


def app_of(root: Path, path: Path) -> str:
    """The app a file belongs to: the first folder under the scanned root."""
    if root.is_file():
        return root.stem
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else f"({root.name})"


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [DEFAULT_ROOT]
    missing = [r for r in roots if not r.exists()]
    if missing:
        print(f"check_actors: no such path: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    base = Path.cwd().resolve()
    per_app: Counter[str] = Counter()
    total_files = 0
    for root, path in python_files(roots):
        total_files += 1
        for violation in check_source(path.read_text(encoding="utf-8"), path):
            print(violation.format(base))
            per_app[app_of(root, path)] += 1
    if not per_app:
        print(f"check_actors: {total_files} files, every `actor` is explicit and typed")
        return 0
    total = sum(per_app.values())
    print(f"\ncheck_actors: {total} violation(s) in {total_files} files")
    for app, count in sorted(per_app.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {app:<12} {count}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
