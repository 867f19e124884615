"""The onboarding demo: four requests in Cao Bằng in their states, seeded once."""

from __future__ import annotations

import pytest

from htxso.core.demodata import DemoContext
from htxso.onboarding import demo
from htxso.onboarding.models import AccessRequest, Status
from htxso.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_seeds_each_state_once(world):
    for name, tax in (("HTX Demo Một", "0100109106"), ("HTX Demo Hai", "0100112437-001")):
        Organisation.objects.create(kind="cooperative", name=name, tax_code=tax, province_id="04")
    demo.seed(DemoContext())
    demo.seed(DemoContext())
    states = sorted(AccessRequest.objects.values_list("status", flat=True))
    assert states == sorted(
        [Status.SUBMITTED, Status.SUBMITTED, Status.REFUSED, Status.INFO_REQUESTED]
    )
    assert AccessRequest.objects.filter(proposed=True, organisation=None).count() == 1
    assert set(AccessRequest.objects.values_list("province_id", flat=True)) == {"04"}
