"""``python -m htxso import_recover``: roll back imports that stopped unexpectedly (cron).

An import whose worker or web server was killed stays "running" with a heartbeat that
no longer moves; this takes back what it wrote (its undo log) and marks it failed, so
the officer can start it again.  Run it every few minutes; each import task and each
view of an import page do the same for what they see.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from htxso.registry.services.imports import import_recover_stale, stale_seconds


class Command(BaseCommand):
    help = "Roll back imports whose heartbeat is older than HTXSO_IMPORT_STALE_SECONDS."

    def handle(self, *args, **options):
        recovered = import_recover_stale()
        for pk in recovered:
            self.stdout.write(f"import {pk}: stopped unexpectedly, rolled back")
        self.stdout.write(
            f"{len(recovered)} import(s) rolled back (stale after {stale_seconds()} s)"
        )
