"""The member portal and the manager's home are kept per cooperative: a write in
another cooperative leaves this member's cached page alone (the next view reads no
governance row), a write in this member's cooperative shows on the next view (a newly
posted disclosure, a vote opened, a document of the assembly), and a write that names
no single cooperative (a rule) forgets every page.  The one query that reads the
member's own figures agrees with the register's and the portal's own selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from htxso.core.cached import Versioned
from htxso.governance import (
    selectors_portal,
    selectors_register,
    services_disclosures,
    services_portal,
    services_register,
    services_votes,
)
from htxso.governance.models import Assembly, AssemblyDocument, Attendance, Question, ServiceUse
from htxso.governance.models.rules import Rule

from ..conftest import make_member
from .conftest import make_profit_resolution

pytestmark = pytest.mark.django_db

PORTAL = "governance:portal"
HOME = "governance:home"


def _view(client, user, name):
    """(the page's text in English, the SQL of its queries)."""
    if user.preferred_language != "en":
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    client.force_login(user)
    with CaptureQueriesContext(connection) as q:
        r = client.get(reverse(name))
    assert r.status_code == 200
    return r.content.decode(), [x["sql"] for x in q.captured_queries]


def _governance(sql: list[str]) -> list[str]:
    return [s for s in sql if "governance_" in s]


def _post(world, org_key, title):
    manager = world.users["manager_a1" if org_key == "a1" else "manager_b1"]
    return services_disclosures.record(
        actor=manager,
        organisation=world.orgs[org_key],
        kind="other",
        title=title,
        event_on=timezone.localdate(),
    )


def _open_assembly(world):
    assembly = Assembly.objects.create(
        organisation=world.orgs["a1"],
        kind="annual",
        year=timezone.localdate().year,
        mode="hybrid",
        title="Đại hội thành viên thường niên",
        scheduled_at=timezone.now() + dt.timedelta(hours=2),
        place="Hội trường HTX",
        status="open",
        voters_total=5,
        created_by=world.users["manager_a1"],
    )
    return assembly


def test_a_write_in_another_cooperative_keeps_this_portal_cached(client, world, gov):
    member, manager_b1 = world.users["member_a1"], world.users["manager_b1"]
    _view(client, member, PORTAL)  # computed and kept
    _html, warm = _view(client, member, PORTAL)
    assert _governance(warm) == []
    # writes in b1: a disclosure posted, a question, a new member, the organisation
    _post(world, "b1", "Thông tin của HTX khác")
    Question.objects.create(
        organisation=world.orgs["b1"], membership=gov.members["b1_o1"], text="Câu hỏi ở b1"
    )
    make_member(world.orgs["b1"], "b1_new", capital=1_000_000)
    b1 = world.orgs["b1"]
    b1.save()
    _html, after = _view(client, member, PORTAL)
    assert _governance(after) == [] and len(after) == len(warm)
    # b1's own pages were forgotten: its manager's home is computed again
    _view(client, manager_b1, HOME)
    assert "Thông tin của HTX khác" not in _html


def test_a_write_in_another_cooperative_keeps_this_managers_home_cached(client, world, gov):
    manager = world.users["manager_a1"]
    _view(client, manager, HOME)
    _html, warm = _view(client, manager, HOME)
    assert _governance(warm) == []
    _post(world, "b1", "Thông tin của HTX khác")
    make_member(world.orgs["b1"], "b1_new", capital=1_000_000)
    _html, after = _view(client, manager, HOME)
    assert _governance(after) == [] and len(after) == len(warm)


def test_a_disclosure_posted_in_my_cooperative_shows_on_the_next_view(client, world, gov):
    member = world.users["member_a1"]
    html, _sql = _view(client, member, PORTAL)
    assert "Báo cáo quỹ mới đăng" not in html
    d = _post(world, "a1", "Báo cáo quỹ mới đăng")
    html, sql = _view(client, member, PORTAL)
    assert "Báo cáo quỹ mới đăng" in html
    assert reverse("governance:disclosure_detail", args=[d.pk]) in html
    assert _governance(sql)  # computed again
    # the manager's home of a1 counts it too (a pending one now shows as due)
    services_disclosures.record(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        kind="other",
        title="Chưa đăng, hạn sắp tới",
        event_on=timezone.localdate(),
        post=False,
    )
    html, _sql = _view(client, world.users["manager_a1"], HOME)
    assert "Chưa đăng, hạn sắp tới" in html


def test_a_vote_opened_in_my_cooperative_shows_on_the_next_view(client, world, gov):
    member, manager = world.users["member_a1"], world.users["manager_a1"]
    assembly = _open_assembly(world)
    for key in ("manager_a1", "member_a1", "a1_o1", "a1_o2"):
        Attendance.objects.create(
            assembly=assembly,
            membership=gov.members[key],
            channel="online",
            may_vote=True,
            checked_in_by=manager,
        )
    resolution = services_votes.resolution_create(
        actor=manager,
        assembly=assembly,
        title="Kế hoạch sản xuất năm tới",
        text_="Thông qua kế hoạch.",
        matter="other",
    )
    html, _sql = _view(client, member, PORTAL)
    assert "Đại hội thành viên thường niên" in html and "Vote now" not in html
    assert reverse("governance:vote", args=[resolution.pk]) not in html
    services_votes.resolution_open(actor=manager, resolution=resolution)
    html, _sql = _view(client, member, PORTAL)
    assert reverse("governance:vote", args=[resolution.pk]) in html
    # a document added to the assembly (a row that names its cooperative through the
    # assembly) shows too
    doc = AssemblyDocument.objects.create(
        assembly=assembly, title="Báo cáo của HĐQT", uploaded_by=manager
    )
    html, _sql = _view(client, member, PORTAL)
    assert reverse("governance:assembly_document", args=[doc.pk]) in html


def test_a_rule_changed_forgets_every_cooperative(client, world, gov):
    member = world.users["member_a1"]
    _view(client, member, PORTAL)
    rule = Rule.objects.order_by("id").first()
    assert rule is not None
    rule.save()
    _html, sql = _view(client, member, PORTAL)
    assert _governance(sql)


def test_organisation_of_follows_the_scope_path(world, gov):
    a1 = world.orgs["a1"]
    assembly = _open_assembly(world)
    doc = AssemblyDocument(assembly=assembly, title="x")
    assert selectors_portal.organisation_of(doc) == a1.pk
    assert selectors_portal.organisation_of(assembly) == a1.pk
    assert selectors_portal.organisation_of(a1) == a1.pk
    assert selectors_portal.organisation_of(gov.members["b1_o1"]) == world.orgs["b1"].pk
    assert selectors_portal.organisation_of(Rule.objects.first()) is None


def test_versioned_scopes():
    v = Versioned("test:scoped", ttl=60)
    v.set(("x",), "a", scope=1)
    v.set(("x",), "b", scope=2)
    v.set(("x",), "c")
    v.forget_scope(1)
    assert v.get(("x",), scope=1) is None
    assert v.get(("x",), scope=2) == "b" and v.get(("x",)) == "c"
    v.forget()
    assert v.get(("x",), scope=2) is None and v.get(("x",)) is None


def test_the_member_row_agrees_with_the_selectors(world, gov):
    """The plain-SQL row of the member's figures against the ORM selectors, with
    pledges (one overdue, a payment settling part), a replaced certificate, services of
    two years and two approved distributions."""
    org, manager = world.orgs["a1"], world.users["manager_a1"]
    m = gov.members["member_a1"]
    day = timezone.localdate()
    record = services_register.record_movement
    # a pledge fallen due (recorded long ago), a later one, a payment settling part
    record(
        actor=manager,
        membership=m,
        kind="pledge",
        amount=6_000_000,
        on=day - dt.timedelta(days=400),
    )
    record(
        actor=manager, membership=m, kind="pledge", amount=4_000_000, on=day - dt.timedelta(days=5)
    )
    record(
        actor=manager, membership=m, kind="payment", amount=2_500_000, on=day - dt.timedelta(days=3)
    )
    m.refresh_from_db()
    services_register.issue_certificate(
        actor=manager, membership=m, number="GCN-01", issued_on=day - dt.timedelta(days=2)
    )
    services_register.issue_certificate(actor=manager, membership=m, number="GCN-02")
    for year, amount in ((2024, 3_000_000), (2025, 7_000_000)):
        ServiceUse.objects.create(
            organisation=org, membership=m, year=year, amount=amount, recorded_by=manager
        )
    for year in (2024, 2025):
        d = services_portal.distribution_calculate(
            actor=manager,
            organisation=org,
            year=year,
            profit_after_tax=10**9,
            indivisible_fund=5 * 10**7,  # the indivisible fund's minimum (migration 0003)
        )
        services_portal.distribution_approve(
            actor=manager, distribution=d, resolution=make_profit_resolution(org, manager)
        )
    p = selectors_portal._portal(world.users["member_a1"], m, day)
    assert p.position == selectors_register.capital_position(m, on=day)
    assert p.position.pledged_unpaid > 0 and p.position.overdue > 0
    current = selectors_register.current_certificate(m)
    assert p.certificate.pk == current.pk and p.certificate.number == "GCN-02"
    assert (p.services_year, p.services_used) == (2025, 7_000_000)
    share = selectors_portal.my_share(m)
    assert share is not None and p.share.pk == share.pk
    assert p.share.distribution.year == share.distribution.year == 2025
    for f in ("services_used", "capital", "by_services", "by_capital", "total"):
        assert getattr(p.share, f) == getattr(share, f)
    assert p.share.distribution.status == "approved"  # a column not read: loaded on use


def test_a_cancelled_assembly_shows_as_cancelled(client, world, gov):
    """An announced assembly called off before its day stays on the portal (the
    assemblies part lists it until its day), marked cancelled — once cancelled, the
    next view shows it."""
    member = world.users["member_a1"]
    assembly = _open_assembly(world)
    assembly.status, assembly.announced_at = "announced", timezone.now()
    assembly.scheduled_at = timezone.now() + dt.timedelta(days=20)
    assembly.save()
    html, _sql = _view(client, member, PORTAL)
    assert "Đại hội thành viên thường niên" in html and "Cancelled" not in html
    assembly.status = "cancelled"
    assembly.save()
    html, _sql = _view(client, member, PORTAL)
    assert "Đại hội thành viên thường niên" in html and "Cancelled" in html


def test_memberships_of_reads_what_the_orm_reads(world, gov):
    """The plain-SQL memberships (read on every view) against the ORM: the active
    memberships of the user only, every column the portal reads, the others on access."""
    from htxso.registry.models import Membership

    user = world.users["member_a1"]
    make_member(world.orgs["b1"], "member_a1_b1", user=None)  # another person: not mine
    mine = selectors_portal.memberships_of(user)
    orm = list(
        Membership.objects.filter(person__user=user, left_on__isnull=True)
        .select_related("organisation", "person")
        .order_by("joined_on", "id")
    )
    assert [m.pk for m in mine] == [m.pk for m in orm] == [gov.members["member_a1"].pk]
    for got, want in zip(mine, orm, strict=True):
        for name in selectors_portal.MEMBERSHIP_FIELDS:
            a, b = got, want
            for part in name.split("__"):
                a, b = getattr(a, part), getattr(b, part)
            assert a == b, name
        assert got.capital_certificate_no == want.capital_certificate_no  # read on access
    assert selectors_portal.memberships_of(world.users["norole"]) == []
