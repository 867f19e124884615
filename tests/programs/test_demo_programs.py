"""The programs demo: idempotent; the youth-DX call has applications in every demo
province, some provinces qualify and some do not; the DX-loan call uses other criteria."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from htxso.accounts.models import User
from htxso.core.demodata import DEMO_PROVINCES
from htxso.programs.demo import LOAN_TITLE, YOUTH_TITLE
from htxso.programs.models import Application, Call, CriterionResult
from htxso.programs.selectors import national_summary

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_programs_demo(client):
    call_command("seed_demo", verbosity=0)
    counts = (Call.objects.count(), Application.objects.count(), CriterionResult.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (
        Call.objects.count(),
        Application.objects.count(),
        CriterionResult.objects.count(),
    )

    youth = Call.objects.get(title=YOUTH_TITLE)
    provinces = set(youth.applications.values_list("organisation__province_id", flat=True))
    assert provinces == set(DEMO_PROVINCES)
    summary = national_summary(youth)
    qualified = {r.province_id for r in summary.qualified}
    not_qualified = {r.province_id for r in summary.rows} - qualified
    assert qualified and not_qualified
    assert len(qualified) < youth.provinces_min  # the 12–24 bound is explained, not met

    loan = Call.objects.get(title=LOAN_TITLE)
    assert {c.kind for c in loan.criteria.all()} != {c.kind for c in youth.criteria.all()}
    assert loan.applications.exists()

    client.force_login(User.objects.get(username="vca.admin"))
    page = client.get(
        reverse("programs:call_national", kwargs={"call_id": youth.pk})
    ).content.decode()
    assert "ít hơn mức tối thiểu 12 tỉnh" in page
    client.force_login(User.objects.get(username="lm.caobang"))
    page = client.get(
        reverse("programs:province_page", kwargs={"call_id": youth.pk, "province_code": "04"})
    )
    assert page.status_code == 200
