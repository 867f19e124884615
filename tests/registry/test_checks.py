"""Legal checks: hand-computed cases, boundaries, and the SQL mirror agrees."""

from __future__ import annotations

import datetime as dt

import pytest

from htxso.registry import checks
from htxso.registry.checks import OrgFacts, check_organisation

DAY = dt.date(2026, 11, 23)  # before the 2026 deadline: the 2025 report is checked


def codes(facts, day=DAY):
    return [w.code for w in check_organisation(facts, day)]


def coop(**kw):
    base = {"kind": "cooperative", "members_recorded": 5, "official_members": 5}
    base["report_status"] = "accepted"
    base.update(kw)
    return OrgFacts(**base)


def test_clean_cooperative_has_no_warning():
    assert codes(coop()) == []


@pytest.mark.parametrize(("official", "warned"), [(4, True), (5, False), (6, False)])
def test_fewer_than_five_official_members(official, warned):
    facts = coop(members_recorded=official + 3, official_members=official)
    assert ("members_too_few" in codes(facts)) is warned


def test_members_fall_back_to_the_annual_report_when_none_recorded():
    assert "members_too_few" not in codes(coop(members_recorded=0, report_official_members=7))
    assert "members_too_few" in codes(coop(members_recorded=0, report_official_members=3))
    assert "members_too_few" in codes(coop(members_recorded=0, report_official_members=None))


def test_union_needs_three_cooperatives_and_group_two_members():
    assert "members_too_few" in codes(
        OrgFacts(kind="union", union_members=2, report_status="submitted")
    )
    assert codes(OrgFacts(kind="union", union_members=3, report_status="submitted")) == []
    assert "members_too_few" in codes(
        OrgFacts(kind="group", members_recorded=1, report_status="accepted")
    )
    assert codes(OrgFacts(kind="group", members_recorded=2, report_status="accepted")) == []


@pytest.mark.parametrize(
    ("capital", "warned"),
    [
        (300_000_000, False),  # exactly 30 % of 1 billion: allowed
        (300_100_000, True),  # 30.01 %: not allowed
        (299_999_999, False),
    ],
)
def test_one_member_capital_boundary(capital, warned):
    facts = coop(charter_capital=1_000_000_000, max_official_capital=capital)
    assert ("member_capital_above_limit" in codes(facts)) is warned


def test_union_limit_is_forty_percent():
    base = {"kind": "union", "union_members": 3, "report_status": "accepted"}
    base["charter_capital"] = 1000
    assert codes(OrgFacts(**base, max_official_capital=400)) == []
    assert "member_capital_above_limit" in codes(OrgFacts(**base, max_official_capital=401))
    assert codes(OrgFacts(**base, associate_capital=400)) == []
    assert "associate_capital_above_limit" in codes(OrgFacts(**base, associate_capital=401))


@pytest.mark.parametrize(("assoc", "warned"), [(3000, False), (3001, True)])
def test_associates_capital_boundary(assoc, warned):
    facts = coop(charter_capital=10_000, associate_capital=assoc)
    assert ("associate_capital_above_limit" in codes(facts)) is warned


def test_capital_base_falls_back_to_contributions():
    # no charter capital recorded: 31 of 100 contributed is above 30 %
    facts = coop(charter_capital=None, total_capital=100, max_official_capital=31)
    assert "member_capital_above_limit" in codes(facts)
    assert codes(coop(charter_capital=None, total_capital=0, max_official_capital=0)) == []


def test_message_gives_share_and_law():
    (warning,) = check_organisation(coop(charter_capital=3_000, max_official_capital=1_001), DAY)
    assert "33,37" in str(warning.message) and "30" in str(warning.message)
    assert "17/2023/QH15" in warning.law and "74" in warning.law


def test_reference_year_switches_after_the_fifteenth_of_december():
    assert checks.reference_report_year(dt.date(2026, 12, 15)) == 2025
    assert checks.reference_report_year(dt.date(2026, 12, 16)) == 2026
    assert checks.reference_report_year(dt.date(2026, 1, 1)) == 2025


def test_annual_report_missing():
    assert "annual_report_missing" in codes(coop(report_status=None))
    assert "annual_report_missing" in codes(coop(report_status="draft"))
    assert "annual_report_missing" not in codes(coop(report_status="submitted"))
    # established after the deadline: not asked yet
    late = coop(report_status=None, established_on=dt.date(2025, 12, 16))
    assert "annual_report_missing" not in codes(late)


def test_dissolved_is_not_checked():
    assert codes(coop(status="dissolved", official_members=0, report_status=None)) == []


def test_groups_have_no_capital_checks():
    facts = OrgFacts(
        kind="group",
        members_recorded=3,
        report_status="accepted",
        charter_capital=100,
        max_official_capital=90,
        associate_capital=90,
    )
    assert codes(facts) == []


@pytest.mark.django_db
def test_sql_mirror_agrees_with_python(world):
    """The warnings page filters in SQL: same verdicts as the pure checks."""
    from htxso.registry import selectors
    from htxso.registry.models import AnnualReport, Membership, Person

    a1 = world.orgs["a1"]
    a1.charter_capital = 1_000_000
    a1.save()
    for i in range(5):
        p = Person.objects.create(organisation=a1, full_name=f"Thành viên {i}")
        Membership.objects.create(
            organisation=a1,
            person=p,
            kind="official",
            joined_on=dt.date(2020, 1, 1),
            capital=300_000 if i == 0 else 100_000,
        )
    AnnualReport.objects.create(organisation=a1, year=2025, status="accepted")
    day = DAY
    flagged = {
        o.pk for o in selectors.organisations_with_warnings(user=world.users["vca"], day=day)
    }
    annotated = selectors.with_check_facts(selectors.Organisation.objects.all(), day)
    python = {o.pk for o in annotated if checks.check_organisation(checks.facts_from(o), day)}
    assert flagged == python
    assert a1.pk not in flagged  # 30 % exactly, 5 official members, report accepted
    Membership.objects.filter(organisation=a1, capital=300_000).update(capital=300_001)
    assert a1.pk in {
        o.pk for o in selectors.organisations_with_warnings(user=world.users["vca"], day=day)
    }
