"""The training demo: three courses, store owners completing the Nghệ An course, a
duplicate waiting in Cao Bằng, nothing added in Đắk Lắk, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from htxso.core.actors import OPERATOR
from htxso.registry.models import Organisation, Person
from htxso.training.models import Attendance, Course, DuplicateCandidate, Enrolment
from htxso.training.selectors_counts import unique_people

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_training_demo():
    call_command("seed_demo", verbosity=0)
    daklak = Organisation.objects.filter(province_id="66").count()
    counts = (Person.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    tot = Course.objects.get(code="eu-tot-2026")
    assert tot.province_id is None and tot.sessions.count() == 3
    assert tot.trainers.filter(username="giangvien").exists()
    assert (
        tot.enrolments.filter(remote=True).exists() and tot.enrolments.filter(remote=False).exists()
    )
    assert not tot.enrolments.filter(person__organisation__isnull=False).exists()
    youth = Course.objects.get(code="cb-ky-nang-so-thanh-nien-2026")
    assert youth.province_id == "04"
    assert not youth.enrolments.filter(age_at_start__gte=35).exists()
    assert DuplicateCandidate.objects.filter(province_id="04", status="open").exists()
    store = Course.objects.get(code="na-mo-gian-hang-2026")
    done = store.enrolments.filter(status="completed")
    assert done.exists() and not done.filter(person__user__isnull=True).exists()
    owners = {e.person.user_id for e in done}
    from django.apps import apps

    Store = apps.get_model("market", "Store")
    assert Store.objects.filter(province_id="40", status="verified", owner_id__in=owners).exists()
    assert (
        unique_people(actor=OPERATOR)
        == Enrolment.objects.exclude(status="withdrawn").values("person").distinct().count()
    )

    call_command("seed_demo", verbosity=0)
    assert counts == (Person.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    assert Organisation.objects.filter(province_id="66").count() == daklak
