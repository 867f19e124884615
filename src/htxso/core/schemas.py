"""Typed pieces for API schemas: text arrives NFC-normalised and without NUL."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import BeforeValidator


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\x00", "")).strip()
    return value


Text = Annotated[str, BeforeValidator(_nfc)]
