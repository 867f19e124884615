"""Permission-test samples of the household store requests (tests/permissions)."""

from __future__ import annotations


def sample_request(w):
    """An open store request of the buyer, in Cao Bằng (04)."""
    from htxso.market.models import StoreRequest

    req = StoreRequest.objects.filter(producer_name="Yêu cầu mẫu quyền").first()
    if req is not None:
        return req
    from .helpers import submit

    return submit(w.users["buyer"], producer_name="Yêu cầu mẫu quyền")


def WORLD(w):
    sample_request(w)


def _req(w):
    return ({"request_id": sample_request(w).pk}, None)


SAMPLES = {
    "market:store_request_detail": _req,
    "market:store_request_photo": _req,
    "market:officer_store_request": _req,
}
