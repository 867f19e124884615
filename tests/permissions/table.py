"""Read the fixed permission tables (pages.tsv, api.tsv, lists.tsv) kept beside the tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import USER_KEYS

HERE = Path(__file__).resolve().parent

PAGE_TOKENS = {"200", "302", "403", "404", "405", "ok"}
API_TOKENS = {"200", "400", "401", "403", "404", "405", "422"}
METHODS = {"GET", "POST", "GET POST"}


class TableError(Exception):
    pass


def _files(name: str) -> list[Path]:
    """``pages.tsv`` and its parts ``pages_<area>.tsv`` (one per module, so that
    modules built side by side do not edit one file); every part has the header."""
    stem, suffix = name.rsplit(".", 1)
    return [HERE / name, *sorted(HERE.glob(f"{stem}_*.{suffix}"))]


def _rows(name: str):
    """(where, cells) of every line of ``name`` and its parts; a part's header must be
    the main file's and is not yielded again."""
    main_header = None
    for path in _files(name):
        first = True
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            where = f"{path.name}:{number}"
            if first:
                first = False
                if main_header is None:
                    main_header = cells
                elif cells != main_header:
                    raise TableError(f"{where}: a part must repeat the header of {name}")
                else:
                    continue
            yield where, cells


def read_pages(name: str = "pages.tsv") -> dict[str, tuple[str, dict[str, str]]]:
    """route name → (methods, {user key: token})."""
    table: dict = {}
    header = None
    for where, cells in _rows(name):
        if header is None:
            header = cells
            if header != ["route", "methods", *USER_KEYS]:
                raise TableError(f"{where}: header must be route, methods, {USER_KEYS}")
            continue
        if len(cells) != len(header):
            raise TableError(f"{where}: {len(cells)} cells, expected {len(header)}")
        route, methods, *values = cells
        if route in table:
            raise TableError(f"{where}: {route} has two rows")
        if methods not in METHODS:
            raise TableError(f"{where}: methods {methods!r} not one of {sorted(METHODS)}")
        for key, value in zip(USER_KEYS, values, strict=True):
            if any(part not in PAGE_TOKENS for part in value.split("/", 1)):
                raise TableError(f"{where}: {route} × {key}: unknown token {value!r}")
            if value == "ok" and methods != "POST":
                raise TableError(f"{where}: {route} × {key}: 'ok' is for POST rows")
        table[route] = (methods, dict(zip(USER_KEYS, values, strict=True)))
    return table


def read_api(name: str = "api.tsv") -> dict[str, dict[str, str]]:
    """``"METHOD /api/v1/path"`` → {user key: status}."""
    table: dict = {}
    header = None
    for where, cells in _rows(name):
        if header is None:
            header = cells
            if header != ["operation", *USER_KEYS]:
                raise TableError(f"{where}: header must be operation, {USER_KEYS}")
            continue
        if len(cells) != len(header):
            raise TableError(f"{where}: {len(cells)} cells, expected {len(header)}")
        operation, *values = cells
        if operation in table:
            raise TableError(f"{where}: {operation} has two rows")
        for key, value in zip(USER_KEYS, values, strict=True):
            if value not in API_TOKENS:
                raise TableError(f"{where}: {operation} × {key}: unknown status {value!r}")
        table[operation] = dict(zip(USER_KEYS, values, strict=True))
    return table


def read_lists(name: str = "lists.tsv") -> dict[str, list[tuple[str, str]]]:
    """list (route name or "GET /api/v1/path") → [(user key, owner)] that must be seen."""
    table: dict = {}
    header = None
    for where, cells in _rows(name):
        if header is None:
            header = cells
            if header != ["list", "must_show"]:
                raise TableError(f"{where}: header must be list, must_show")
            continue
        if len(cells) != 2:
            raise TableError(f"{where}: expected 2 cells")
        if cells[0] in table:
            raise TableError(f"{where}: {cells[0]} has two rows")
        pairs = []
        for item in cells[1].split():
            if item == "-":
                continue
            key, _, owner = item.partition(":") if ":" in item else ("vca", "", item)
            pairs.append((key, owner))
        table[cells[0]] = pairs
    return table
