"""Permission-test samples of the people part of training (read by
tests/permissions/samples.py): a likely duplicate pair in Cao Bằng (04, a1's people) and
one in Đắk Lắk (66, b1's), whose names carry the leak markers."""

from __future__ import annotations


def _candidate(w, key: str):
    from htxso.core.actors import OPERATOR
    from htxso.registry.models import Person
    from htxso.training.models import DuplicateCandidate
    from htxso.training.people import record_candidate
    from tests.permissions.perm_samples_lists import TAG

    org = w.orgs[key]
    name = f"Học viên Trùng {TAG[key]}"
    pair = list(Person.objects.filter(full_name=name, organisation=org).order_by("pk")[:2])
    while len(pair) < 2:
        p = Person(full_name=name, organisation=org, birth_year=1995)
        p.save()
        pair.append(p)
    found = DuplicateCandidate.objects.filter(first=pair[0], second=pair[1]).first()
    return found or record_candidate(
        actor=OPERATOR, a=pair[0], b=pair[1], reason="same_name_year", province=org.province_id
    )


def WORLD(w):
    _candidate(w, "a1")
    _candidate(w, "b1")


def _pk(w):
    return {"pk": _candidate(w, "a1").pk}


SAMPLES = {
    "training:duplicate": lambda w: (_pk(w), None),
    "training:duplicate_decide": lambda w: (_pk(w), None),
}


API_SAMPLES = {
    "/api/v1/training/duplicates/{candidate_id}/decide": lambda w: {
        "candidate_id": _candidate(w, "a1").pk
    },
}
