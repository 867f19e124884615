"""URL path converters.

``<id:pk>`` is the one converter for row ids in every ``urls*.py``: 1 to 19 digits, at
most 2**63 - 1 (a 64-bit primary key).  Django's ``<int:…>`` accepts any number of
digits, and a view that passes 2**64 on to a query answers 500 on SQLite; with
``<id:…>`` such a path simply does not match (404).  ``tests/test_input_bounds.py``
refuses ``<int:…>`` in any project URL pattern.
"""

from __future__ import annotations

from .schemas import MAX_INT64


class IdConverter:
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_INT64:
            # Django 5.2 turns ValueError into "this pattern does not match" (404).
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 1 <= number <= MAX_INT64:
            raise ValueError(value)
        return str(number)


def register() -> None:
    from django.urls import register_converter
    from django.urls.converters import get_converters

    if "id" not in get_converters():
        register_converter(IdConverter, "id")
