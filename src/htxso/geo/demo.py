"""Geo demo data (ORDER 10, before every other module): the administrative units that
all demo data is placed in, loaded when the database has none yet."""

from __future__ import annotations

import io

from django.core.management import call_command

from htxso.core.demodata import DemoContext

from .models import Province

ORDER = 10


def seed(ctx: DemoContext) -> None:
    if Province.objects.exists():
        return
    call_command("load_units", stdout=ctx.stdout or io.StringIO())
