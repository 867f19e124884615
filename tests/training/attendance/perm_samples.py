"""Permission-test samples of attendance (read by tests/permissions/samples.py).

The sample course is Cao Bằng's (04), taught by ``trainer``; its session runs now with
check-in open; one participant (``norole``) checked in.  The lists' world adds a session
tomorrow in Cao Bằng (marker a1) and one in Đắk Lắk (marker b1), taught by nobody.
"""

from __future__ import annotations

import datetime as dt

#: A code shaped like one, of no session: the check-in page answers its precise refusal.
NO_CODE = "1.1.abcdefghij." + "A" * 43


def _sample(w):
    cached = getattr(w, "_attendance_sample", None)
    if cached:
        return cached
    from django.utils import timezone

    from htxso.core.actors import OPERATOR
    from htxso.registry.models import Person
    from htxso.training import services_attendance as services
    from htxso.training.models import Course, CourseSession, Enrolment

    course = Course.objects.create(
        code="att-mau-cb",
        title="Kỹ năng số mẫu (điểm danh)",
        kind="digital_skills",
        audience="youth",
        province_id="04",
        status="running",
    )
    course.trainers.add(w.users["trainer"])
    start = timezone.now() - dt.timedelta(minutes=5)
    session = CourseSession.objects.create(
        course=course,
        title="Buổi mẫu",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        mode="in_person",
    )
    person = Person.objects.create(full_name="Học viên mẫu", birth_year=2001)
    enrolment = Enrolment.objects.create(
        course=course, person=person, user=w.users["norole"], source="staff", remote=True
    )
    services.checkin_open(session, actor=OPERATOR)
    attendance = services.roster_checkin(session, actor=OPERATOR, enrolment_id=enrolment.pk)
    token = services.online_link_issue(enrolment, actor=OPERATOR)
    w._attendance_sample = (course, session, enrolment, attendance.attendance, token)
    return w._attendance_sample


def _session(w):
    return {"pk": _sample(w)[1].pk}, None


def WORLD(w):
    from django.utils import timezone

    from htxso.training.models import Course, CourseSession
    from tests.permissions.perm_samples_lists import TAG

    start = timezone.now() + dt.timedelta(days=1)
    for key, province in (("a1", "04"), ("b1", "66")):
        course = Course.objects.create(
            code=f"att-list-{key}",
            title=f"Khóa {TAG[key]}",
            kind="digital_skills",
            audience="members",
            province_id=province,
            status="open",
        )
        CourseSession.objects.create(
            course=course,
            title=f"Buổi {TAG[key]}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            mode="in_person",
        )


SAMPLES = {
    "training:attendance_session": _session,
    "training:attendance_code": _session,
    "training:attendance_open": _session,
    "training:attendance_close": _session,
    "training:attendance_roster": _session,
    "training:attendance_undo": lambda w: (
        {"pk": _sample(w)[1].pk, "attendance": _sample(w)[3].pk},
        None,
    ),
    "training:attendance_course": lambda w: ({"pk": _sample(w)[0].pk}, None),
    "training:attendance_online_link": lambda w: ({"pk": _sample(w)[2].pk}, None),
    "training:attendance_online": lambda w: ({"token": _sample(w)[4]}, None),
    "training:attendance_checkin": lambda w: ({"token": NO_CODE}, None),
}

API_SAMPLES = {
    "/api/v1/training/sessions/{session_id}/attendance": lambda w: {"session_id": _sample(w)[1].pk},
    "/api/v1/training/sessions/{session_id}/attendance/batch": lambda w: {
        "session_id": _sample(w)[1].pk
    },
}
