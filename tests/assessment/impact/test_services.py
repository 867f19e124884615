"""Cohorts: who creates them, adding members by id or tax code, bad lists change nothing."""

from __future__ import annotations

import pytest

from htxso.assessment import services_impact as services
from htxso.assessment.models import Cohort, CohortMember
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.geo.models import Province

from .helpers import coop

pytestmark = pytest.mark.django_db


def _national(world):
    return services.cohort_create(
        actor=world.users["vca"], code="eu-youth-dx", name="Dự án thanh niên CĐS (EU)"
    )


def test_vca_creates_a_national_cohort_officer_his_province_only(world):
    c = _national(world)
    assert c.province is None and c.before_round == 0 and c.after_round == 1
    assert AuditEvent.objects.filter(action="cohort.create").count() == 1
    cb = Province.objects.get(pk="04")
    mine = services.cohort_create(
        actor=world.users["officer_a"], code="cb-2026", name="Nhóm Cao Bằng", province=cb
    )
    assert mine.province_id == "04"
    with pytest.raises(ServiceError) as exc:
        services.cohort_create(actor=world.users["officer_a"], code="x-national", name="Quốc gia")
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.cohort_create(
            actor=world.users["officer_b"], code="dl-in-cb", name="Sai tỉnh", province=cb
        )
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.cohort_create(actor=world.users["vca"], code="eu-youth-dx", name="Lần hai")
    assert exc.value.code == "cohort_code_taken"
    with pytest.raises(ServiceError) as exc:
        services.cohort_create(actor=world.users["vca"], code="<b>", name="<script>x</script>")
    assert "code" in exc.value.fields
    assert Cohort.objects.count() == 2


def test_add_by_id_and_tax_code_duplicates_once(world):
    c = _national(world)
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    r = services.cohort_add_members(
        actor=world.users["vca"], cohort=c, raw=f"{a1.pk}\n{b1.tax_code}\n{a1.tax_code}, {a1.pk}"
    )
    assert sorted(r.added) == sorted([a1.pk, b1.pk]) and r.already == []
    r = services.cohort_add_members(actor=world.users["vca"], cohort=c, raw=str(a1.pk))
    assert r.added == [] and r.already == [a1.pk]
    assert CohortMember.objects.filter(cohort=c).count() == 2
    assert AuditEvent.objects.filter(action="cohort.members_add").count() == 1


def test_officer_adds_his_province_only_and_a_bad_list_adds_nothing(world):
    c = _national(world)
    officer = world.users["officer_a"]
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(actor=officer, cohort=c, raw=f"{a1.pk}\n{b1.pk}")
    assert exc.value.code == "member_outside_province"
    assert CohortMember.objects.count() == 0 and AuditEvent.objects.count() == before
    services.cohort_add_members(actor=officer, cohort=c, raw=str(a1.pk))
    assert list(CohortMember.objects.values_list("organisation_id", flat=True)) == [a1.pk]


def test_province_cohort_refuses_members_of_another_province(world):
    cohort = services.cohort_create(
        actor=world.users["vca"],
        code="cb-only",
        name="Cao Bằng",
        province=Province.objects.get(pk="04"),
    )
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(
            actor=world.users["vca"], cohort=cohort, raw=str(world.orgs["b1"].pk)
        )
    assert exc.value.code == "member_outside_province"
    assert not CohortMember.objects.exists()


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "list_empty"),
        ("   \n ,; ", "list_empty"),
        (str(2**63), "members_invalid"),
        ("9" * 40, "members_invalid"),
        ("-5", "members_invalid"),
        ("0", "members_invalid"),
        ("<script>alert(1)</script>", "members_invalid"),
        ("123456789", "members_invalid"),  # no such organisation
    ],
)
def test_bad_lists(world, raw, code):
    c = _national(world)
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(actor=world.users["vca"], cohort=c, raw=raw)
    assert exc.value.code == code
    assert not CohortMember.objects.exists()


def test_viewer_and_other_province_officer_are_refused(world):
    cb = services.cohort_create(
        actor=world.users["vca"], code="cb", name="CB", province=Province.objects.get(pk="04")
    )
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(actor=world.users["viewer_a"], cohort=cb, raw="1")
    assert exc.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(actor=world.users["officer_b"], cohort=cb, raw="1")
    assert exc.value.kind is Kind.NOT_FOUND


def test_remove_member(world):
    c = _national(world)
    org = coop("HTX Rời Nhóm")
    services.cohort_add_members(actor=world.users["vca"], cohort=c, raw=str(org.pk))
    m = CohortMember.objects.get()
    with pytest.raises(ServiceError):
        services.cohort_remove_member(actor=world.users["officer_b"], member=m)
    services.cohort_remove_member(actor=world.users["officer_a"], member=m)
    assert not CohortMember.objects.exists()
    assert AuditEvent.objects.filter(action="cohort.member_remove").count() == 1


def test_list_too_long(world):
    c = _national(world)
    raw = "\n".join(str(i) for i in range(1, services.MAX_LIST + 2))
    with pytest.raises(ServiceError) as exc:
        services.cohort_add_members(actor=world.users["vca"], cohort=c, raw=raw)
    assert exc.value.code == "list_too_long"
