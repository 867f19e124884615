"""Permission-test samples for the market statistics, seller dashboard and export."""


def _store_a1(w):
    from htxso.market.models import Store

    store, _created = Store.objects.get_or_create(
        slug="perm-stats-a1",
        defaults={
            "organisation": w.orgs["a1"],
            "name": "Gian hàng thống kê A1",
            "status": "verified",
        },
    )
    # Only the sellers of the store: the manager of a1 (a member of a1 runs no store here;
    # officers who verify stores are not sellers).
    return {"store_id": store.pk}, {"manager_a1"}


SAMPLES = {
    "market:seller_dashboard": _store_a1,
    "market:seller_orders_xlsx": _store_a1,
}
