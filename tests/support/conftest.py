from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.now: dt.datetime | None = None

    def set(self, year, month, day, hour=9):
        from django.utils import timezone

        self.now = dt.datetime(year, month, day, hour, 0, tzinfo=VN)
        self.monkeypatch.setattr(timezone, "now", lambda: self.now)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def private_storage_files(settings, tmp_path):
    """A private root of its own; the function lists the files stored in it."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)

    def files():
        return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())

    return files
