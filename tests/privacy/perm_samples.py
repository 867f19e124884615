"""Permission-test samples for the privacy app (read by tests/permissions/samples.py)."""

from __future__ import annotations


def _request(w):
    """A correction request of member_a1 (a1, Cao Bằng: reviewed by officer_a, VCA)."""
    from htxso.privacy.models import PrivacyRequest

    existing = PrivacyRequest.objects.filter(user=w.users["member_a1"]).first()
    if existing is None:
        existing = PrivacyRequest.objects.create(
            user=w.users["member_a1"],
            user_label=w.users["member_a1"].username,
            kind="correction",
            field="phone",
            text="Số điện thoại mới",
            province_id="04",
        )
    return {"pk": existing.pk}


SAMPLES = {
    "privacy:request_decide": lambda w: (_request(w), None),
}
