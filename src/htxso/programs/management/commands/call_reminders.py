"""``python -m htxso call_reminders``: remind managers of unfinished applications (for cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from htxso.programs.tasks import send_call_reminders


class Command(BaseCommand):
    help = (
        "Notify managers whose application to an open call is not submitted as its deadline nears."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD)")
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for the worker")

    def handle(self, *args, today=None, enqueue=False, **options):
        if today:
            try:
                dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        if enqueue:
            send_call_reminders.enqueue(today=today)
            self.stdout.write("queued")
            return
        result = send_call_reminders.call(today=today)
        self.stdout.write(f"{result} reminder(s) sent")
