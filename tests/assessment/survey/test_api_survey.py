"""The survey API: questionnaire, start, answers (each valid one kept), submit, scores;
stable error codes; officers read; another cooperative's round is not found."""

from __future__ import annotations

import pytest

from htxso.assessment.models import Answer, Assessment
from htxso.registry.models import Organisation
from tests.assessment.factories import answer_all, questionnaire_v1, submitted_assessment

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessment/survey"


@pytest.fixture
def qn(world):
    return questionnaire_v1()


def _c(client, world, key):
    client.force_login(world.users[key])
    return client


def _post(c, url, body=None):
    return c.post(url, body if body is not None else {}, content_type="application/json")


def test_questionnaire(client, world, qn):
    data = _c(client, world, "member_a1").get(f"{BASE}/questionnaire").json()
    assert data["version"] == 1 and len(data["questions"]) == 60 and len(data["dimensions"]) == 17
    plan = next(q for q in data["questions"] if q["qid"] == "strategy_plan")
    assert plan["also_counts_for"] == ["dbi_strategy"] and plan["options"][-1]["score"] == "100.00"
    assert [lv["level"] for lv in data["levels"]] == [0, 1, 2, 3, 4, 5]


def test_start_answer_submit_and_scores(client, world, qn):
    c = _c(client, world, "manager_a1")
    org = world.orgs["a1"]
    r = _post(c, f"{BASE}/organisations/{org.pk}/assessments")
    assert r.status_code == 201, r.content
    a_id = r.json()["id"]
    assert _post(c, f"{BASE}/organisations/{org.pk}/assessments").status_code == 200  # resume
    r = _post(c, f"{BASE}/organisations/{org.pk}/assessments", {"round": 1})
    assert r.status_code == 409 and r.json()["code"] == "previous_round_open"
    r = _post(
        c,
        f"{BASE}/assessments/{a_id}/answers",
        {
            "version": 1,
            "answers": [
                {"qid": "strategy_plan", "choices": ["full"]},
                {"qid": "human_training", "number": 500000},
                {"qid": "ready_tools", "choices": ["email", "none"]},
                {"qid": "khong_co", "choices": ["yes"]},
                {"qid": "human_youth", "choices": ["yes"], "note": "Hai bạn đoàn viên"},
            ],
        },
    )
    assert r.status_code == 400 and r.json()["code"] == "answers_invalid"
    refused = {x["qid"]: x["code"] for x in r.json()["details"]["refused"]}
    assert refused == {
        "human_training": "answer_out_of_range",
        "ready_tools": "choice_exclusive",
        "khong_co": "unknown_question",
    }
    assert r.json()["details"]["saved"] == ["strategy_plan", "human_youth"]
    assert Answer.objects.count() == 2
    r = _post(
        c,
        f"{BASE}/assessments/{a_id}/answers",
        {"version": 2, "answers": [{"qid": "strategy_plan", "choices": ["none"]}]},
    )
    assert r.status_code == 409 and r.json()["code"] == "version_changed"
    r = _post(c, f"{BASE}/assessments/{a_id}/answers", {"version": 1, "answers": []})
    assert r.status_code == 400 and r.json()["code"] == "validation_error"
    r = _post(c, f"{BASE}/assessments/{a_id}/submit")
    assert r.status_code == 400 and r.json()["code"] == "answers_missing"
    assert len(r.json()["details"]["questions"]) == 58
    assert c.get(f"{BASE}/assessments/{a_id}/scores").json()["code"] == "not_submitted"
    answer_all(Assessment.objects.get(pk=a_id), pick=0.5)
    r = _post(c, f"{BASE}/assessments/{a_id}/submit")
    assert r.status_code == 200, r.content
    data = r.json()
    assert len(data["scores"]) == 17 and len(data["gaps"]) == 11
    assert data["peer_medians_shown"] is False and data["peers"] == 0
    r = _post(
        c,
        f"{BASE}/assessments/{a_id}/answers",
        {"version": 1, "answers": [{"qid": "strategy_plan", "choices": ["none"]}]},
    )
    assert r.status_code == 409 and r.json()["code"] == "assessment_submitted"
    mine = c.get(f"{BASE}/mine").json()
    assert [(m["label"], m["status"]) for m in mine] == [("T0", "submitted")]
    detail = c.get(f"{BASE}/assessments/{a_id}").json()
    assert detail["answered"] == 60 and detail["total"] == 60


def test_peer_medians_in_the_api(client, world, qn):
    mine = submitted_assessment(world.orgs["a1"], {"coop_ecommerce": 10})
    for i in range(5):
        org = Organisation.objects.create(
            kind="group", name=f"Tổ hợp tác API {i}", province_id="04"
        )
        submitted_assessment(org, {"coop_ecommerce": 50 + i})
    data = _c(client, world, "manager_a1").get(f"{BASE}/assessments/{mine.pk}/scores").json()
    assert data["peer_medians_shown"] is True and data["peers"] == 5
    eco = next(s for s in data["scores"] if s["key"] == "coop_ecommerce")
    assert eco["peer_median"] == "52.00" and eco["score"] == "10.00"
    assert "answers" not in data


def test_officers_read_and_others_get_404(client, world, qn):
    a = submitted_assessment(world.orgs["b1"])
    c = _c(client, world, "officer_b")
    assert c.get(f"{BASE}/assessments/{a.pk}").status_code == 200
    assert [x["id"] for x in c.get(f"{BASE}/assessments").json()] == [a.pk]
    assert _post(c, f"{BASE}/organisations/{world.orgs['b1'].pk}/assessments").status_code == 403
    for key in ("officer_a", "manager_a1", "viewer_a", "member_a1"):
        c = _c(client, world, key)
        assert c.get(f"{BASE}/assessments/{a.pk}").status_code == 404
        assert c.get(f"{BASE}/assessments/{a.pk}/scores").status_code == 404
        assert c.get(f"{BASE}/assessments").json() == []
    c = _c(client, world, "manager_a1")
    r = _post(
        c,
        f"{BASE}/assessments/{a.pk}/answers",
        {"version": 1, "answers": [{"qid": "strategy_plan", "choices": ["none"]}]},
    )
    assert r.status_code == 404
    assert c.get(f"{BASE}/assessments/{2**63 + 3}").status_code in (404, 422)
    assert Assessment.objects.count() == 1
