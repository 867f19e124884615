"""Enqueue the market's periodic tasks: expire unpaid orders, remind sellers."""

from django.core.management.base import BaseCommand

from htxso.market.tasks import expire_unpaid_orders, remind_unconfirmed_orders


class Command(BaseCommand):
    help = "Expire unpaid market orders and remind sellers of unconfirmed ones (run from cron)."

    def handle(self, *args, **options):
        expire_unpaid_orders.enqueue()
        remind_unconfirmed_orders.enqueue()
        self.stdout.write("market: tasks enqueued")
