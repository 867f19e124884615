"""Enqueue the market's periodic tasks: expire unpaid orders, remind sellers, delete
photos left on unsaved product forms."""

from django.core.management.base import BaseCommand

from htxso.market.tasks import (
    expire_held_photos,
    expire_unpaid_orders,
    remind_unconfirmed_orders,
)


class Command(BaseCommand):
    help = "Expire unpaid market orders and remind sellers of unconfirmed ones (run from cron)."

    def handle(self, *args, **options):
        expire_unpaid_orders.enqueue()
        remind_unconfirmed_orders.enqueue()
        expire_held_photos.enqueue()
        self.stdout.write("market: tasks enqueued")
