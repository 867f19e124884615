"""Background work of the market (Django Tasks; cron runs ``python -m htxso market_tick``
every few minutes, which enqueues them)."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_unpaid_orders() -> int:
    """Expire unpaid VietQR orders past their deadline; their stock goes back on sale."""
    from .services.orders import expire_unpaid

    return expire_unpaid()


@task()
def remind_unconfirmed_orders() -> int:
    """E-mail sellers about orders they have not confirmed (every 6 hours, at most 5)."""
    from .services.orders import remind_unconfirmed

    return remind_unconfirmed()


@task()
def expire_held_photos() -> int:
    """Delete photos chosen on a product form that was never saved (after a day)."""
    from .services.held_photos import held_photos_expire

    return held_photos_expire()
