"""Services of the knowledge base: who may write, what is cleaned, what is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import AnnualReport
from htxso.support.knowledge import services
from htxso.support.knowledge.content import clean_html
from htxso.support.knowledge.models import Article, CaseFigure, GuideStep, ModelCase

from .helpers import article_data, case_data, jpeg, make_article, make_case

pytestmark = pytest.mark.django_db

NASTY = (
    '<p onclick="steal()">Xin chào</p><script>alert(1)</script>'
    '<a href="javascript:alert(2)">bấm</a><img src=x onerror="alert(3)">'
    '<a href="https://vca.org.vn" onmouseover="x()">VCA</a><style>p{}</style>'
    '<iframe src="https://evil.example"></iframe><a href="//evil.example">đi</a>'
    '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>'
)


def test_sanitiser_removes_scripts_handlers_and_bad_links():
    out = clean_html(NASTY)
    lowered = out.lower()
    for bad in ("<script", "alert(1)", "javascript:", "onerror", "onclick", "onmouseover",
                "<img", "<style", "<iframe", "evil.example", "data:"):  # fmt: skip
        assert bad not in lowered, bad
    assert "Xin chào" in out
    assert 'href="https://vca.org.vn"' in out and "nofollow" in out


def test_plain_text_becomes_paragraphs():
    assert clean_html("Dòng một\ndòng hai\n\nĐoạn 5 < 6 hai") == (
        "<p>Dòng một<br>dòng hai</p><p>Đoạn 5 &lt; 6 hai</p>"
    )


def test_officer_writes_case_of_own_province_only(world):
    case = make_case(world.orgs["a1"], actor=world.users["officer_a"], publish=False)
    assert case.province_id == "04" and case.themes == "|ecommerce|traceability|"
    before = ModelCase.objects.count()
    with pytest.raises(ServiceError) as err:
        services.case_save(
            actor=world.users["officer_b"], organisation=world.orgs["a1"], data=case_data()
        )
    assert err.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError) as err:
        services.case_save(actor=world.users["officer_b"], case=case, data=case_data(title="Sửa"))
    assert err.value.kind is Kind.NOT_FOUND
    for key in ("viewer_a", "manager_a1", "member_a1", "buyer"):
        with pytest.raises(ServiceError):
            services.case_save(
                actor=world.users[key], organisation=world.orgs["a1"], data=case_data()
            )
    assert ModelCase.objects.count() == before
    case.refresh_from_db()
    assert case.title == "Cà phê Ea Tu bán trực tuyến"


def test_case_text_is_sanitised_and_search_text_folded(world):
    case = make_case(world.orgs["a1"], what_done=NASTY)
    assert "<script" not in case.what_done and "javascript:" not in case.what_done
    assert "ca phe ea tu" in case.search_text and "hop giang" in case.search_text


def test_contact_consent_is_recorded_with_who_and_when(world):
    officer = world.users["officer_a"]
    case = make_case(world.orgs["a1"], actor=officer, publish=False, contact_consent=True)
    assert case.contact_consent and case.contact_consent_by == officer
    assert case.contact_consent_at is not None and case.contact_consent_notice
    assert case.shows_contact
    case = services.case_save(actor=officer, case=case, data=case_data(contact_consent=False))
    assert not case.shows_contact and case.contact_consent_by is None
    with pytest.raises(ServiceError):
        services.case_save(
            actor=officer, case=case, data=case_data(contact_name="", contact_consent=True)
        )


def test_registry_figures_are_labelled_and_idempotent(world):
    org = world.orgs["a1"]
    AnnualReport.objects.create(
        organisation=org, year=2025, status="accepted", members_official=57, revenue=3_200_000_000,
        charter_capital=1_500_000_000,
    )  # fmt: skip
    case = make_case(org, publish=False)
    made = services.case_figures_from_registry(actor=OPERATOR, case=case, year=2025)
    assert {f.registry_field for f in made} == {"members_official", "revenue", "charter_capital"}
    services.case_figures_from_registry(actor=OPERATOR, case=case, year=2025)
    assert CaseFigure.objects.filter(case=case, source="registry").count() == 3
    with pytest.raises(ServiceError) as err:
        services.case_figures_from_registry(actor=OPERATOR, case=case, year=2019)
    assert err.value.code == "no_registry_report"
    declared = services.case_figure_add(
        actor=OPERATOR, case=case, label="Giá bán", value=10, unit="%"
    )
    assert declared.source == "declared"
    with pytest.raises(ServiceError):
        services.case_figure_add(actor=OPERATOR, case=case, label="x", value=2**63, unit="")


def test_photo_that_is_not_an_image_is_refused_and_nothing_saved(world):
    case = make_case(world.orgs["a1"], publish=False)
    fake = SimpleUploadedFile("anh.jpg", b"<?php echo 1; ?>" * 20, content_type="image/jpeg")
    with pytest.raises(ServiceError) as err:
        services.case_photo_add(actor=OPERATOR, case=case, file=fake)
    assert err.value.code == "image_not_image"
    assert case.photos.count() == 0
    photo = services.case_photo_add(actor=OPERATOR, case=case, file=jpeg(), caption="Vườn")
    assert photo.width == 640 and photo.image.name.startswith("knowledge/cases/")


def test_article_scope_national_vca_only_and_officer_own_province(world):
    officer = world.users["officer_a"]
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=officer, data=article_data(province=""))
    assert err.value.kind is Kind.FORBIDDEN
    with pytest.raises(ServiceError):
        services.article_save(actor=officer, data=article_data(province="66"))
    mine = services.article_save(actor=officer, data=article_data(province="04"))
    other = services.article_save(
        actor=world.users["officer_b"], data=article_data(province="66", title="Của Đắk Lắk")
    )
    count, audits = Article.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ServiceError) as err:
        services.article_save(
            actor=officer, article=other, data=article_data(province="66", title="Sửa trộm")
        )
    assert err.value.kind is Kind.NOT_FOUND
    # moving his own article to another province is refused too
    with pytest.raises(ServiceError):
        services.article_save(actor=officer, article=mine, data=article_data(province="66"))
    assert Article.objects.count() == count and AuditEvent.objects.count() == audits
    other.refresh_from_db()
    mine.refresh_from_db()
    assert other.title == "Của Đắk Lắk" and mine.province_id == "04"
    national = services.article_save(actor=world.users["vca"], data=article_data(province=""))
    assert national.province_id is None


def test_article_bad_input(world):
    vca = world.users["vca"]
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=vca, data=article_data(body="x" * 50_001))
    assert "body" in err.value.fields
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=vca, data=article_data(policy_links="javascript:alert(1)"))
    assert "policy_links" in err.value.fields
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=vca, data=article_data(course_url="ftp://x"))
    assert "course_url" in err.value.fields
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=vca, data=article_data(kind="blog"))
    assert "kind" in err.value.fields
    bad = SimpleUploadedFile("a.png", b"GIF89a" + b"\0" * 100, content_type="image/png")
    count = Article.objects.count()
    with pytest.raises(ServiceError) as err:
        services.article_save(actor=vca, data=article_data(), cover=bad)
    assert err.value.code.startswith("image_") and Article.objects.count() == count


def test_guide_steps_publish_and_schedule(world):
    vca = world.users["vca"]
    guide = services.article_save(actor=vca, data=article_data(body=""))
    with pytest.raises(ServiceError) as err:
        services.article_set_status(actor=vca, article=guide, status="published")
    assert err.value.code == "guide_empty"
    services.step_add(
        actor=vca,
        article=guide,
        title="Mở trang Bán hàng",
        text_="<script>x</script>Bấm",
        image=jpeg(),
    )
    step2 = services.step_add(actor=vca, article=guide, title="Mở gian hàng")
    assert [s.position for s in guide.steps.all()] == [1, 2]
    assert "<script" not in GuideStep.objects.get(position=1, article=guide).text
    services.step_delete(actor=vca, step=GuideStep.objects.get(position=1, article=guide))
    step2.refresh_from_db()
    assert step2.position == 1
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(ServiceError) as err:
        services.article_set_status(
            actor=vca, article=guide, status="scheduled", publish_at=timezone.now()
        )
    assert err.value.code == "schedule_in_past"
    later = timezone.now() + dt.timedelta(days=1)
    guide = services.article_set_status(
        actor=vca, article=guide, status="scheduled", publish_at=later
    )
    assert not guide.is_public
    guide = services.article_set_status(actor=vca, article=guide, status="published")
    assert guide.is_public
    news = make_article(kind="news", title="Tin")
    with pytest.raises(ServiceError) as err:
        services.step_add(actor=vca, article=news, title="Bước")
    assert err.value.code == "not_a_guide"
