"""Self-classification through HTTP and services: score, review, publish; scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import ClassificationScheme, ClassificationScore, ScoreStatus
from htxso.registry.services import classification as services

pytestmark = pytest.mark.django_db
YEAR = 2025


def as_user(client, world, key, english=True):
    user = world.users[key]
    if english and user.preferred_language != "en":
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    client.logout()
    client.force_login(user)
    return client


def tt01():
    return ClassificationScheme.objects.get(code="tt01-2020")


def test_schemes_are_shipped_by_the_migration():
    assert set(ClassificationScheme.objects.values_list("code", flat=True)) >= {
        "tt01-2020",
        "tt09-2017",
    }
    assert tt01().max_total == 100
    assert ClassificationScheme.objects.get(code="tt09-2017").max_total == 100


def test_applicable_schemes(world):
    a1 = world.orgs["a1"]
    assert [s.code for s in services.schemes_for(a1)] == ["tt01-2020"]
    a1.sector = "agriculture"
    assert [s.code for s in services.schemes_for(a1)] == ["tt09-2017", "tt01-2020"]
    assert services.schemes_for(world.orgs["a2"]) == []  # a cooperative group


def form_data(points, months=0, sanction=False, then="save"):
    data = {f"c_{k}": str(v) for k, v in points.items()}
    data.update({"months_suspended": str(months), "then": then})
    if sanction:
        data["had_sanction"] = "on"
    return data


FULL = {"F1": 7, "F2": 6, "F3": 11, "F4": 6, "G1": 8, "G2": 6, "G3": 6, "G4": 6, "G5": 4}
FULL.update({"M1": 8, "M2": 8, "M3": 8, "M4": 6, "M5": 6, "M6": 4})


def test_round_trip(client, world):
    a1 = world.orgs["a1"]
    edit = reverse(
        "registry:classification_edit",
        kwargs={"org_pk": a1.pk, "year": YEAR, "scheme": "tt01-2020"},
    )
    c = as_user(client, world, "manager_a1")
    page = c.get(edit)
    assert page.status_code == 200 and b"at most 7 points" in page.content
    assert b'id="running-total"' in page.content
    # points above a maximum: refused, nothing saved
    bad = c.post(edit, form_data({**FULL, "F1": 8}))
    assert bad.status_code == 200 and not ClassificationScore.objects.exists()
    assert b"less than or equal to 7" in bad.content
    # 79 points: fair; sent to the province
    points = {**FULL, "M6": 0, "M5": 0, "M4": 5}  # 100 - 4 - 6 - 1 = 89
    points["F3"] = 1  # 89 - 10 = 79
    response = c.post(edit, form_data(points, then="submit"))
    score = ClassificationScore.objects.get()
    assert response.status_code == 302
    assert (score.total, score.grade, score.status) == (79, "fair", ScoreStatus.SUBMITTED)
    detail = reverse("registry:classification_detail", kwargs={"pk": score.pk})
    review = reverse("registry:classification_review", kwargs={"pk": score.pk})
    publish = reverse("registry:classification_publish", kwargs={"pk": score.pk})
    # editing after submission is refused
    assert c.post(edit, form_data(FULL)).status_code == 409
    # other province: 404; viewer: 403; member: not yet published → 404
    assert as_user(client, world, "officer_b").get(detail).status_code == 404
    assert (
        as_user(client, world, "officer_b").post(review, {"decision": "reviewed"}).status_code
        == 404
    )
    assert as_user(client, world, "viewer_a").get(detail).status_code == 200
    assert (
        as_user(client, world, "viewer_a").post(review, {"decision": "reviewed"}).status_code == 403
    )
    assert as_user(client, world, "member_a1").get(detail).status_code == 404
    # the officer adjusts a point: a comment is required
    c = as_user(client, world, "officer_a")
    c.post(
        review, {"decision": "reviewed", **{f"c_{k}": v for k, v in {**points, "F3": 2}.items()}}
    )
    score.refresh_from_db()
    assert score.status == ScoreStatus.SUBMITTED and score.total == 79
    c.post(
        review,
        {
            "decision": "reviewed",
            "comment": "Kết quả SXKD <script>x</script>",
            **{f"c_{k}": v for k, v in {**points, "F3": 2}.items()},
        },
    )
    score.refresh_from_db()
    assert (score.total, score.grade, score.status) == (80, "good", ScoreStatus.REVIEWED)
    assert "&lt;script&gt;" in c.get(detail).content.decode()
    c.post(publish)
    score.refresh_from_db()
    assert score.status == ScoreStatus.PUBLISHED and score.published_at is not None
    # members see published results
    assert as_user(client, world, "member_a1").get(detail).status_code == 200
    actions = list(
        AuditEvent.objects.filter(object_id=str(score.pk), action__startswith="classification.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "classification.save",
        "classification.submit",
        "classification.review",
        "classification.publish",
    ]


def test_return_and_resubmit(world):
    score = services.classification_save(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        scheme=tt01(),
        year=YEAR,
        points={"F1": 5},
    )
    services.classification_submit(actor=world.users["manager_a1"], score=score)
    with pytest.raises(ValidationError):
        services.classification_review(
            actor=world.users["officer_a"], score=score, decision="return"
        )
    score = services.classification_review(
        actor=world.users["officer_a"], score=score, decision="return", comment="Thiếu minh chứng"
    )
    assert score.status == ScoreStatus.RETURNED
    score = services.classification_save(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        scheme=tt01(),
        year=YEAR,
        points={"F1": 6},
    )
    assert score.total == 6 and score.status == ScoreStatus.RETURNED
    services.classification_submit(actor=world.users["manager_a1"], score=score)
    with pytest.raises(ValidationError):
        services.classification_publish(actor=world.users["officer_a"], score=score)


def test_not_graded_and_sanction(world):
    a1 = world.orgs["a1"]
    a1.established_on = dt.date(YEAR, 3, 1)
    a1.sector = "agriculture"
    a1.save()
    score = services.classification_save(
        actor=world.users["manager_a1"], organisation=a1, scheme=tt01(), year=YEAR, points=FULL
    )
    assert (
        score.grade == "not_graded" and score.not_graded_reason == "operating_less_than_12_months"
    )
    a1.established_on = dt.date(2020, 1, 1)
    a1.save()
    score = services.classification_save(
        actor=world.users["manager_a1"],
        organisation=a1,
        scheme=tt01(),
        year=YEAR,
        points=FULL,
        months_suspended=4,
    )
    assert score.grade == "not_graded" and score.not_graded_reason == "suspended_more_than_3_months"
    assert services.months_suspended_of(score) == 4
    tt09 = ClassificationScheme.objects.get(code="tt09-2017")
    full09 = {c["code"]: c["max_points"] for c in tt09.criteria}
    score = services.classification_save(
        actor=world.users["manager_a1"],
        organisation=a1,
        scheme=tt09,
        year=YEAR,
        points=full09,
        had_sanction=True,
    )
    assert (score.total, score.grade) == (100, "weak")


def test_scope_of_services(world):
    with pytest.raises(ServiceError) as err:
        services.classification_save(
            actor=world.users["manager_b1"],
            organisation=world.orgs["a1"],
            scheme=tt01(),
            year=YEAR,
            points={},
        )
    assert err.value.kind is Kind.FORBIDDEN
    with pytest.raises(ValidationError):
        services.classification_save(
            actor=world.users["manager_a1"],
            organisation=world.orgs["a1"],
            scheme=tt01(),
            year=dt.date.today().year + 1,
            points={},
        )
    score = services.classification_save(
        actor=world.users["manager_a1"],
        organisation=world.orgs["a1"],
        scheme=tt01(),
        year=YEAR,
        points={},
    )
    services.classification_submit(actor=world.users["manager_a1"], score=score)
    # the officer of another province may not even see the score: refused as not found
    with pytest.raises(ServiceError) as err:
        services.classification_review(
            actor=world.users["officer_b"], score=score, decision="reviewed"
        )
    assert err.value.kind is Kind.NOT_FOUND
    # the manager may see it but not review or publish it
    for act in (
        lambda: services.classification_review(
            actor=world.users["manager_a1"], score=score, decision="reviewed"
        ),
        lambda: services.classification_publish(actor=world.users["manager_a1"], score=score),
    ):
        with pytest.raises(ServiceError) as err:
            act()
        assert err.value.kind is Kind.FORBIDDEN
    score.refresh_from_db()
    assert score.status == ScoreStatus.SUBMITTED


def test_group_cannot_be_scored(client, world):
    a2 = world.orgs["a2"]
    from htxso.accounts import services as accounts

    accounts.role_assign(
        actor=OPERATOR, user=world.users["manager_a1"], role="coop_manager", organisation=a2
    )
    url = reverse(
        "registry:classification_edit",
        kwargs={"org_pk": a2.pk, "year": YEAR, "scheme": "tt01-2020"},
    )
    c = as_user(client, world, "manager_a1")
    assert b"does not apply" in c.get(url).content
    assert c.post(url, form_data(FULL)).status_code == 409


def test_queue_and_detail_query_counts(client, world, django_assert_max_num_queries):
    from htxso.registry.models import Organisation

    scheme = tt01()
    for i in range(20):
        o = Organisation.objects.create(kind="group", name=f"Tổ {i}", province_id="04")
        ClassificationScore.objects.create(organisation=o, scheme=scheme, year=YEAR, total=50 + i)
    c = as_user(client, world, "officer_a")
    with django_assert_max_num_queries(9):
        page = c.get(reverse("registry:classification_queue"), {"year": YEAR})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 20
    score = ClassificationScore.objects.first()
    with django_assert_max_num_queries(8):
        assert (
            c.get(reverse("registry:classification_detail", kwargs={"pk": score.pk})).status_code
            == 200
        )
