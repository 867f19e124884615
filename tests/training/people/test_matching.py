"""find_or_create_person: CCCD first, then name + year + phone, else a new person with
likely duplicates noted for review."""

from __future__ import annotations

import pytest

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import Person
from htxso.training.models import DuplicateCandidate
from htxso.training.people import find_or_create_person, near_names

from .helpers import ACTOR

pytestmark = pytest.mark.django_db


def find(**kw):
    return find_or_create_person(actor=ACTOR, **kw)


def test_citizen_id_finds_the_same_person_whatever_else_differs(world):
    a = find(full_name="Trần Thị Bình", citizen_id="001 190 012 345", birth_year=1990)
    b = find(full_name="tran thi binh", citizen_id="001190012345", phone="0912 345 678")
    assert a.pk == b.pk
    b.refresh_from_db()
    assert b.phone == "+84912345678"  # a missing detail is filled in, never overwritten
    assert b.organisation_id is None  # no cooperative: a trainee met only in training
    assert Person.objects.count() == 1
    assert not DuplicateCandidate.objects.exists()


@pytest.mark.parametrize("bad", ["12345", "00119001234x", "0011900123456"])
def test_a_citizen_id_must_have_12_digits(world, bad):
    with pytest.raises(ServiceError) as exc:
        find(full_name="Trần Thị Bình", citizen_id=bad)
    assert exc.value.code == "citizen_id_invalid"
    assert not Person.objects.exists()


def test_a_citizen_id_under_another_name_is_refused(world):
    find(full_name="Trần Thị Bình", citizen_id="001190012345")
    with pytest.raises(ServiceError) as exc:
        find(full_name="Lê Văn Cường", citizen_id="001190012345")
    assert exc.value.code == "citizen_id_other_name"
    assert Person.objects.count() == 1


def test_name_year_and_phone_find_the_same_person(world):
    a = find(full_name="Nguyễn Văn An", birth_year=1990, phone="0912 345 678")
    b = find(full_name="  nguyen  VAN an ", birth_year=1990, phone="+84 912 345 678")
    c = find(
        full_name="Nguyễn Văn An",
        birth_date=__import__("datetime").date(1990, 5, 1),
        phone="84912345678",
    )
    assert a.pk == b.pk == c.pk
    c.refresh_from_db()
    assert c.birth_date is not None and c.birth_year == 1990
    assert not DuplicateCandidate.objects.exists()


def test_accent_and_spacing_variants_with_another_phone_are_flagged_once(world):
    a = find(full_name="Nguyễn  Văn A", birth_year=1995, phone="0912 000 001")
    b = find(full_name="nguyen van a", birth_year=1995, phone="0987 000 002")
    assert a.pk != b.pk
    cand = DuplicateCandidate.objects.get()
    assert (cand.first_id, cand.second_id) == (a.pk, b.pk)  # ordered pair
    assert cand.reason == "same_name_year"
    assert cand.status == "open"
    assert AuditEvent.objects.filter(action="training.duplicate_found").count() == 1
    # the same participant again (exact match on b): no new person, no new candidate
    again = find(full_name="Nguyễn Văn A", birth_year=1995, phone="0987000002")
    assert again.pk == b.pk
    assert DuplicateCandidate.objects.count() == 1


def test_missing_phone_is_flagged(world):
    a = find(full_name="Hoàng Thị Mai", birth_year=2001, phone="0912 000 003")
    b = find(full_name="HOÀNG THỊ MAI", birth_year=2001)
    assert a.pk != b.pk
    assert DuplicateCandidate.objects.get().reason == "same_name_year"


def test_same_phone_and_year_with_a_near_name_is_flagged(world):
    a = find(full_name="Nguyễn Văn Anh", birth_year=1988, phone="0912 000 004")
    b = find(full_name="Nguyen Van An", birth_year=1988, phone="0912000004")
    assert a.pk != b.pk
    assert DuplicateCandidate.objects.get().reason == "same_phone_year_near_name"
    # a household sharing a phone: another name is not a duplicate
    find(full_name="Phạm Thị Hoa", birth_year=1988, phone="0912000004")
    assert DuplicateCandidate.objects.count() == 1


def test_two_different_citizen_ids_are_two_people_not_a_candidate(world):
    find(full_name="Lò Văn Páo", birth_year=1999, citizen_id="004199000001")
    find(full_name="Lò Văn Páo", birth_year=1999, citizen_id="004199000002")
    assert Person.objects.count() == 2
    assert not DuplicateCandidate.objects.exists()


def test_candidate_goes_to_the_course_province(world):
    find(full_name="Vi Thị Lan", birth_year=2000, phone="0912 000 005", province="04")
    find(full_name="Vi Thi Lan", birth_year=2000, province="04")
    assert DuplicateCandidate.objects.get().province_id == "04"


@pytest.mark.parametrize(
    "kw,code",
    [
        ({"full_name": "  "}, "name_required"),
        ({"full_name": "A", "phone": "+1 202 555 0100"}, "phone_foreign"),
        ({"full_name": "A", "phone": "12"}, "phone_invalid"),
        ({"full_name": "A", "birth_year": 1800}, "birth_year_invalid"),
        ({"full_name": "A", "birth_year": 3000}, "birth_year_invalid"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, kw, code):
    with pytest.raises(ServiceError) as exc:
        find(**kw)
    assert exc.value.code == code
    assert not Person.objects.exists()


def test_a_users_own_person_is_reused(world):
    user = world.users["member_a1"]
    mine = find(full_name="Người dùng member_a1", user=user, birth_year=1990)
    assert find(full_name="Tên khác", user=user).pk == mine.pk


def test_near_names():
    assert near_names("nguyen van an", "nguyen van anh")
    assert near_names("van an nguyen", "nguyen van an")
    assert not near_names("nguyen van an", "pham thi hoa")
