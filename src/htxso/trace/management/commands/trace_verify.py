"""``python -m htxso trace_verify``: recompute every event hash and chain link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from htxso.trace.services.ledger import ledger_verify


class Command(BaseCommand):
    help = "Verify the trace ledger: names the first event edited, deleted or reordered."

    def handle(self, *args, **options):
        report = ledger_verify()
        v = report.verification
        if v.ok:
            self.stdout.write(
                f"OK: {v.checked} events verified in {report.seconds:.2f} s; the chain is intact."
            )
            return
        event = report.event
        named = (
            f" (eventID {event.event_id}, recorded {event.recorded_at:%Y-%m-%d %H:%M})"
            if event
            else ""
        )
        raise CommandError(
            f"BROKEN at ledger row {v.first_bad_seq}{named}: [{v.code}] {v.message} "
            f"({v.checked} rows checked)"
        )
