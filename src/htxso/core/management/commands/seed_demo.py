from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from htxso.core.demodata import seed_all
from htxso.geo.models import Province


class Command(BaseCommand):
    help = "Load demo data for every module (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # 23 accounts with the password published in README.md, one a superuser
            raise CommandError(
                "seed_demo refuses to run with HTXSO_ENV=production: the demo accounts "
                "share a published password. Nothing was created."
            )
        if not Province.objects.exists():
            call_command("load_units", stdout=self.stdout)
        seed_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
