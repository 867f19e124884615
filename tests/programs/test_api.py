"""The programs API: applicant and reviewer views, results, scoping."""

import pytest

from htxso.programs.services import calls, review, selection

from .helpers import apply_and_submit, make_call, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(world):
    call = make_call(world.users["vca"], min_eligible=1, provinces_min=1)
    calls.call_publish(actor=world.users["officer_a"], call=call, province_id="04")
    calls.call_publish(actor=world.users["officer_b"], call=call, province_id="66")
    make_eligible(world.orgs["a1"])
    apply_and_submit(world.users["manager_a1"], call, world.orgs["a1"])
    apply_and_submit(world.users["manager_b1"], call, world.orgs["b1"])
    return call


def test_calls_list_and_detail(client, world, call):
    client.force_login(world.users["manager_a1"])
    rows = client.get("/api/v1/programs/calls").json()
    assert [r["id"] for r in rows] == [call.pk]
    detail = client.get(f"/api/v1/programs/calls/{call.pk}").json()
    assert [c["kind"] for c in detail["criteria"]] == [
        "youth_share",
        "finance",
        "value_chain",
        "declared",
    ]
    assert detail["published_in"] == ["04", "66"]


def test_draft_calls_are_hidden_from_non_vca(client, world):
    draft = make_call(world.users["vca"], open_=False)
    client.force_login(world.users["officer_a"])
    assert client.get(f"/api/v1/programs/calls/{draft.pk}").status_code == 404
    client.force_login(world.users["vca"])
    assert client.get(f"/api/v1/programs/calls/{draft.pk}").status_code == 200


def test_applicant_view_is_my_organisations_only(client, world, call):
    client.force_login(world.users["manager_a1"])
    rows = client.get("/api/v1/programs/applications/mine").json()
    assert [r["organisation"] for r in rows] == ["HTX Nông nghiệp Hợp Giang"]
    detail = client.get(f"/api/v1/programs/applications/{rows[0]['id']}").json()
    verdicts = {r["criterion"]: (r["verdict"], r["reason"]) for r in detail["results"]}
    youth = verdicts["Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX"]
    assert youth[0] == "pass" and "6/10" in youth[1]
    other = client.get("/api/v1/programs/applications/mine")
    assert other.status_code == 200
    b1_app = call.applications.get(organisation=world.orgs["b1"])
    response = client.get(f"/api/v1/programs/applications/{b1_app.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_reviewer_view_is_scoped_to_the_province(client, world, call):
    client.force_login(world.users["officer_a"])
    rows = client.get(f"/api/v1/programs/calls/{call.pk}/provinces/04/applications").json()
    assert [r["province_code"] for r in rows] == ["04"]
    response = client.get(f"/api/v1/programs/calls/{call.pk}/provinces/66/applications")
    assert response.status_code == 404
    client.force_login(world.users["manager_a1"])
    response = client.get(f"/api/v1/programs/calls/{call.pk}/provinces/04/applications")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_results(client, world, call):
    a1_app = call.applications.get(organisation=world.orgs["a1"])
    officer = world.users["officer_a"]
    review.declared_check(
        actor=officer,
        application=a1_app,
        criterion=call.criteria.get(kind="declared"),
        accepted=True,
    )
    review.application_verify(actor=officer, application=a1_app)
    review.compilation_forward(actor=officer, call=call, province_id="04")
    client.force_login(world.users["vca"])
    before = client.get(f"/api/v1/programs/calls/{call.pk}/results").json()
    assert (
        before["provinces"][0]["qualifies"] is True and before["provinces"][0]["selected"] is None
    )
    selection.selection_decide(actor=world.users["vca"], call=call, provinces=["04"])
    after = client.get(f"/api/v1/programs/calls/{call.pk}/results").json()
    assert after["status"] == "decided"
    assert after["provinces"][0] == {
        "province_code": "04",
        "province": "Tỉnh Cao Bằng",
        "applications": 1,
        "eligible": 1,
        "qualifies": True,
        "rank": 1,
        "selected": True,
        "reason": after["provinces"][0]["reason"],
    }
    assert [a["organisation"] for a in after["selected_applications"]] == [
        "HTX Nông nghiệp Hợp Giang"
    ]
    client.force_login(world.users["officer_b"])
    assert client.get(f"/api/v1/programs/calls/{call.pk}/results").json()["provinces"] == []
