import pytest
from django.core.management import call_command

from htxso.accounts.models import RoleAssignment, User
from htxso.core.models import AuditEvent
from htxso.registry.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_is_idempotent_and_covers_every_role():
    call_command("seed_demo", verbosity=0)
    counts = (
        User.objects.count(),
        Organisation.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {
        "vca_admin",
        "province_officer",
        "department_viewer",
        "coop_manager",
        "coop_member",
        "trainer",
        "buyer",
    }
    for code in ("01", "04", "19", "40", "66"):
        assert RoleAssignment.objects.filter(role="province_officer", province_id=code).exists()
        assert RoleAssignment.objects.filter(
            role="coop_manager", organisation__province_id=code
        ).exists()
    assert User.objects.get(username="ql.daklak").role_assignments.count() == 2
    assert User.objects.get(username="vca.admin").check_password("HtxSo@2026")
