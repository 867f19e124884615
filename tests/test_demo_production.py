"""The demo accounts (published password, a superuser) are never created in production."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_in_production(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # were it to run, photos would land here
    settings.PRODUCTION = True
    before = get_user_model().objects.count()
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.count() == before
    assert not get_user_model().objects.filter(username="vca.admin").exists()
