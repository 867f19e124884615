"""The register demo: opening balances, a pledge, a transfer, certificates, one member
over the cap in Cao Bằng (the warning shows); running it twice changes nothing."""

from __future__ import annotations

import pytest

from htxso.core.actors import OPERATOR
from htxso.governance import demo_register
from htxso.governance.checks_register import organisation_findings
from htxso.governance.models import CapitalCertificate, CapitalMovement
from htxso.registry import selectors

pytestmark = pytest.mark.django_db


def test_demo_register_seeds_once_with_one_member_over_the_cap(gov, world):
    demo_register.seed(actor=OPERATOR)
    a1 = demo_register._org("04")
    assert CapitalMovement.objects.filter(organisation=a1, kind="opening").exists()
    assert CapitalCertificate.objects.filter(organisation=a1).exists()
    assert "member_capital_max" in [f.code for f in organisation_findings(a1)]
    org = selectors.organisation_get_detailed(user=world.users["vca"], pk=a1.pk)
    assert "member_capital_above_limit" in [w.code for w in selectors.warnings_for(org)]
    # every active member's capital equals the sum of its movements
    for m in a1.memberships.filter(left_on__isnull=True):
        total = sum(
            CapitalMovement.objects.filter(membership=m).values_list("paid_delta", flat=True)
        )
        assert total == m.capital
    counts = (CapitalMovement.objects.count(), CapitalCertificate.objects.count())
    demo_register.seed(actor=OPERATOR)
    assert (CapitalMovement.objects.count(), CapitalCertificate.objects.count()) == counts
