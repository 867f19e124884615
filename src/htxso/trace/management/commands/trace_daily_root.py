"""``python -m htxso trace_daily_root``: publish the Merkle roots of finished days."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from htxso.trace.services.ledger import daily_roots_catch_up


class Command(BaseCommand):
    help = "Publish the daily root hash of every finished day of the trace ledger."

    def handle(self, *args, **options):
        for root in daily_roots_catch_up():
            self.stdout.write(f"{root.day}: {root.root} ({root.count} events)")
