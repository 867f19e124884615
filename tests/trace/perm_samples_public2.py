"""Permission-test samples of the stamp report (read by tests/permissions/samples.py)."""

from __future__ import annotations

#: Consumers POST their report; a GET answers 405 for everybody.
POST_ONLY = {"trace:stamp_report"}
