"""The samples every permission test shares, collected from ``tests/**/perm_samples*.py``.

Each module may define:

``SAMPLES``
    URL name → ``function(world)`` returning ``(kwargs, _)`` (the second item is kept for
    old samples and ignored: who may open a URL is in ``tests/permissions/pages.tsv``).
``API_SAMPLES``
    API operation path (as in the OpenAPI document, e.g.
    ``"/api/v1/registry/organisations/{org_id}"``) → ``function(world)`` returning the
    dict of its path parameters.  Keyed by path, so two modules may not answer for the
    same operation: a path defined twice is an error, not "the last file wins".
``WORLD``
    ``function(world)`` adding the rows a list needs to show something (run once per
    test module, before the samples).

The older ``POST_ONLY``, ``ALLOWED_STATUS``, ``LIST_LEAKS`` and the "seers" sets that
SAMPLES still return are NOT read by the tests (the tables replace them); only
``bootstrap_draft.py`` uses them, to count where the old self-checking test disagreed.
"""

from __future__ import annotations

import importlib
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

SAMPLES: dict = {}
API_SAMPLES: dict = {}
WORLD_HOOKS: list = []
_ORIGIN: dict = {}
DUPLICATES: list[str] = []


def _merge(target: dict, items: dict, origin: str, kind: str) -> None:
    for key, value in items.items():
        if key in target:
            DUPLICATES.append(f"{kind} {key!r} defined in {_ORIGIN[(kind, key)]} and {origin}")
            continue
        target[key] = value
        _ORIGIN[(kind, key)] = origin


for _path in sorted(TESTS.rglob("perm_samples*.py")):
    _name = ".".join(_path.relative_to(TESTS.parent).with_suffix("").parts)
    _module = importlib.import_module(_name)
    _merge(SAMPLES, getattr(_module, "SAMPLES", {}), _name, "SAMPLES")
    _merge(API_SAMPLES, getattr(_module, "API_SAMPLES", {}), _name, "API_SAMPLES")
    if hasattr(_module, "WORLD"):
        WORLD_HOOKS.append(_module.WORLD)
