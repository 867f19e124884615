"""Permission-test samples of the votes part (read by tests/permissions/samples.py).

The sample resolution is a secret ballot, open, on a1's sample assembly (Cao Bằng, in
session: tests/governance/assemblies/perm_samples.py), where member_a1 and manager_a1 are
official members checked in with a vote.  b1 (Đắk Lắk) has a draft resolution on its
announced assembly (for the leak check).  Titles carry the lists' markers.
"""

from __future__ import annotations

TITLE = {"a1": "Nghị quyết HopGiangMau", "b1": "Nghị quyết EaTuMau"}


def _resolution(w, org_key: str):
    from django.utils import timezone

    from htxso.governance import selectors_votes as sel
    from htxso.governance.models import Attendance, Resolution
    from tests.governance.assemblies.perm_samples import _assembly, _member

    found = Resolution.objects.filter(title=TITLE[org_key]).first()
    if found:
        return found
    if org_key == "a1":
        assembly = _assembly(w, "a1", "open")
        for key in ("manager_a1", "member_a1"):
            Attendance.objects.get_or_create(
                assembly=assembly,
                membership=_member(w, "a1", key),
                defaults={
                    "channel": "online",
                    "may_vote": True,
                    "checked_in_by": w.users["manager_a1"],
                },
            )
    else:
        assembly = _assembly(w, "b1", "announced")
    r = Resolution.objects.create(
        assembly=assembly, title=TITLE[org_key], text="Nội dung mẫu.", matter="other", secret=True
    )
    if org_key == "a1":
        majority, inclusive, article = sel.majority_rule(r)
        Resolution.objects.filter(pk=r.pk).update(
            status="open",
            quorum_met=True,
            quorum_present=2,
            majority=majority,
            majority_inclusive=inclusive,
            majority_article=article,
            opened_at=timezone.now(),
        )
        r.refresh_from_db()
    return r


def _closed(w):
    """A closed vote of a1 (its result is readable): 2 of 2 present agreed."""
    from htxso.governance.models import Resolution

    title = "Nghị quyết HopGiangMau đã biểu quyết"
    found = Resolution.objects.filter(title=title).first()
    if found:
        return found
    opened = _resolution(w, "a1")
    return Resolution.objects.create(
        assembly=opened.assembly,
        title=title,
        text="Nội dung mẫu.",
        matter="other",
        status="closed",
        quorum_met=True,
        quorum_present=2,
        majority=opened.majority,
        majority_inclusive=opened.majority_inclusive,
        majority_article=opened.majority_article,
        voters_present=2,
        votes_yes=2,
        votes_no=0,
        votes_abstain=0,
        passed=True,
    )


def WORLD(w):
    _resolution(w, "a1")
    _closed(w)
    _resolution(w, "b1")


def _pk(w):
    return {"pk": _resolution(w, "a1").pk}


def _assembly_pk(w):
    return {"pk": _resolution(w, "a1").assembly_id}


SAMPLES = {
    "governance:assembly_votes": lambda w: (_assembly_pk(w), None),
    "governance:resolution_new": lambda w: (_assembly_pk(w), None),
    "governance:minutes_docx": lambda w: (_assembly_pk(w), None),
    "governance:resolution_detail": lambda w: (_pk(w), None),
    "governance:resolution_action": lambda w: (_pk(w), None),
    "governance:paper_tally": lambda w: (_pk(w), None),
    "governance:vote": lambda w: (_pk(w), None),
    "governance:receipt_check": lambda w: (_pk(w), None),
    "governance:resolution_docx": lambda w: (_pk(w), None),
}

API_SAMPLES = {
    f"/api/v1/governance/votes/{{resolution_id}}{tail}": (
        lambda w: {"resolution_id": _resolution(w, "a1").pk}
    )
    for tail in ("", "/cast", "/receipt")
}
API_SAMPLES["/api/v1/governance/votes/{resolution_id}/results"] = lambda w: {
    "resolution_id": _closed(w).pk
}
