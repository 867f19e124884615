"""``python -m htxso report_reminders``: remind managers of the annual report (for cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from htxso.registry.tasks_reports import send_report_reminders


class Command(BaseCommand):
    help = "E-mail managers of organisations whose annual report is not submitted yet."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Year of the report (default: this year)")
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD)")
        parser.add_argument("--force", action="store_true", help="Send even on a non-reminder day")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker instead"
        )

    def handle(self, *args, year=None, today=None, force=False, enqueue=False, **options):
        if today:
            try:
                dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        kwargs = {"year": year, "today": today, "force": force}
        if enqueue:
            result = send_report_reminders.enqueue(**kwargs)
            self.stdout.write(f"queued {result.id}")
            return
        sent = send_report_reminders.call(**kwargs)
        self.stdout.write(f"{sent} reminder(s) sent")
