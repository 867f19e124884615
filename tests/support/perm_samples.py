"""Permission-test samples of service requests (read by tests/permissions/samples.py).

manager_a1 asked a1's province (Cao Bằng) for a service, with a PDF; manager_b1 asked
Đắk Lắk's for b1.  The URL samples are a1's request and its file; the titles carry the
markers of the leak test.
"""

from __future__ import annotations


def _request(w, org_key: str, manager_key: str, tag: str):
    from htxso.support import services
    from htxso.support.models import ServiceRequest

    org = w.orgs[org_key]
    found = ServiceRequest.objects.filter(organisation=org).first()
    if found:
        return found
    from tests.support.helpers import pdf

    return services.request_create(
        actor=w.users[manager_key],
        organisation=org,
        request_type="trade",
        title=f"Hội chợ {tag}",
        description=f"Cần gian hàng hội chợ {tag}",
        files=[pdf()],
    )


def sample_request(w):
    return _request(w, "a1", "manager_a1", "HopGiangMau")


def WORLD(w):
    sample_request(w)
    _request(w, "b1", "manager_b1", "EaTuMau")


def _pk(w):
    return {"pk": sample_request(w).pk}


def _file(w):
    req = sample_request(w)
    return {"pk": req.pk, "file_pk": req.attachments.first().pk}


SAMPLES = {
    name: (lambda w: (_pk(w), None))
    for name in (
        "support:detail",
        "support:message",
        "support:withdraw",
        "support:rate",
        "support:assign",
        "support:reply",
        "support:ask",
        "support:note",
        "support:escalate",
        "support:close",
    )
}
SAMPLES["support:file"] = lambda w: (_file(w), None)

API_SAMPLES = {
    "/api/v1/support/requests/{request_id}": lambda w: {"request_id": sample_request(w).pk},
    "/api/v1/support/requests/{request_id}/messages": lambda w: {
        "request_id": sample_request(w).pk
    },
}
