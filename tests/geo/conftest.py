"""Load the administrative units once per test session (and per xdist worker).

Self-contained on purpose: it can move as it is to ``tests/conftest.py`` so that every
app's tests have the 34 provinces, 3,321 wards and the legacy tables.  The rows are
written outside the per-test transactions, so every test sees them and none can undo
them.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_units", stdout=io.StringIO())
