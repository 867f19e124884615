"""Typed pieces for API schemas: text arrives NFC-normalised and without NUL."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\x00", "")).strip()
    return value


Text = Annotated[str, BeforeValidator(_nfc)]


# --- integers --------------------------------------------------------------------------
# SQLite and PostgreSQL store at most a signed 64-bit integer; a larger value raised
# OverflowError deep inside a query (a 500).  Every integer the API reads from a path
# or a query string uses one of these types, so the bound is checked (422
# ``validation_error``) and published in the OpenAPI document.
# ``tests/test_input_bounds.py`` fails on an integer parameter without a maximum.

from pydantic import Field  # noqa: E402

#: The largest value of a signed 64-bit integer (a ``BigAutoField`` primary key).
MAX_INT64 = 2**63 - 1
MIN_INT64 = -(2**63)
#: Nobody pages past a billion rows; the bound keeps ``offset + limit`` far from 2**63.
MAX_OFFSET = 1_000_000_000

#: A row id in a path or a filter.
Id = Annotated[int, Field(ge=1, le=MAX_INT64)]
#: Any other integer (a count, an amount in VND) that must fit the database.
Int64 = Annotated[int, Field(ge=MIN_INT64, le=MAX_INT64)]
#: A non-negative integer that must fit the database (prices, quantities).
NonNegative = Annotated[int, Field(ge=0, le=MAX_INT64)]
#: The position of the first row of a page.
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Rows to skip")]
