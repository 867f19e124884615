from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def users_with_open_store(user_ids: set[int]) -> set[int]:
    """The ids of ``user_ids`` who run a verified store with at least one product on sale:
    its owner (a member household, an independent producer) or a manager of its
    cooperative.  Published as the ``store_open`` outcome (``core.outcomes``)."""
    from django.db.models import Exists, OuterRef, Q

    from htxso.core.roles import Role

    from .models import Product, ProductStatus, Store, StoreStatus

    on_sale = Product.objects.filter(store=OuterRef("pk"), status=ProductStatus.ACTIVE)
    stores = Store.objects.filter(Exists(on_sale), status=StoreStatus.VERIFIED)
    owners = stores.filter(owner_id__in=user_ids).values_list("owner_id", flat=True)
    managers = stores.filter(
        Q(organisation__role_assignments__role=Role.COOP_MANAGER)
        & Q(organisation__role_assignments__user_id__in=user_ids)
    ).values_list("organisation__role_assignments__user_id", flat=True)
    return {int(i) for i in owners} | {int(i) for i in managers}


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

        from htxso.core.outcomes import STORE_OPEN, register_outcome

        # Training's store-opening course completes on the outcome, not the attendance.
        register_outcome(STORE_OPEN, users_with_open_store)
