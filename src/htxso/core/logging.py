"""Logging pieces named by ``settings.LOGGING``: the request id on every record, and the
JSON formatter of production logs (``LOG_FORMAT=json``; ``plain`` stays for ``make run``).

Log lines never carry personal data (phone numbers, citizen ID numbers, names, e-mail
addresses): log ids and codes, and let the audit trail hold who did what.
"""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .requestid import current_request_id

#: The value of ``record.request_id`` outside a request or task.
NO_REQUEST = "-"

# what every JSON line carries first (then any ``extra=`` fields of the call)
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the current request's or task's, else ``-``) to every
    record that passes through the handler; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs a 4xx/5xx after the middleware (and the id's context)
            # has returned, but passes the request along
            request = getattr(record, "request", None)
            record.request_id = (
                current_request_id() or getattr(request, "request_id", None) or NO_REQUEST
            )
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: ``time``, ``level``, ``logger``, ``request_id``,
    ``message`` (+ ``exc_info`` with the traceback), Vietnamese text kept readable."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fmt", JSON_FIELDS)
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
