"""Background work of the trace app."""

from __future__ import annotations

from django_tasks import task


@task()
def publish_daily_roots() -> int:
    """Publish the root hash of every finished day (run daily, e.g. from cron)."""
    from htxso.trace.services.ledger import daily_roots_catch_up

    return len(daily_roots_catch_up())
