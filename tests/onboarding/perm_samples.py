"""Permission-test samples of access requests (read by tests/permissions/samples.py).

``norole`` (a signed-in person without a role) asked for access to a1 (Cao Bằng) and
to b1 (Đắk Lắk), and proposed a cooperative in Cao Bằng; the URL samples are the a1
request and the Cao Bằng proposal.
"""

from __future__ import annotations


def _upload():
    from tests.onboarding.helpers import pdf

    return pdf("mau.pdf")


def _request(w, org_key: str):
    from htxso.core.actors import OPERATOR
    from htxso.onboarding import services
    from htxso.onboarding.models import AccessRequest

    user, org = w.users["norole"], w.orgs[org_key]
    found = AccessRequest.objects.filter(requester=user, organisation=org).first()
    return found or services.request_submit(
        actor=OPERATOR,
        requester=user,
        organisation=org,
        full_name="Người Xin Mẫu",
        phone="0912 000 111",
        position="Giám đốc",
        document=_upload(),
        consent=True,
    )


def sample_request(w):
    return _request(w, "a1")


def sample_proposal(w):
    from htxso.core.actors import OPERATOR
    from htxso.onboarding import services
    from htxso.onboarding.models import AccessRequest

    user = w.users["norole"]
    found = AccessRequest.objects.filter(requester=user, proposed=True).first()
    return found or services.request_submit(
        actor=OPERATOR,
        requester=user,
        proposal={
            "name": "HTX Đề Xuất Mẫu",
            "kind": "cooperative",
            "province": "04",
            "address": "xã Hòa An",
        },
        full_name="Người Xin Mẫu",
        phone="0912 000 111",
        position="Giám đốc",
        document=_upload(),
        consent=True,
    )


def WORLD(w):
    """Requests on both sides, for the queue's leak check (names are a1's and b1's)."""
    _request(w, "a1")
    _request(w, "b1")


def _pk(w):
    return {"pk": sample_request(w).pk}


SAMPLES = {
    "onboarding:my_request": lambda w: (_pk(w), None),
    "onboarding:answer": lambda w: (_pk(w), None),
    "onboarding:withdraw": lambda w: (_pk(w), None),
    "onboarding:document": lambda w: (_pk(w), None),
    "onboarding:review": lambda w: (_pk(w), None),
    "onboarding:approve": lambda w: (_pk(w), None),
    "onboarding:refuse": lambda w: (_pk(w), None),
    "onboarding:ask": lambda w: (_pk(w), None),
    "onboarding:register": lambda w: ({"pk": sample_proposal(w).pk}, None),
}
