"""The one error type of trace services: a stable code and a translated message."""

from __future__ import annotations

from typing import Any


class TraceError(ValueError):
    """Refused input.  ``code`` is stable (API clients and tests rely on it)."""

    def __init__(self, code: str, message: Any, *, details: Any = None, status: int = 400):
        super().__init__(code)
        self.code = code
        self.message = message
        self.details = details
        self.status = status

    def __str__(self) -> str:
        return str(self.message)
