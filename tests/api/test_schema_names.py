"""Two API schemas (bodies and answers) with the same class name overwrite each other in
the OpenAPI document (django-ninja names its components after the class): the document
then describes one operation's answer with another's fields.  Every schema of the
project has its own name."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_every_api_schema_has_its_own_name():
    from htxso.api import api  # imports every router and its schemas

    # query schemas become parameters; only bodies and answers are named components
    components = set(api.get_openapi_schema()["components"]["schemas"])
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("htxso.") and cls.__name__ in components:
            by_name[cls.__name__].append(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: where for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes
