from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from htxso.core.demodata import seed_all


class Command(BaseCommand):
    help = "Load demo data for every module (idempotent: a second run changes nothing)."
    # The administrative units come first, from ``geo.demo`` (ORDER 10).

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # 23 accounts with the password published in README.md, one a superuser
            raise CommandError(
                "seed_demo refuses to run with HTXSO_ENV=production: the demo accounts "
                "share a published password. Nothing was created."
            )
        seed_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
