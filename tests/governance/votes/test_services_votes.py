"""The votes part's services: casting (open and secret), every refusal of the issue,
paper totals by two tellers, closing with the majority of the kind of matter, numbering
and publishing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.governance import selectors_votes as sel
from htxso.governance import services_votes as svc
from htxso.governance.models import Ballot, PaperTally, VoteRecord

from .conftest import attend, give_account

pytestmark = pytest.mark.django_db


def _code(call):
    with pytest.raises(ServiceError) as info:
        call()
    return info.value.code


def _snapshot():
    return (VoteRecord.objects.count(), Ballot.objects.count(), PaperTally.objects.count())


def test_open_vote_records_the_choice_and_no_ballot(hall):
    r = hall.resolution(secret=False)
    receipt = svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes")
    assert receipt.code is None
    record = VoteRecord.objects.get(resolution=r)
    assert record.choice == "yes"
    assert not Ballot.objects.exists()
    event = AuditEvent.objects.get(action="vote.cast")
    assert event.after["choice"] == "yes"


def test_secret_ballot_keeps_who_apart_from_what(hall):
    r = hall.resolution(secret=True)
    receipt = svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="no")
    assert receipt.code and len(sel.normalise_receipt(receipt.code)) == sel.RECEIPT_LENGTH
    record = VoteRecord.objects.get(resolution=r)
    assert record.choice == ""
    ballot = Ballot.objects.get(resolution=r)
    # open: the choice is sealed, never in clear on the row
    assert ballot.choice == "" and ballot.sealed is not None
    assert sel.unseal_choice(r.pk, ballot.receipt_hash, ballot.sealed) == "no"
    assert ballot.receipt_hash != receipt.code and receipt.code not in ballot.receipt_hash
    assert sel.receipt_counted(r, receipt.display.lower())
    assert not sel.receipt_counted(r, "AAAA-BBBB-CCCC")
    assert not sel.receipt_counted(r, "")
    event = AuditEvent.objects.get(action="vote.cast")
    assert "choice" not in event.after and "no" not in str(event.after.values())


def test_twice_is_refused_and_changes_nothing(hall):
    r = hall.resolution(secret=True)
    user = hall.world.users["member_a1"]
    svc.cast(actor=user, resolution=r, choice="yes")
    before = _snapshot()
    assert _code(lambda: svc.cast(actor=user, resolution=r, choice="no")) == "already_voted"
    assert _snapshot() == before


def test_after_close_is_refused(hall):
    r = hall.resolution()
    svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    before = _snapshot()
    code = _code(lambda: svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes"))
    assert code == "not_open" and _snapshot() == before


def test_closed_assembly_is_refused(hall):
    r = hall.resolution()
    hall.assembly.status = "closed"
    hall.assembly.save(update_fields=["status"])
    code = _code(lambda: svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes"))
    assert code == "not_open" and not VoteRecord.objects.exists()


def test_draft_is_refused(hall):
    r = hall.resolution(status="draft")
    code = _code(lambda: svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes"))
    assert code == "not_open"


def test_associate_is_refused(hall):
    user = give_account(hall.gov.members["a1_assoc_cap"], "assoc")
    r = hall.resolution(secret=True)
    before = _snapshot()
    assert _code(lambda: svc.cast(actor=user, resolution=r, choice="yes")) == "no_vote"
    assert _snapshot() == before


def test_member_of_another_cooperative_is_refused(hall):
    r = hall.resolution()
    code = _code(lambda: svc.cast(actor=hall.world.users["manager_b1"], resolution=r, choice="yes"))
    assert code == "not_found" and not VoteRecord.objects.exists()


def test_staff_without_membership_is_refused(hall):
    r = hall.resolution()
    code = _code(lambda: svc.cast(actor=hall.world.users["officer_a"], resolution=r, choice="yes"))
    assert code == "not_member"


def test_member_not_checked_in_is_refused(hall):
    user = give_account(hall.gov.members["a1_o3"], "o3")
    r = hall.resolution()
    assert _code(lambda: svc.cast(actor=user, resolution=r, choice="yes")) == "not_present"


def test_quorum_not_met_is_refused(hall):
    r = hall.resolution(quorum_met=False)
    code = _code(lambda: svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes"))
    assert code == "quorum_not_met" and not VoteRecord.objects.exists()


def test_bad_choice_is_refused(hall):
    r = hall.resolution()
    code = _code(lambda: svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="<b>"))
    assert code == "choice"


def test_open_refused_without_quorum(hall):
    hall.assembly.attendance.filter(membership__kind="official").exclude(
        membership=hall.gov.members["manager_a1"]
    ).delete()  # 1 of 5 present: under 50 %
    r = hall.resolution(status="draft")
    code = _code(lambda: svc.resolution_open(actor=hall.world.users["manager_a1"], resolution=r))
    assert code == "quorum_not_met"
    r.refresh_from_db()
    assert r.status == "draft" and r.majority is None


@pytest.mark.parametrize(
    ("matter", "pct", "inclusive"),
    [("charter", "65", True), ("dissolution", "65", True), ("other", "50", False)],
)
def test_open_copies_the_majority_of_the_kind_of_matter(hall, matter, pct, inclusive):
    r = hall.resolution(status="draft", matter=matter)
    r = svc.resolution_open(actor=hall.world.users["manager_a1"], resolution=r)
    assert r.status == "open" and r.quorum_met is True and r.quorum_present == 4
    assert r.majority == Decimal(pct) and r.majority_inclusive is inclusive
    assert "Điều" in r.majority_article


def test_member_may_not_open_or_close(hall):
    r = hall.resolution(status="draft")
    user = hall.world.users["member_a1"]
    assert _code(lambda: svc.resolution_open(actor=user, resolution=r)) == "forbidden"
    r2 = hall.resolution()
    assert _code(lambda: svc.resolution_close(actor=user, resolution=r2)) == "forbidden"


def test_results_hidden_until_closed_then_special_majority(hall):
    r = hall.resolution(secret=True, matter="charter")
    users = [hall.world.users["member_a1"], hall.world.users["manager_a1"]]
    users.append(give_account(hall.gov.members["a1_o1"], "o1"))
    for user, choice in zip(users, ["yes", "yes", "yes"], strict=True):
        svc.cast(actor=user, resolution=r, choice=choice)
    assert sel.results(r) is None  # for everyone, the chair included
    assert sel.turnout(r) == 3
    r = svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    res = sel.results(r)
    # 3 of the 4 present with a vote = 75 % ≥ 65 %
    assert (res.yes, res.no, res.voters_present, res.passed) == (3, 0, 4, True)
    assert res.online.yes == 3 and res.paper is None


def test_ordinary_majority_is_more_than_half_of_those_present(hall):
    r = hall.resolution(secret=False, matter="other")
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes")
    svc.cast(actor=hall.world.users["manager_a1"], resolution=r, choice="yes")
    r = svc.resolution_close(actor=hall.world.users["manager_a1"], resolution=r)
    # 2 of 4 present = 50 %, not more than 50 %
    assert r.passed is False and sel.results(r).yes_pct == Decimal("50.00")


def test_passes_edges():
    assert sel.passes(13, 20, Decimal(65), True)
    assert not sel.passes(12, 20, Decimal(65), True)
    assert not sel.passes(10, 20, Decimal(50), False)
    assert sel.passes(11, 20, Decimal(50), False)
    assert not sel.passes(0, 0, Decimal(50), False)


def _paper(hall, r, **kw):
    values = {"yes": 1, "no": 0, "abstain": 0, "invalid": 0, "ballots_issued": 1}
    values |= {"teller_1": "Bà A", "teller_2": "Ông B"}
    values.update(kw)
    return svc.paper_enter(actor=hall.world.users["manager_a1"], resolution=r, **values)


def test_paper_totals_over_ballots_or_attendance_are_refused(hall):
    r = hall.resolution(secret=True)
    assert _code(lambda: _paper(hall, r, yes=3, ballots_issued=2)) == "paper_over_issued"
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes")
    # 4 present with a vote, 1 voted online: 4 paper ballots is one too many
    assert _code(lambda: _paper(hall, r, yes=4, ballots_issued=4)) == "paper_over_attendance"
    assert _code(lambda: _paper(hall, r, yes=-1)) == "invalid"
    assert _code(lambda: _paper(hall, r, yes=2**63)) == "invalid"
    assert _code(lambda: _paper(hall, r, teller_2="bà a")) == "invalid"
    assert not PaperTally.objects.exists()


def test_paper_needs_a_second_person_and_is_shown_apart(hall):
    r = hall.resolution(secret=True, matter="other")
    svc.cast(actor=hall.world.users["member_a1"], resolution=r, choice="yes")
    _paper(hall, r, yes=2, no=1, ballots_issued=3)
    manager = hall.world.users["manager_a1"]
    assert _code(lambda: svc.resolution_close(actor=manager, resolution=r)) == "paper_unconfirmed"
    assert _code(lambda: svc.paper_confirm(actor=manager, resolution=r)) == "same_teller"
    svc.paper_confirm(actor=hall.world.users["vca"], resolution=r)
    r = svc.resolution_close(actor=manager, resolution=r)
    res = sel.results(r)
    assert (res.online.yes, res.paper.yes, res.paper.no, res.yes, res.no) == (1, 2, 1, 3, 1)
    assert res.passed is True  # 3 of 4 > 50 %


def test_publish_numbers_in_order_and_refuses_a_rejected_one(hall):
    manager = hall.world.users["manager_a1"]
    voters = [
        hall.world.users["member_a1"],
        manager,
        give_account(hall.gov.members["a1_o1"], "o1"),
    ]
    numbers = []
    for _ in range(2):
        r = hall.resolution(secret=False)
        for user in voters:
            svc.cast(actor=user, resolution=r, choice="yes")
        r = svc.resolution_close(actor=manager, resolution=r)
        r = svc.resolution_publish(actor=manager, resolution=r)
        numbers.append(r.number)
    assert numbers == ["01/2026/NQ-ĐHTV", "02/2026/NQ-ĐHTV"]
    assert _code(lambda: svc.resolution_publish(actor=manager, resolution=r)) == "already_published"
    rejected = svc.resolution_close(actor=manager, resolution=hall.resolution())
    assert (
        _code(lambda: svc.resolution_publish(actor=manager, resolution=rejected)) == "not_adopted"
    )
    assert r.disclosures.filter(kind="resolution").exists()


def test_delegate_assembly_only_delegates_vote(world, gov):
    from .conftest import open_assembly

    assembly = open_assembly(world)
    assembly.is_delegate = True
    assembly.save(update_fields=["is_delegate"])
    # member_a1 checked in but not a delegate: the check-in fixed may_vote=False
    attend(assembly, gov.members["member_a1"], may_vote=False, by=world.users["manager_a1"])
    attend(assembly, gov.members["manager_a1"], by=world.users["manager_a1"])
    from .conftest import Hall

    h = Hall(assembly=assembly, gov=gov, world=world)
    r = h.resolution()
    code = _code(lambda: svc.cast(actor=world.users["member_a1"], resolution=r, choice="yes"))
    assert code == "no_vote"


def test_open_for_lists_only_what_the_user_may_still_vote(hall):
    r = hall.resolution(secret=True)
    hall.resolution(status="draft")
    member = hall.world.users["member_a1"]
    assert sel.open_for(member) == [r]
    assert sel.open_for(hall.world.users["manager_b1"]) == []
    assert sel.open_for(hall.world.users["officer_a"]) == []
    svc.cast(actor=member, resolution=r, choice="abstain")
    assert sel.open_for(member) == []


def test_the_assembly_does_not_close_while_a_vote_is_open(hall):
    from htxso.governance import services_assemblies

    r = hall.resolution(secret=True)
    manager = hall.world.users["manager_a1"]
    code = _code(lambda: services_assemblies.close_assembly(actor=manager, assembly=hall.assembly))
    hall.assembly.refresh_from_db()
    assert code == "votes_open" and hall.assembly.status == "open"
    svc.resolution_close(actor=manager, resolution=r)
    closed = services_assemblies.close_assembly(actor=manager, assembly=hall.assembly)
    assert closed.status in ("closed", "adjourned")
