"""Permission-test samples of completion and certificates (read by
tests/permissions/samples.py).

The sample course is Cao Bằng's (04), taught by ``trainer``; member_a1 (of a1) completed
it and holds the sample certificate.  For the list checks, manager_b1 (of b1) holds a
certificate of a Đắk Lắk (66) course; the certificates' course titles (frozen at issue)
and the participants' names carry the organisations' markers, the courses' current titles
do not (the trainer rightly sees the course they teach).
"""

from __future__ import annotations


def _certificate(w, key: str):
    from htxso.core.actors import OPERATOR
    from htxso.training import services_certificates as svc
    from htxso.training.models import Certificate, Course
    from tests.permissions.perm_samples_lists import TAG
    from tests.training.certificates.helpers import enrol, make_course

    code = f"perm-cert-{key}"
    course = Course.objects.filter(code=code).first()
    if course is None:
        province = "04" if key == "a1" else "66"
        course = make_course(
            province=province,
            trainer=w.users["trainer"] if key == "a1" else None,
            title=f"Khoá kỹ năng số {TAG[key]}",
        )
        Course.objects.filter(pk=course.pk).update(code=code)
        course.refresh_from_db()
        user = w.users["member_a1" if key == "a1" else "manager_b1"]
        e = enrol(course, f"Học viên {TAG[key]}", user=user, organisation=w.orgs[key], attended=4)
        svc.complete(actor=OPERATOR, course=course, enrolments=[e])
        # the certificate keeps the title it was issued with (its marker: the holder's
        # list must show it); the course is then renamed without one, since its trainer
        # rightly sees the course in their lists
        Course.objects.filter(pk=course.pk).update(title=f"Khoá kỹ năng số mẫu {key}")
    return Certificate.objects.get(enrolment__course=course)


def WORLD(w):
    _certificate(w, "a1")
    _certificate(w, "b1")


def _cert(w):
    return {"pk": _certificate(w, "a1").pk}


def _course(w):
    return {"pk": _certificate(w, "a1").enrolment.course_id}


def _enrolment(w):
    return {"pk": _certificate(w, "a1").enrolment_id}


SAMPLES = {
    "training:completion": lambda w: (_course(w), None),
    "training:completion_decide": lambda w: (_course(w), None),
    "training:result_record": lambda w: (_enrolment(w), None),
    "training:certificate_issue": lambda w: (_enrolment(w), None),
    "training:my_certificate": lambda w: (_enrolment(w), None),
    "training:certificate": lambda w: (_cert(w), None),
    "training:certificate_pdf": lambda w: (_cert(w), None),
    "training:certificate_jwt": lambda w: (_cert(w), None),
    "training:certificate_json": lambda w: (_cert(w), None),
    "training:certificate_revoke": lambda w: (_cert(w), None),
    "training:certificate_public": lambda w: ({"code": _certificate(w, "a1").code}, None),
}

API_SAMPLES = {
    "/api/v1/training/certificates/{certificate_id}": lambda w: {
        "certificate_id": _certificate(w, "a1").pk
    },
    "/api/v1/training/certificates/{certificate_id}/revoke": lambda w: {
        "certificate_id": _certificate(w, "a1").pk
    },
}
