"""Plans part through its pages and its API: the youths' journey, the alliance's review,
the youth network, and the refusals (404 across cooperatives and provinces, precise
codes, nothing half-saved)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document

from htxso.assessment import services_plans as services
from htxso.assessment.models import Plan, PlanAction, PlanStatus, Post, Topic
from htxso.core.actors import OPERATOR

from .helpers import SCORES, make_lead, proposed, submitted_plan

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment/plans"


def login(client, world, key):
    client.force_login(world.users[key])
    return client


def test_lead_proposes_edits_downloads_and_submits_through_the_pages(client, world):
    from tests.assessment.factories import submitted_assessment

    make_lead(world)
    submitted_assessment(world.orgs["a1"], SCORES, default=80)
    login(client, world, "member_a1")
    home = client.get(reverse("assessment:plan_home"))
    assert home.status_code == 200 and world.orgs["a1"].name in home.content.decode()
    r = client.post(reverse("assessment:plan_propose", args=[world.orgs["a1"].pk]))
    plan = Plan.objects.get(organisation=world.orgs["a1"])
    assert r.status_code == 302 and r["Location"].endswith(f"/{plan.pk}/")
    page = client.get(r["Location"]).content.decode()
    assert plan.actions.first().title in page
    # a negative cost: the message on the form, nothing saved
    before = PlanAction.objects.count()
    r = client.post(
        reverse("assessment:plan_action_add", args=[plan.pk]),
        {
            "title": "Thêm",
            "owner": "An",
            "start": "2027-01-01",
            "end": "2027-02-01",
            "cost": "-100",
        },
    )
    assert r.status_code == 400 and PlanAction.objects.count() == before
    assert "âm" in r.content.decode()
    r = client.post(
        reverse("assessment:plan_action_add", args=[plan.pk]),
        {
            "title": "Thêm",
            "owner": "An",
            "start": "2027-03-01",
            "end": "2027-02-01",
            "cost": "1.000.000",
        },
    )
    assert r.status_code == 400 and PlanAction.objects.count() == before
    r = client.post(
        reverse("assessment:plan_edit", args=[plan.pk]),
        {
            "title": "Kế hoạch của chúng em",
            "objectives": "<script>alert(1)</script>",
            "budget": "50.000.000",
        },
    )
    assert r.status_code == 200 and "&lt;script&gt;" in r.content.decode()
    plan.refresh_from_db()
    assert plan.title != "Kế hoạch của chúng em"  # nothing half-saved
    r = client.post(
        reverse("assessment:plan_edit", args=[plan.pk]),
        {
            "title": "Kế hoạch của chúng em",
            "objectives": "Bán online",
            "budget": "50.000.000",
            "is_public": "on",
        },
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch của chúng em" and plan.budget == 50_000_000 and plan.is_public
    r = client.get(reverse("assessment:plan_docx", args=[plan.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(r.content))
    assert "Kế hoạch của chúng em" in "\n".join(p.text for p in doc.paragraphs)
    for a in plan.actions.all():
        client.post(
            reverse("assessment:plan_action_edit", args=[a.pk]),
            {
                "title": a.title,
                "owner": "Lò Thị Mai",
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "cost": str(a.cost),
            },
        )
    r = client.post(reverse("assessment:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # double submit: a message, still submitted
    r = client.post(reverse("assessment:plan_submit", args=[plan.pk]), follow=True)
    assert r.status_code == 200 and plan.status == PlanStatus.SUBMITTED


def test_officer_reviews_only_in_the_province(client, world):
    plan = submitted_plan(world)
    login(client, world, "officer_b")
    assert client.get(reverse("assessment:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("assessment:plan_approve", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("assessment:plan_queue")).content.decode()
    login(client, world, "officer_a")
    queue = client.get(reverse("assessment:plan_queue")).content.decode()
    assert world.orgs["a1"].name in queue
    action = plan.actions.first()
    client.post(
        reverse("assessment:plan_action_comment", args=[action.pk]),
        {"body": "Nên bán trên sàn Postmart."},
    )
    r = client.post(reverse("assessment:plan_return", args=[plan.pk]), {"note": ""})
    assert r.status_code == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    r = client.post(reverse("assessment:plan_approve", args=[plan.pk]), {"note": "Đồng ý"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    r = client.post(
        reverse("assessment:plan_visit", args=[plan.pk]), {"visited_on": "2099-01-01", "note": "x"}
    )
    assert r.status_code == 400
    page = client.get(reverse("assessment:plan_detail", args=[plan.pk])).content.decode()
    assert "Nên bán trên sàn Postmart." in page


def test_network_pages_escape_and_refuse_scripts(client, world):
    services.catalogue_load(actor=OPERATOR)
    make_lead(world, public_profile=True, bio="Bạn trẻ")
    topic = Topic.objects.get(key="ecommerce")
    login(client, world, "member_a1")
    url = reverse("assessment:network_topic", args=[topic.pk])
    r = client.post(url, {"body": "<script>alert(1)</script>"})
    assert r.status_code == 400 and Post.objects.count() == 0
    assert "<script>alert(1)" not in r.content.decode()
    r = client.post(url, {"body": "Mình bán cà phê < 100k & giao tận nơi"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "cà phê &lt; 100k &amp; giao" in page
    assert client.get(reverse("assessment:network") + "?scope=nation").status_code == 200
    login(client, world, "manager_b1")
    assert client.get(reverse("assessment:network") + "?scope=nation").status_code == 200
    r = client.post(url, {"body": "Chào"})
    assert r.status_code == 403 and Post.objects.count() == 1


def _json(client, method, path, body=None):
    if method == "get":
        r = client.get(path)
    else:
        r = getattr(client, method)(
            path, data=json.dumps(body or {}), content_type="application/json"
        )
    return r.status_code, r.json()


def test_api_my_plan_update_submit_and_review(client, world):
    plan = proposed(world)
    login(client, world, "manager_a1")
    status, data = _json(client, "get", f"{API}/mine")
    assert status == 200 and data[0]["id"] == plan.pk
    status, data = _json(
        client,
        "post",
        f"{API}/{plan.pk}/actions",
        {"title": "x", "start": "2027-01-01", "end": "2027-01-31", "cost": -5},
    )
    assert (status, data["code"]) == (400, "cost_negative")
    status, data = _json(
        client,
        "post",
        f"{API}/{plan.pk}/actions",
        {"title": "x", "start": "2027-02-01", "end": "2027-01-31", "cost": 5},
    )
    assert (status, data["code"]) == (400, "dates_reversed")
    status, data = _json(client, "put", f"{API}/{plan.pk}", {"strategy": "<iframe src=x>"})
    assert (status, data["code"]) == (400, "text_markup")
    status, data = _json(client, "post", f"{API}/{plan.pk}/approve")
    assert status == 403
    status, data = _json(client, "post", f"{API}/{plan.pk}/submit")
    assert (status, data["code"]) == (400, "owner_missing")
    for a in data["details"] and plan.actions.all():
        _json(
            client,
            "put",
            f"{API}/actions/{a.pk}",
            {
                "title": a.title,
                "owner": "An",
                "start": str(a.start),
                "end": str(a.end),
                "cost": a.cost,
            },
        )
    status, data = _json(client, "post", f"{API}/{plan.pk}/submit")
    assert status == 200 and data["status"] == "submitted"
    status, data = _json(client, "post", f"{API}/{plan.pk}/submit")
    assert (status, data["code"]) == (409, "plan_already_submitted")
    login(client, world, "manager_b1")
    assert _json(client, "get", f"{API}/{plan.pk}")[0] == 404
    assert _json(client, "get", f"{API}/{2**63}")[0] in (404, 422)
    login(client, world, "officer_b")
    assert _json(client, "post", f"{API}/{plan.pk}/approve")[0] == 404
    login(client, world, "officer_a")
    status, data = _json(client, "get", f"{API}/review")
    assert [p["id"] for p in data] == [plan.pk]
    action_id = plan.actions.first().pk
    status, data = _json(client, "post", f"{API}/actions/{action_id}/comments", {"body": "Tốt"})
    assert status == 200 and data["actions"][0]["comments"][0]["by_staff"]
    status, data = _json(client, "post", f"{API}/{plan.pk}/approve", {"note": "Đồng ý"})
    assert status == 200 and data["status"] == "approved"
    status, data = _json(client, "post", f"{API}/{plan.pk}/approve")
    assert (status, data["code"]) == (409, "plan_not_submitted")


def test_api_approving_a_draft_is_refused(client, world):
    plan = proposed(world)
    login(client, world, "officer_a")
    status, data = _json(client, "post", f"{API}/{plan.pk}/approve")
    assert (status, data["code"]) == (409, "plan_not_submitted")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
