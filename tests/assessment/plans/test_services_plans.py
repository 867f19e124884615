"""Plans part: propose from the gaps, the youths' edits, submit, the alliance's review,
progress, the Word document, the youth network, and the published selectors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from htxso.assessment import selectors_plans as sel
from htxso.assessment import services_plans as services
from htxso.assessment.catalogue_plans import ACTIONS
from htxso.assessment.documents_plans import render_plan_docx
from htxso.assessment.models import (
    ActionComment,
    CatalogueAction,
    Plan,
    PlanAction,
    PlanStatus,
    PlanVisit,
    Post,
    Topic,
)
from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from tests.assessment.factories import submitted_assessment

from .helpers import make_lead, own_all, proposed, submitted_plan

pytestmark = pytest.mark.django_db


def counts():
    return (
        Plan.objects.count(),
        PlanAction.objects.count(),
        ActionComment.objects.count(),
        PlanVisit.objects.count(),
        Post.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(code, fn, **kw):
    before = counts()
    with pytest.raises(ServiceError) as exc:
        fn(**kw)
    assert exc.value.code == code, (exc.value.code, str(exc.value))
    assert counts() == before, "a refused write changed something"
    return exc.value


# ------------------------------------------------------------------ catalogue


def test_catalogue_loads_twenty_actions_once(world):
    assert services.catalogue_load(actor=OPERATOR) == len(ACTIONS) >= 20
    assert services.catalogue_load(actor=OPERATOR) == 0
    item = CatalogueAction.objects.get(code="traceability-qr")
    assert item.cost_min <= item.cost_max and item.title_en and item.months > 0
    assert {f["kind"] for a in CatalogueAction.objects.all() for f in a.funding} == {
        "call",
        "policy",
    }
    assert Topic.objects.count() >= 5
    with pytest.raises(ServiceError) as exc:
        services.catalogue_load(actor=world.users["officer_a"])
    assert exc.value.kind is Kind.FORBIDDEN


# ------------------------------------------------------------------ propose


def test_proposed_plan_works_on_the_largest_gaps(world):
    plan = proposed(world)
    assert plan.status == PlanStatus.DRAFT and plan.province_id == "04"
    keys = [a.dimension_key for a in plan.actions.order_by("order")]
    assert keys[:2] == ["coop_ecommerce", "coop_ecommerce"]
    assert set(keys) == {"coop_ecommerce", "dma_data", "dma_green"}
    assert plan.budget == sum(a.cost for a in plan.actions.all()) > 0
    assert "10" in plan.objectives and "30" in plan.objectives
    first = plan.actions.order_by("order").first()
    assert first.start > timezone.localdate() and first.end >= first.start
    assert AuditEvent.objects.filter(action="dx_plan.propose").count() == 1


def test_propose_needs_a_submitted_assessment_and_only_one_open_plan(world):
    org = world.orgs["a1"]
    refused(
        "no_submitted_assessment",
        services.plan_propose,
        actor=world.users["manager_a1"],
        organisation=org,
    )
    proposed(world)
    refused("plan_exists", services.plan_propose, actor=world.users["manager_a1"], organisation=org)


def test_propose_for_another_cooperative_is_not_found_and_a_viewer_may_not(world):
    submitted_assessment(world.orgs["a1"], {"dma_data": 10}, default=80)
    e = refused(
        "not_found",
        services.plan_propose,
        actor=world.users["manager_b1"],
        organisation=world.orgs["a1"],
    )
    assert e.kind is Kind.NOT_FOUND
    e = refused(
        "forbidden",
        services.plan_propose,
        actor=world.users["viewer_a"],
        organisation=world.orgs["a1"],
    )
    assert e.kind is Kind.FORBIDDEN
    # a member who is not a DX lead does not write the plan
    refused(
        "not_found",
        services.plan_propose,
        actor=world.users["member_a1"],
        organisation=world.orgs["a1"],
    )


def test_a_dx_lead_proposes_and_edits(world):
    make_lead(world)
    plan = proposed(world, actor_key="member_a1")
    services.plan_update(
        actor=world.users["member_a1"],
        plan=plan,
        objectives="Bán hàng trực tuyến 30% sản lượng",
        budget="45.000.000",
    )
    plan.refresh_from_db()
    assert plan.budget == 45_000_000 and plan.objectives.startswith("Bán hàng")


# ------------------------------------------------------------------ bad input


def test_bad_actions_are_refused_with_precise_codes_and_nothing_saved(world):
    plan = proposed(world)
    user = world.users["manager_a1"]
    base = {
        "actor": user,
        "plan": plan,
        "title": "Mở gian hàng",
        "owner": "An",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "cost": 5_000_000,
    }
    e = refused("cost_negative", services.action_add, **{**base, "cost": -1})
    assert "âm" in str(e)  # "cannot be negative" in Vietnamese (the default language)
    e = refused(
        "dates_reversed",
        services.action_add,
        **{**base, "start": "2027-05-01", "end": "2027-02-01"},
    )
    assert "01/02/2027" in str(e) and "01/05/2027" in str(e)
    refused("text_markup", services.action_add, **{**base, "title": "<script>alert(1)</script>"})
    refused("amount_invalid", services.action_add, **{**base, "cost": "năm triệu"})
    refused("amount_too_large", services.action_add, **{**base, "cost": 2**63})
    refused("date_invalid", services.action_add, **{**base, "start": "31/02/2027"})
    refused(
        "text_markup", services.plan_update, actor=user, plan=plan, risks='<img src=x onerror="x">'
    )
    refused("cost_negative", services.plan_update, actor=user, plan=plan, budget=-5)
    action = services.action_add(**base)
    assert action.cost == 5_000_000
    refused(
        "dates_reversed",
        services.action_update,
        actor=user,
        action=action,
        title="x",
        owner="",
        start="2027-05-01",
        end="2027-04-30",
        cost=0,
    )


def test_another_cooperatives_plan_is_not_found(world):
    plan = proposed(world)
    e = refused(
        "not_found",
        services.plan_update,
        actor=world.users["manager_b1"],
        plan=plan,
        objectives="x",
    )
    assert e.kind is Kind.NOT_FOUND
    action = plan.actions.first()
    refused(
        "not_found",
        services.action_update,
        actor=world.users["manager_b1"],
        action=action,
        title="x",
        owner="",
        start="2027-01-01",
        end="2027-01-02",
        cost=0,
    )


# ------------------------------------------------------------------ submit and review


def test_submit_needs_owners_then_double_submit_is_refused(world):
    plan = proposed(world)
    user = world.users["manager_a1"]
    e = refused("owner_missing", services.plan_submit, actor=user, plan=plan)
    assert plan.actions.first().title in str(e)
    own_all(plan, user)
    plan = services.plan_submit(actor=user, plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at
    refused("plan_already_submitted", services.plan_submit, actor=user, plan=plan)
    refused("plan_not_editable", services.plan_update, actor=user, plan=plan, objectives="x")


def test_approving_a_draft_is_refused_and_review_is_for_the_province(world):
    plan = proposed(world)
    e = refused(
        "plan_not_submitted", services.plan_approve, actor=world.users["officer_a"], plan=plan
    )
    assert e.kind is Kind.CONFLICT
    own_all(plan, world.users["manager_a1"])
    services.plan_submit(actor=world.users["manager_a1"], plan=plan)
    assert (
        refused("not_found", services.plan_approve, actor=world.users["officer_b"], plan=plan).kind
        is Kind.NOT_FOUND
    )
    assert (
        refused("forbidden", services.plan_approve, actor=world.users["viewer_a"], plan=plan).kind
        is Kind.FORBIDDEN
    )
    assert (
        refused("forbidden", services.plan_approve, actor=world.users["manager_a1"], plan=plan).kind
        is Kind.FORBIDDEN
    )
    assert list(sel.review_queue(world.users["officer_a"])) == [plan]
    assert list(sel.review_queue(world.users["officer_b"])) == []


def test_return_with_comment_then_resubmit_and_approve(world):
    plan = submitted_plan(world)
    officer, manager = world.users["officer_a"], world.users["manager_a1"]
    refused("note_required", services.plan_return, actor=officer, plan=plan, note="  ")
    refused("text_markup", services.plan_return, actor=officer, plan=plan, note="<b>sửa</b>")
    plan = services.plan_return(actor=officer, plan=plan, note="Thêm chi phí vận chuyển.")
    assert plan.status == PlanStatus.RETURNED
    refused("plan_not_submitted", services.plan_approve, actor=officer, plan=plan)
    services.plan_update(actor=manager, plan=plan, budget=60_000_000)
    services.plan_submit(actor=manager, plan=plan)
    plan = services.plan_approve(actor=officer, plan=plan, note="Đồng ý.")
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == timezone.localdate()
    refused("plan_approved", services.plan_update, actor=manager, plan=plan, objectives="x")


def test_comments_per_action_by_the_alliance_and_the_youths(world):
    plan = submitted_plan(world)
    make_lead(world)
    action = plan.actions.first()
    c = services.comment_add(
        actor=world.users["officer_a"], action=action, body="Nên chọn sàn có hỗ trợ HTX."
    )
    assert c.by_staff
    c = services.comment_add(
        actor=world.users["member_a1"], action=action, body="Cảm ơn, chúng em sẽ sửa."
    )
    assert not c.by_staff
    refused(
        "text_markup",
        services.comment_add,
        actor=world.users["officer_a"],
        action=action,
        body="<script>x</script>",
    )
    refused(
        "not_found", services.comment_add, actor=world.users["officer_b"], action=action, body="ok"
    )
    refused(
        "forbidden", services.comment_add, actor=world.users["viewer_a"], action=action, body="ok"
    )


def test_visit_record(world):
    draft = proposed(world, org="b1", actor_key="manager_b1")
    officer_b = world.users["officer_b"]
    refused(
        "plan_draft",
        services.visit_record,
        actor=officer_b,
        plan=draft,
        visited_on=timezone.localdate(),
        note="x",
    )
    plan = submitted_plan(world)
    officer = world.users["officer_a"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        "visit_future",
        services.visit_record,
        actor=officer,
        plan=plan,
        visited_on=tomorrow,
        note="x",
    )
    refused(
        "not_found",
        services.visit_record,
        actor=officer_b,
        plan=plan,
        visited_on=timezone.localdate(),
        note="x",
    )
    v = services.visit_record(
        actor=officer, plan=plan, visited_on=timezone.localdate(), note="Đã xem kho, tư vấn tem QR."
    )
    assert v.visitor == officer


def test_progress_action_by_action_after_approval(world):
    plan = submitted_plan(world)
    manager = world.users["manager_a1"]
    action = plan.actions.first()
    refused(
        "plan_not_approved", services.action_progress, actor=manager, action=action, progress=50
    )
    services.plan_approve(actor=world.users["officer_a"], plan=plan)
    refused("progress_range", services.action_progress, actor=manager, action=action, progress=101)
    refused("progress_range", services.action_progress, actor=manager, action=action, progress=-1)
    refused(
        "progress_invalid", services.action_progress, actor=manager, action=action, progress="nửa"
    )
    refused(
        "not_found",
        services.action_progress,
        actor=world.users["manager_b1"],
        action=action,
        progress=10,
    )
    services.action_progress(actor=manager, action=action, progress=60, note="Đã mở gian hàng")
    action.refresh_from_db()
    assert action.progress == 60 and action.progress_note == "Đã mở gian hàng"
    totals = sel.plan_totals(list(plan.actions.all()))
    assert 0 < totals.progress < 60


# ------------------------------------------------------------------ the Word document


def test_word_document_reopens_with_the_plan(world):
    plan = proposed(world)
    services.plan_update(
        actor=world.users["manager_a1"], plan=plan, risks="Mất điện & bão < 3 ngày"
    )
    plan.refresh_from_db()
    data = render_plan_docx(plan, sel.plan_actions(plan))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "KẾ HOẠCH CHUYỂN ĐỔI SỐ" in text and plan.title in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any(a.title in cells for a in plan.actions.all())
    assert "Mất điện & bão < 3 ngày" in text


# ------------------------------------------------------------------ published selectors


def test_approved_plan_organisations_and_plan_youths(world):
    from htxso.registry.models import Person

    plan = submitted_plan(world)
    today = timezone.localdate()
    lead = make_lead(world)
    assert list(sel.approved_plan_organisations(until=today)) == []
    services.plan_approve(actor=world.users["officer_a"], plan=plan)
    assert list(sel.approved_plan_organisations(until=today)) == [world.orgs["a1"].pk]
    assert list(sel.approved_plan_organisations(province="66", until=today)) == []
    assert list(sel.approved_plan_organisations(until=today - dt.timedelta(days=1))) == []
    # age unknown: not counted
    assert list(sel.plan_youths(until=today)) == []
    person = Person.objects.create(
        organisation=world.orgs["a1"], full_name="Lò Văn Trẻ", user=lead.user
    )
    person.birth_date = today.replace(year=today.year - 25)
    person.save()
    assert list(sel.plan_youths(until=today, province="04")) == [lead.user_id]
    assert list(sel.plan_youths(until=today, province="66")) == []
    # 35 today: not a youth any more
    Person.objects.filter(pk=person.pk).update(birth_date=today.replace(year=today.year - 35))
    assert list(sel.plan_youths(until=today)) == []
    # only the year: counted when surely under 35
    Person.objects.filter(pk=person.pk).update(birth_date=None, birth_year=today.year - 34)
    assert list(sel.plan_youths(until=today)) == [lead.user_id]
    Person.objects.filter(pk=person.pk).update(birth_year=today.year - 35)
    assert list(sel.plan_youths(until=today)) == []


# ------------------------------------------------------------------ the youth network


def test_network_posts_profiles_and_public_plans(world):
    services.catalogue_load(actor=OPERATOR)
    topic = Topic.objects.get(key="ecommerce")
    lead = make_lead(world)
    member = world.users["member_a1"]
    post = services.post_add(actor=member, topic=topic, body="Ai đã bán cà phê trên sàn?")
    assert post.province_id == "04" and post.organisation == world.orgs["a1"]
    refused(
        "post_repeated",
        services.post_add,
        actor=member,
        topic=topic,
        body="Ai đã bán cà phê trên sàn?",
    )
    refused(
        "text_markup",
        services.post_add,
        actor=member,
        topic=topic,
        body="<script>alert(1)</script>",
    )
    refused(
        "not_in_network",
        services.post_add,
        actor=world.users["manager_b1"],
        topic=topic,
        body="chào",
    )
    assert (
        services.post_add(
            actor=world.users["officer_b"], topic=topic, body="Chào các bạn"
        ).province_id
        is None
    )
    assert list(sel.topic_posts(topic, province="04")) == [post]
    refused(
        "not_a_lead",
        services.profile_update,
        actor=world.users["manager_a1"],
        public_profile=True,
        bio="",
    )
    services.profile_update(actor=member, public_profile=True, bio="Phụ trách bán hàng online")
    lead.refresh_from_db()
    assert lead.public_profile and list(sel.network_profiles(province="04")) == [lead]
    assert list(sel.network_profiles(province="66")) == []
    plan = submitted_plan(world)
    assert list(sel.network_plans()) == []
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    assert list(sel.network_plans(province="04")) == [plan]
