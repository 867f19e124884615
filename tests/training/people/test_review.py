"""The review queue of likely duplicates: who sees it, merging, concurrency, bad ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import Person
from htxso.training.models import Attendance, CourseSession, DuplicateCandidate, Enrolment
from htxso.training.people import find_or_create_person, record_candidate
from htxso.training.selectors_counts import unique_people
from htxso.training.services_people import decide_duplicate

from .helpers import ACTOR, course, enrol, person

pytestmark = pytest.mark.django_db


def _session(c, day):
    start = timezone.make_aware(dt.datetime(2026, 3, day, 8))
    return CourseSession.objects.create(
        course=c,
        title=f"Buổi {day}",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        mode="in_person",
    )


def _pair(province="04"):
    a = find_or_create_person(
        actor=ACTOR,
        full_name="Nguyễn Văn An",
        birth_year=1996,
        phone="0912 000 011",
        citizen_id="004196000011",
        sex="male",
        province=province,
    )
    b = find_or_create_person(
        actor=ACTOR, full_name="nguyen van an", birth_year=1996, province=province
    )
    cand = DuplicateCandidate.objects.get(first=a, second=b)
    return a, b, cand


def test_merge_moves_enrolments_folds_the_conflicting_one_and_counts_once(world):
    a, b, cand = _pair()
    c1, c2 = course(), course()
    s1, s2 = _session(c1, 2), _session(c1, 3)
    e_a = enrol(c1, a, status="completed", age=29)
    e_b = enrol(c1, b, age=29, assessment_score=80)  # the same course twice
    enrol(c2, b, age=29)
    Attendance.objects.create(enrolment=e_a, session=s1, method="qr", checked_in_at=s1.starts_at)
    Attendance.objects.create(enrolment=e_b, session=s1, method="qr", checked_in_at=s1.starts_at)
    Attendance.objects.create(enrolment=e_b, session=s2, method="qr", checked_in_at=s2.starts_at)
    assert unique_people(actor=ACTOR) == 2

    kept = decide_duplicate(actor=world.users["officer_a"], candidate=cand, decision="same")

    assert kept.pk == a.pk  # the richer record (citizen id, phone, sex)
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert set(Enrolment.objects.filter(person=a).values_list("course_id", flat=True)) == {
        c1.pk,
        c2.pk,
    }
    assert not Enrolment.objects.filter(person=b).exists()
    stays = Enrolment.objects.get(person=a, course=c1)
    assert stays.pk == e_a.pk and stays.status == "completed"
    assert stays.assessment_score == 80  # filled from the folded enrolment
    assert set(stays.attendances.values_list("session_id", flat=True)) == {s1.pk, s2.pk}
    event = AuditEvent.objects.get(action="training.duplicate_merge")
    assert event.after["enrolments_folded"][0]["id"] == e_b.pk  # nothing lost: in the trail
    cand.refresh_from_db()
    assert cand.status == "merged" and cand.decided_by == world.users["officer_a"]
    assert unique_people(actor=ACTOR) == 1
    # a participant found again is the kept record
    again = find_or_create_person(actor=ACTOR, full_name="Nguyễn Văn An", birth_year=1996)
    assert again.pk != b.pk


def test_a_second_decision_is_refused_and_changes_nothing(world):
    _a, _b, cand = _pair()
    decide_duplicate(actor=world.users["vca"], candidate=cand, decision="same")
    before = (Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as exc:
        decide_duplicate(actor=world.users["officer_a"], candidate=cand, decision="different")
    assert exc.value.code == "already_decided"
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_when_the_merged_record_completed_the_course_its_enrolment_stays(world):
    a, b, cand = _pair()
    c1 = course()
    enrol(c1, a)
    e_b = enrol(c1, b, status="completed")
    decide_duplicate(actor=world.users["vca"], candidate=cand, decision="same")
    stays = Enrolment.objects.get(course=c1)
    assert stays.pk == e_b.pk and stays.person_id == a.pk


def test_different_people_keeps_both(world):
    a, b, cand = _pair()
    decide_duplicate(actor=world.users["officer_a"], candidate=cand, decision="different")
    cand.refresh_from_db()
    assert cand.status == "distinct"
    assert Person.objects.filter(merged_into__isnull=True).count() == 2
    # found again: the pair is not proposed twice
    record_candidate(actor=ACTOR, a=a, b=b, reason="same_name_year", province="04")
    assert DuplicateCandidate.objects.count() == 1


def test_another_provinces_officer_and_a_viewer_may_not_decide(world):
    _a, _b, cand = _pair()
    with pytest.raises(ServiceError) as exc:
        decide_duplicate(actor=world.users["officer_b"], candidate=cand, decision="same")
    assert exc.value.code == "not_found"
    with pytest.raises(ServiceError):
        decide_duplicate(actor=world.users["viewer_a"], candidate=cand, decision="same")
    cand.refresh_from_db()
    assert cand.status == "open"


def test_pages_side_by_side_and_decision(client, world):
    a, b, cand = _pair()
    client.force_login(world.users["officer_a"])
    page = client.get(reverse("training:duplicates"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "004196000011" in html and "0912 000 011" in html  # personal data to reviewers
    detail = client.get(reverse("training:duplicate", args=[cand.pk]))
    assert detail.status_code == 200
    bad = client.post(reverse("training:duplicate_decide", args=[cand.pk]), {"decision": "x"})
    assert bad.status_code == 400
    done = client.post(reverse("training:duplicate_decide", args=[cand.pk]), {"decision": "same"})
    assert done.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    again = client.post(reverse("training:duplicate_decide", args=[cand.pk]), {"decision": "same"})
    assert again.status_code == 302  # flash: already decided
    assert AuditEvent.objects.filter(action="training.duplicate_merge").count() == 1


def test_another_provinces_candidate_and_huge_ids_answer_404(client, world):
    _a, _b, cand = _pair(province="66")
    client.force_login(world.users["officer_a"])
    assert client.get(reverse("training:duplicate", args=[cand.pk])).status_code == 404
    post = client.post(reverse("training:duplicate_decide", args=[cand.pk]), {"decision": "same"})
    assert post.status_code == 404
    cand.refresh_from_db()
    assert cand.status == "open"
    assert cand.pk not in [
        r["cand"].pk for r in client.get(reverse("training:duplicates")).context["rows"]
    ]
    for huge in ("9223372036854775808", "99999999999999999999999"):
        assert client.get(f"/dao-tao/trung-lap/{huge}/").status_code == 404
        assert client.post(f"/dao-tao/trung-lap/{huge}/quyet-dinh/").status_code == 404


def test_a_person_without_organisation_is_seen_by_the_vca_only(world):
    p = person("Giảng Viên Tự Do")
    assert Person.policy.allows(world.users["vca"], "view", p)
    assert not Person.policy.allows(world.users["officer_a"], "view", p)
    assert not Person.policy.allows(world.users["manager_a1"], "view", p)


def test_review_province_tolerates_a_person_without_organisation(world):
    from htxso.privacy.services import review_province

    user = world.users["norole"]
    person("Người Không HTX", user=user)
    assert review_province(user) is None
