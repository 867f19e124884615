"""Permission-test samples of the courses part of training (tests/permissions/samples.py).

The sample course is open, in Cao Bằng (04), taught by ``trainer``; ``member_a1`` enrolled
in it (organisation a1).  For the leak lists, a draft course of each side carries the
markers of a1 (Cao Bằng) and b1 (Đắk Lắk) in its title and has no trainer.
"""

from __future__ import annotations

import datetime as dt

SAMPLE_TITLE = "Khoá mẫu kỹ năng số"


def sample_course(w):
    from htxso.core.actors import OPERATOR
    from htxso.training import services_courses as svc
    from htxso.training.models import Course

    found = Course.objects.filter(title=SAMPLE_TITLE).first()
    if found is not None:
        return found
    from django.utils import timezone

    course = svc.course_create(
        actor=OPERATOR,
        fields=svc.CourseFields(
            title=SAMPLE_TITLE, kind="digital_skills", audience="youth", province="04"
        ),
    )
    svc.module_add(actor=OPERATOR, course=course, title="Điện thoại", hours="4")
    day = timezone.localdate() + dt.timedelta(days=10)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
    svc.session_add(
        actor=OPERATOR,
        course=course,
        fields=svc.SessionFields(
            title="Buổi 1", starts_at=start, ends_at=start + dt.timedelta(hours=3), place="Xã"
        ),
    )
    svc.course_set_trainers(actor=OPERATOR, course=course, trainers=[w.users["trainer"]])
    svc.course_set_status(actor=OPERATOR, course=course, status="open")
    course.refresh_from_db()
    return course


def sample_enrolment(w):
    from htxso.training import services_courses as svc
    from htxso.training.models import Enrolment

    course = sample_course(w)
    found = Enrolment.objects.filter(course=course, user=w.users["member_a1"]).first()
    return found or svc.enrol_self(
        actor=w.users["member_a1"], course=course, full_name="Thành viên mẫu", birth_year=1999
    )


def WORLD(w):
    from htxso.core.actors import OPERATOR
    from htxso.training import services_courses as svc
    from htxso.training.models import Course
    from tests.permissions.perm_samples_lists import TAG

    for key, province in (("a1", "04"), ("b1", "66")):
        title = f"Khoá {TAG[key]}"
        if not Course.objects.filter(title=title).exists():
            svc.course_create(
                actor=OPERATOR,
                fields=svc.CourseFields(
                    title=title, kind="other", audience="general", province=province
                ),
            )
    sample_enrolment(w)


def _course(w):
    return {"pk": sample_course(w).pk}


SAMPLES = {
    name: (lambda w: (_course(w), None))
    for name in (
        "training:public_course",
        "training:enrol",
        "training:enrol_members",
        "training:course_detail",
        "training:course_edit",
        "training:course_status",
        "training:module_add",
        "training:module_remove",
        "training:session_add",
        "training:session_remove",
        "training:course_trainers",
        "training:course_import",
        "training:course_import_confirm",
    )
}
SAMPLES["training:enrolment_withdraw"] = lambda w: ({"pk": sample_enrolment(w).pk}, None)

API_SAMPLES = {
    "/api/v1/training/courses/{course_id}": lambda w: {"course_id": sample_course(w).pk},
    "/api/v1/training/courses/{course_id}/enrol": lambda w: {"course_id": sample_course(w).pk},
}
