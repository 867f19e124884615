"""Impact pages: the map, cohorts (create, add, remove), a cooperative's change; API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.assessment.models import Cohort, CohortMember

from .helpers import coop, questionnaire, scored, submitted

pytestmark = pytest.mark.django_db


def _client(client, world, key):
    client.force_login(world.users[key])
    return client


def _data(world):
    vca = world.users["vca"]
    qn = questionnaire("views")
    cohort = Cohort.objects.create(code="eu-youth-dx", name="Dự án EU", created_by=vca)
    for i in range(12):
        m = coop(f"HTX Thành Viên {i}")
        CohortMember.objects.create(cohort=cohort, organisation=m, added_by=vca)
        scored(m, qn, 0, 30 + i, user=vca)
        scored(m, qn, 1, 42 + i + i % 3, user=vca)
        c = coop(f"HTX Đối Chứng {i}")
        scored(c, qn, 0, 30 + i, user=vca)
        scored(c, qn, 1, 33 + i + i % 2, user=vca)
    return qn, cohort


def test_map_for_vca_and_officer(client, world, django_assert_max_num_queries):
    qn, _cohort = _data(world)
    star = coop("HTX Ngôi Sao")
    scored(star, qn, 0, 55, user=world.users["vca"])
    scored(star, qn, 1, 75, user=world.users["vca"])
    c = _client(client, world, "vca")
    with django_assert_max_num_queries(15):
        r = c.get(reverse("assessment:impact_map"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="map-places"' in body and 'id="models"' in body
    r = c.get(reverse("assessment:impact_map"), {"province": "04"})
    assert r.status_code == 200 and r.context["board"].assessed == 25
    assert [m.name for m in r.context["models"]] == ["HTX Ngôi Sao"]
    assert "HTX Ngôi Sao" in r.content.decode()
    c = _client(client, world, "officer_b")
    r = c.get(reverse("assessment:impact_map"), {"province": "04"})
    # not his province: the choice is refused, his own map is shown
    assert r.status_code == 200 and r.context["province"].code == "66"
    assert r.context["board"].assessed == 0


def test_cohort_page_did_and_members(client, world):
    _qn, cohort = _data(world)
    c = _client(client, world, "vca")
    r = c.get(reverse("assessment:impact_cohort", args=[cohort.pk]))
    assert r.status_code == 200
    did = r.context["did"]
    assert did.status == "ok" and did.pairs == 12
    body = r.content.decode()
    assert 'id="did-n">12<' in body and 'id="did-ci"' in body
    # Đắk Lắk's officer: sees the national cohort, none of its members (all in 04)
    c = _client(client, world, "officer_b")
    r = c.get(reverse("assessment:impact_cohort", args=[cohort.pk]))
    assert r.status_code == 200 and r.context["rows"] == []
    assert 'id="did-not-enough"' in r.content.decode()


def test_create_cohort_and_add_members_pages(client, world):
    c = _client(client, world, "officer_a")
    r = c.post(
        reverse("assessment:impact_cohorts"),
        {"code": "cb-dx", "name": "Nhóm CĐS Cao Bằng", "province": "04",
         "before_round": 0, "after_round": 1},
    )  # fmt: skip
    cohort = Cohort.objects.get(code="cb-dx")
    assert r.status_code == 302 and cohort.province_id == "04"
    add = reverse("assessment:impact_cohort_add", args=[cohort.pk])
    r = c.post(add, {"members": f"{world.orgs['a1'].pk}\n{world.orgs['b1'].pk}"})
    assert r.status_code == 200 and not CohortMember.objects.exists()
    assert "members" in r.context["members_form"].errors
    r = c.post(add, {"members": str(2**64)})
    assert r.status_code == 200 and not CohortMember.objects.exists()
    r = c.post(add, {"members": world.orgs["a1"].tax_code})
    assert r.status_code == 302 and CohortMember.objects.count() == 1
    m = CohortMember.objects.get()
    r = c.post(reverse("assessment:impact_cohort_remove", args=[cohort.pk, m.pk]))
    assert r.status_code == 302 and not CohortMember.objects.exists()
    # another province's officer cannot reach the cohort
    c = _client(client, world, "officer_b")
    assert c.post(add, {"members": str(world.orgs["b1"].pk)}).status_code == 404


def test_add_members_from_a_csv_file(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cohort = Cohort.objects.create(code="csv", name="CSV", created_by=world.users["vca"])
    c = _client(client, world, "vca")
    text = f"Mã số thuế;Tên\n{world.orgs['a1'].tax_code};HTX A\n{world.orgs['b1'].tax_code};B\n"
    f = SimpleUploadedFile("ds.csv", text.encode("utf-8-sig"), content_type="text/csv")
    r = c.post(reverse("assessment:impact_cohort_add", args=[cohort.pk]), {"file": f})
    assert r.status_code == 302 and CohortMember.objects.filter(cohort=cohort).count() == 2
    bad = SimpleUploadedFile("x.csv", b"\x00\x01PK", content_type="text/csv")
    r = c.post(reverse("assessment:impact_cohort_add", args=[cohort.pk]), {"file": bad})
    assert r.status_code == 200 and "file" in r.context["members_form"].errors


def test_organisation_change_page(client, world):
    vca = world.users["vca"]
    org = world.orgs["a1"]
    qn = questionnaire("chg")
    url = reverse("assessment:impact_organisation", args=[org.pk])
    c = _client(client, world, "manager_a1")
    r = c.get(url)
    assert r.status_code == 200 and 'id="no-rounds"' in r.content.decode()
    submitted(org, qn, 0, {"strategy_q0": 50}, user=vca)
    r = c.get(url)
    assert 'id="no-t1"' in r.content.decode()
    submitted(org, qn, 1, {"strategy_q0": 100, "data_q1": 50}, user=vca)
    r = c.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and 'id="comparable-note"' in body
    assert r.context["comparison"].overall_change > 0
    for key in ("member_a1", "manager_b1", "officer_b", "trainer"):
        assert _client(client, world, key).get(url).status_code == 404, key
    assert _client(client, world, "officer_a").get(url).status_code == 200


def test_api_map_cohort_change(client, world):
    qn, cohort = _data(world)
    c = _client(client, world, "officer_a")
    r = c.get("/api/v1/assessment/impact/map")
    assert r.status_code == 200 and r.json()["province"] == "04"
    assert r.json()["assessed"] == 24
    r = c.get("/api/v1/assessment/impact/map?province=66")
    assert r.status_code == 404 and r.json()["code"] == "province_unknown"
    r = c.get(f"/api/v1/assessment/impact/cohorts/{cohort.pk}")
    data = r.json()
    assert r.status_code == 200 and data["impact"]["status"] == "ok"
    assert data["impact"]["pairs"] == 12 and data["impact"]["low"] < data["impact"]["high"]
    assert "normal approximation" in data["impact"]["method"]
    assert c.get(f"/api/v1/assessment/impact/cohorts/{2**63}").status_code == 422
    assert c.get("/api/v1/assessment/impact/cohorts/999999").status_code == 404
    r = c.get("/api/v1/assessment/impact/cohorts")
    assert [x["code"] for x in r.json()] == ["eu-youth-dx"] and r.json()[0]["members"] == 12
    url = f"/api/v1/assessment/impact/organisations/{world.orgs['a1'].pk}/change"
    r = c.get(url)
    assert r.status_code == 200 and r.json()["status"] == "no_rounds"
    v2 = questionnaire("views", 2, not_comparable=("data_q2",))
    vca = world.users["vca"]
    submitted(world.orgs["a1"], qn, 0, {"strategy_q0": 50}, user=vca)
    assert c.get(url).json()["status"] == "no_t1"
    submitted(world.orgs["a1"], v2, 1, {"strategy_q0": 100, "data_q2": 100}, user=vca)
    data = c.get(url).json()
    assert data["status"] == "compared" and (data["before_round"], data["after_round"]) == (0, 1)
    by_qid = {q["qid"]: q["status"] for q in data["questions"]}
    assert by_qid["data_q2"] == "not_comparable" and by_qid["strategy_q0"] == "compared"
    strategy = next(d for d in data["dimensions"] if d["key"] == "strategy")
    assert strategy["change"] == "16.67" and strategy["compared"] == 3
    c = _client(client, world, "officer_b")
    r = c.get(f"/api/v1/assessment/impact/organisations/{world.orgs['a1'].pk}/change")
    assert r.status_code == 404
    data = c.get(f"/api/v1/assessment/impact/cohorts/{cohort.pk}").json()
    assert data["impact"]["status"] == "not_enough_data" and data["impact"]["estimate"] is None
