from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "htxso.market"
    label = "market"
    verbose_name = _("Product market")

    def ready(self) -> None:
        from htxso.core.gtin_links import MARKET, register_gtin_page

        from .published import product_url_for_gtin

        # The trace page of a lot links to the product on sale with the same GTIN.
        register_gtin_page(MARKET, product_url_for_gtin)

        from htxso.accounts.selectors import register_api_user_check

        from .published import runs_a_store

        # A member household that runs a store sells through the API too.
        register_api_user_check(runs_a_store)
