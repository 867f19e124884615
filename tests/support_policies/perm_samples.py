"""Permission-test samples of support policies (read by tests/permissions/samples.py).

The URL sample is a DRAFT provincial policy of Cao Bằng (04), named with a2's marker:
Cao Bằng's staff (and the VCA) see it, nobody else.  Đắk Lắk has its own draft (b1's
marker).  A published national policy is the API's sample; the organisation sample is a1.
"""

from __future__ import annotations

CRITERIA = [
    {"kind": "operating_months", "label": "Hoạt động 12 tháng", "params": {"min_months": 12}},
]


def _policy(w, key: str, **data):
    from htxso.core.actors import OPERATOR
    from htxso.support.policies import services
    from htxso.support.policies.models import SupportPolicy

    found = SupportPolicy.objects.filter(legal_number=key).first()
    if found:
        return found
    return services.policy_create(
        actor=OPERATOR,
        data={"legal_number": key, "benefit": "Hỗ trợ mẫu", "criteria": CRITERIA, **data},
    )


def sample_draft(w):
    return _policy(w, "MAU-04", name="Nháp BaoLacMau", level="provincial", province_id="04")


def sample_published(w):
    from htxso.core.actors import OPERATOR
    from htxso.support.policies import services

    policy = _policy(w, "MAU-QG", name="Chính sách quốc gia mẫu", level="national")
    if policy.status != "published":
        policy = services.policy_publish(actor=OPERATOR, policy=policy)
    return policy


def WORLD(w):
    """Drafts on both sides (the catalogue's leak check) and a published policy."""
    sample_draft(w)
    _policy(w, "MAU-66", name="Nháp EaTuMau", level="provincial", province_id="66")
    sample_published(w)


def _draft(w):
    return ({"pk": sample_draft(w).pk}, None)


SAMPLES = {
    "support_policies:detail": _draft,
    "support_policies:edit": _draft,
    "support_policies:criteria": _draft,
    "support_policies:publish": _draft,
    "support_policies:retire": _draft,
    "support_policies:criterion_delete": lambda w: (
        {"pk": sample_draft(w).pk, "position": 1},
        None,
    ),
    "support_policies:organisation": lambda w: ({"pk": w.orgs["a1"].pk}, None),
}

API_SAMPLES = {
    "/api/v1/support/policies/{policy_id}": lambda w: {"policy_id": sample_published(w).pk},
    "/api/v1/support/policies/eligibility/{organisation_id}": lambda w: {
        "organisation_id": w.orgs["a1"].pk
    },
}
