"""core.consent: consents per purpose and notice version, the sensitive-export log."""

from __future__ import annotations

import pytest

from htxso.core import consent
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.core.models import ConsentRecord, SensitiveExport

pytestmark = pytest.mark.django_db


def test_record_consent_once_per_purpose_and_version(world):
    user = world.user("buyer")
    consent.record_consent(user=user, purpose="signup")
    consent.record_consent(user=user, purpose="signup")  # double submit
    rows = ConsentRecord.objects.filter(user=user)
    assert rows.count() == 1
    assert rows.get().notice_version == consent.NOTICE_VERSION
    consent.record_consent(user=user, purpose="store_request", notice_version="2027-01-01")
    assert ConsentRecord.objects.filter(user=user).count() == 2


def test_record_consent_refuses_unknown_purpose(world):
    with pytest.raises(ServiceError) as exc:
        consent.record_consent(user=world.user("buyer"), purpose="<script>marketing")
    assert exc.value.code == "consent_purpose_unknown"
    assert not ConsentRecord.objects.exists()


def test_withdraw_then_consent_again_keeps_history(world):
    user = world.user("buyer")
    consent.record_consent(user=user, purpose="invitation")
    assert consent.withdraw_consent(user=user, purpose="invitation") == 1
    assert consent.withdraw_consent(user=user, purpose="invitation") == 0  # replay
    assert consent.consents_in_force(user) == []
    consent.record_consent(user=user, purpose="invitation")
    assert ConsentRecord.objects.filter(user=user).count() == 2
    assert len(consent.consents_in_force(user)) == 1


def test_log_sensitive_export_user_and_system_actor(world):
    officer = world.user("officer_a")
    consent.log_sensitive_export(actor=officer, what="members CSV", people=12, province="04")
    consent.log_sensitive_export(actor=OPERATOR, what="backup", people=3)
    first, second = SensitiveExport.objects.order_by("id")
    assert first.actor == officer and first.actor_label == "u_officer_a"
    assert first.people == 12 and first.province_id == "04"
    assert second.actor is None and second.actor_label == "system:operator"
    with pytest.raises(TypeError):
        consent.log_sensitive_export(actor=None, what="x", people=1)  # type: ignore[arg-type]
