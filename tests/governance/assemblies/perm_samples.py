"""Permission-test samples of general assemblies (read by tests/permissions/samples.py).

The sample assembly is a1's (Cao Bằng), hybrid, open now, with an agenda item, a
document (a private PDF) and a petition; b1 (Đắk Lắk) has an announced assembly (for the
leak check).  manager_a1 and member_a1 are official members of a1 (their Person is linked
to their account: reused when another part made it first), manager_b1 of b1.  The
check-in URL carries member_a1's personal link.
"""

from __future__ import annotations

import datetime as dt

TITLE = {"a1": "Đại hội HopGiangMau", "b1": "Đại hội EaTuMau"}


def _member(w, org_key: str, user_key: str):
    from htxso.registry.models import Membership, Person

    user = w.users[user_key]
    org = w.orgs[org_key]
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            organisation=org, full_name=f"Thành viên {user_key}", user=user
        )
    m = Membership.objects.filter(organisation=org, person=person, left_on__isnull=True).first()
    return m or Membership.objects.create(
        organisation=org, person=person, kind="official", joined_on=dt.date(2020, 1, 1)
    )


def _assembly(w, org_key: str, status: str):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from htxso.governance.models import (
        AgendaItem,
        Assembly,
        AssemblyDocument,
        Petition,
        PetitionSignature,
    )

    found = Assembly.objects.filter(title=TITLE[org_key]).first()
    if found:
        return found
    manager = w.users[f"manager_{org_key}"]
    mgr_member = _member(w, org_key, f"manager_{org_key}")
    a = Assembly.objects.create(
        organisation=w.orgs[org_key],
        kind="annual",
        year=timezone.localdate().year - 1,
        mode="hybrid",
        title=TITLE[org_key],
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        place="Hội trường",
        online_link="https://meet.example.vn/mau",
        status=status,
        created_by=manager,
        voters_total=2 if status == "open" else None,
        opened_at=timezone.now() if status == "open" else None,
    )
    AgendaItem.objects.create(assembly=a, position=1, title="Báo cáo năm")
    doc = AssemblyDocument(assembly=a, title="Báo cáo tài chính", uploaded_by=manager)
    doc.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n%mau\n"), save=False)
    doc.save()
    p = Petition.objects.create(assembly=a, title="Thêm mục HopGiang", created_by=mgr_member)
    PetitionSignature.objects.create(petition=p, membership=mgr_member)
    return a


def WORLD(w):
    _member(w, "a1", "member_a1")
    _member(w, "b1", "manager_b1")
    _assembly(w, "a1", "open")
    _assembly(w, "b1", "announced")


def _a(w):
    return _assembly(w, "a1", "open")


def _pk(w):
    return {"pk": _a(w).pk}


def _doc(w):
    return {"pk": _a(w).documents.first().pk}


def _item(w):
    return {"pk": _a(w).agenda.first().pk}


def _petition(w):
    return {"pk": _a(w).petitions.first().pk}


def _token(w):
    from htxso.governance import checkin_assemblies as codes

    return {"token": codes.personal_token(_a(w).pk, _member(w, "a1", "member_a1").pk)}


SAMPLES = {
    "governance:assembly_detail": lambda w: (_pk(w), None),
    "governance:assembly_action": lambda w: (_pk(w), None),
    "governance:assembly_agenda_add": lambda w: (_pk(w), None),
    "governance:assembly_document_add": lambda w: (_pk(w), None),
    "governance:assembly_delegates": lambda w: (_pk(w), None),
    "governance:assembly_next_call": lambda w: (_pk(w), None),
    "governance:assembly_desk": lambda w: (_pk(w), None),
    "governance:assembly_hall": lambda w: (_pk(w), None),
    "governance:assembly_hall_code": lambda w: (_pk(w), None),
    "governance:assembly_quorum": lambda w: (_pk(w), None),
    "governance:assembly_petition_add": lambda w: (_pk(w), None),
    "governance:assembly_document": lambda w: (_doc(w), None),
    "governance:assembly_petition_sign": lambda w: (_petition(w), None),
    "governance:assembly_petition_answer": lambda w: (_petition(w), None),
    "governance:checkin": lambda w: (_token(w), None),
    "governance:assembly_edit": lambda w: (_pk(w), None),
    "governance:assembly_cancel": lambda w: (_pk(w), None),
    "governance:assembly_agenda_remove": lambda w: (_item(w), None),
    "governance:assembly_document_remove": lambda w: (_doc(w), None),
}

API_SAMPLES = {
    "/api/v1/governance/assemblies/{assembly_id}": lambda w: {"assembly_id": _a(w).pk},
    "/api/v1/governance/assemblies/{assembly_id}/attendance": lambda w: {"assembly_id": _a(w).pk},
}
