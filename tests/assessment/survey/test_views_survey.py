"""The survey pages through the test client: start, answer a part without JavaScript,
autosave, evidence, submit, results with peers, DX leads, the questionnaire."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from htxso.assessment import services_survey as services
from htxso.assessment.models import Answer, Assessment, DxLead, Evidence, Question
from htxso.assessment.xlsform_survey import read_xlsform
from htxso.registry.models import Organisation
from tests.assessment.factories import answer_all, questionnaire_v1, submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def qn(world):
    return questionnaire_v1()


def photo(name="bien-ban.jpg", size=(800, 600), fmt="JPEG"):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 220, 200)).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def q(qn, qid):
    return Question.objects.get(questionnaire=qn, qid=qid)


def _draft(world, key="manager_a1", org="a1"):
    return services.start(actor=world.users[key], organisation=world.orgs[org])


def test_home_lists_the_managers_cooperative_and_starts_a_round(client, world, qn):
    client.force_login(world.users["manager_a1"])
    page = client.get(reverse("assessment:survey_home")).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in page and "Bắt đầu đánh giá" in page
    assert "Ea Tu" not in page
    r = client.post(reverse("assessment:survey_start", args=[world.orgs["a1"].pk]))
    a = Assessment.objects.get(organisation=world.orgs["a1"])
    assert r.status_code == 302 and r.url == reverse(
        "assessment:survey_answer", args=[a.pk, "dma_strategy"]
    )
    page = client.get(r.url).content.decode()
    assert "Chiến lược kinh doanh số" in page and "Phần 1 / 11" in page
    assert "HTX có kế hoạch chuyển đổi số bằng văn bản không?" in page
    assert 'data-autosave="' in page and "<script>" not in page and "style=" not in page


def test_another_cooperatives_pages_are_not_found(client, world, qn):
    b = _draft(world, "manager_b1", "b1")
    client.force_login(world.users["manager_a1"])
    for url in (
        reverse("assessment:survey_answer", args=[b.pk, "dma_strategy"]),
        reverse("assessment:survey_submit", args=[b.pk]),
        reverse("assessment:survey_results", args=[b.pk]),
    ):
        assert client.get(url).status_code == 404
    r = client.post(
        reverse("assessment:survey_autosave", args=[b.pk]),
        {"question": q(qn, "strategy_plan").pk, f"q_{q(qn, 'strategy_plan').pk}": "full"},
    )
    assert r.status_code == 404
    assert (
        client.post(reverse("assessment:survey_start", args=[world.orgs["b1"].pk])).status_code
        == 404
    )
    assert (
        client.get(f"/chuyen-doi-so/danh-gia/{2**63 + 5}/tra-loi/dma_strategy/").status_code == 404
    )
    assert not Answer.objects.exists() and Assessment.objects.count() == 1


def test_a_part_without_javascript_saves_the_good_answers_and_explains_the_bad(client, world, qn):
    a = _draft(world)
    client.force_login(world.users["manager_a1"])
    url = reverse("assessment:survey_answer", args=[a.pk, "dma_human"])
    training, skills, youth = q(qn, "human_training"), q(qn, "human_skills"), q(qn, "human_youth")
    r = client.post(
        url,
        {
            f"q_{training.pk}": "99999",
            f"q_{skills.pk}": "most",
            f"q_{youth.pk}": "maybe",
            "go": "next",
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "Số phải từ 0 đến 10000." in page
    assert "“maybe” không phải là một câu trả lời của câu hỏi này." in page
    assert Answer.objects.get(assessment=a).question == skills  # the good one is kept
    r = client.post(url, {f"q_{training.pk}": "12,5", f"q_{youth.pk}": "yes", "go": "next"})
    assert r.status_code == 302 and r.url.endswith("/dma_data/")
    assert Answer.objects.get(assessment=a, question=training).number == 12.5
    page = client.get(url).content.decode()
    assert 'value="12.5"' in page and "✓ Đã lưu" in page


def test_autosave_answers_json_with_stable_codes(client, world, qn):
    a = _draft(world)
    client.force_login(world.users["manager_a1"])
    url = reverse("assessment:survey_autosave", args=[a.pk])
    tools = q(qn, "ready_tools")
    r = client.post(url, {"question": tools.pk, "version": 1, f"q_{tools.pk}": ["email", "cloud"]})
    assert r.status_code == 200 and r.json()["code"] == "saved" and r.json()["score"] == "45.00"
    assert r.json()["missing"] == 59
    r = client.post(url, {"question": tools.pk, "version": 1, f"q_{tools.pk}": ["email", "none"]})
    assert r.status_code == 400 and r.json()["code"] == "choice_exclusive"
    r = client.post(url, {"question": tools.pk, "version": 2, f"q_{tools.pk}": ["email"]})
    assert r.status_code == 409 and r.json()["code"] == "version_changed"
    r = client.post(url, {"question": 2**63 + 1, f"q_{tools.pk}": ["email"]})
    assert r.status_code == 400
    assert Answer.objects.get(assessment=a).choices == ["email", "cloud"]


def test_evidence_is_checked_by_content_and_private(client, world, qn):
    a = _draft(world)
    manager = world.users["manager_a1"]
    plan = q(qn, "strategy_plan")
    services.save_answer(actor=manager, assessment=a, question=plan, choices=["full"])
    client.force_login(manager)
    url = reverse("assessment:survey_evidence_add", args=[a.pk])
    fake = SimpleUploadedFile(
        "anh.jpg", b"MZ\x90\x00 this is a program" * 20, content_type="image/jpeg"
    )
    r = client.post(url, {"question": plan.pk, "file": fake}, follow=True)
    assert "không phải là ảnh" in r.content.decode()
    assert not Evidence.objects.exists()
    r = client.post(url, {"question": plan.pk, "file": photo()})
    assert r.status_code == 302 and r.url.endswith("#evidence")
    ev = Evidence.objects.get()
    assert ev.content_type == "image/jpeg" and ev.filename == "bien-ban.jpg"
    download = reverse("assessment:survey_evidence", args=[ev.pk])
    assert client.get(download).status_code == 200
    client.force_login(world.users["manager_b1"])
    assert client.get(download).status_code == 404
    client.force_login(world.users["officer_a"])
    assert client.get(download).status_code == 200
    assert (
        client.post(reverse("assessment:survey_evidence_remove", args=[ev.pk])).status_code == 403
    )
    # a question not answered yet
    client.force_login(manager)
    r = client.post(url, {"question": q(qn, "strategy_board").pk, "file": photo()}, follow=True)
    assert "Hãy trả lời câu hỏi trước" in r.content.decode()
    assert Evidence.objects.count() == 1


def test_submit_then_results_with_gaps_and_peer_median(client, world, qn):
    a = _draft(world)
    manager = world.users["manager_a1"]
    client.force_login(manager)
    r = client.post(reverse("assessment:survey_submit", args=[a.pk]), follow=True)
    assert "Còn 60 câu hỏi chưa trả lời" in r.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == "draft"
    for i in range(5):
        org = Organisation.objects.create(
            kind="group", name=f"Tổ hợp tác Mẫu {i}", province_id="04"
        )
        submitted_assessment(org, {"dma_data": 40 + i})
    answer_all(a, pick=0.5)
    r = client.post(reverse("assessment:survey_submit", args=[a.pk]))
    assert r.url == reverse("assessment:survey_results", args=[a.pk])
    page = client.get(r.url).content.decode()
    assert "Mức độ chuyển đổi số của bạn" in page
    assert "trung vị nhóm 42" in page  # dma_data: 40..44
    assert "Khoảng cách" in page and "DBI" in page
    assert "Bắt đầu vòng T1" in page
    # an officer of the province reads it; a viewer of another province does not
    client.force_login(world.users["officer_a"])
    assert client.get(r.url).status_code == 200
    client.force_login(world.users["viewer_b"])
    assert client.get(r.url).status_code == 404


def test_results_without_enough_peers_say_so(client, world, qn, django_assert_max_num_queries):
    a = submitted_assessment(world.orgs["a1"], pick=1.0)
    client.force_login(world.users["officer_a"])
    url = reverse("assessment:survey_results", args=[a.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert 'id="dx-no-peers"' in page and "trung vị nhóm" not in page
    # the province's officer reads the answers of the round
    assert 'id="dx-answers"' in page and "Có, đầy đủ và dùng thường xuyên" in page


def test_manager_names_and_retires_a_lead(client, world, qn):
    org, member = world.orgs["a1"], world.users["member_a1"]
    client.force_login(world.users["manager_a1"])
    url = reverse("assessment:survey_leads", args=[org.pk])
    page = client.get(url).content.decode()
    assert "Người dùng member_a1" in page
    r = client.post(url, {"user": world.users["buyer"].pk})
    assert r.status_code == 400 and not DxLead.objects.exists()
    r = client.post(url, {"user": member.pk, "bio": "Phụ trách tin học", "public_profile": "on"})
    assert r.status_code == 302
    lead = DxLead.objects.get()
    assert lead.active and lead.public_profile
    client.force_login(member)
    page = client.get(reverse("assessment:survey_home")).content.decode()
    assert "HTX Nông nghiệp Hợp Giang" in page and "Bắt đầu đánh giá" in page
    client.force_login(world.users["manager_a1"])
    assert client.post(reverse("assessment:survey_lead_retire", args=[lead.pk])).status_code == 302
    assert not DxLead.objects.get().active
    client.force_login(world.users["manager_b1"])
    assert client.get(url).status_code == 404


def test_questionnaire_page_and_its_xlsform(client, world, qn):
    client.force_login(world.users["member_a1"])
    page = client.get(reverse("assessment:survey_questionnaire")).content.decode()
    assert "Dữ liệu về thành viên" in page
    r = client.get(reverse("assessment:survey_xlsform", args=[qn.pk]))
    assert r.status_code == 200
    assert len(read_xlsform(r.content)["questions"]) == 60
