"""Every write of the votes part: draft a resolution, open the vote, cast, paper totals by
two tellers, close with the result, number and publish, archive the Word documents.

A secret ballot writes two rows that never meet: the :class:`VoteRecord` (who, no
choice) and the :class:`Ballot` (what, no member, no time, the hash of a receipt code
shown once).  Both are written by the same transaction, so the database itself pairs
them (PostgreSQL: the same ``xmin``, the same physical order; SQLite: the ``rowid``
order): while the vote is open the ballot's choice is therefore sealed
(``selectors_votes.seal_choice``).  The close unseals the ballots, deletes them and
writes them again shuffled, in clear, with new keys and re-keyed receipt hashes, in its
own transaction: afterwards no system column or order ties a ballot to a voter.  Only
the vote record is audited, and for a secret ballot its audit row carries no choice;
nothing is logged.
"""

from __future__ import annotations

import collections
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import Kind, ServiceError, conflict, not_found, refused
from htxso.core.forms import fits_int64

from . import selectors_votes as sel
from .models import (
    AgendaItem,
    Assembly,
    AssemblyStatus,
    Ballot,
    GovernanceRecord,
    GovernanceRecordKind,
    MatterKind,
    PaperTally,
    Resolution,
    ResolutionStatus,
    VoteChoice,
    VoteRecord,
)

ACTION_LABELS.update(
    {
        "resolution.create": gettext_lazy("Resolution drafted"),
        "resolution.open": gettext_lazy("Voting opened"),
        "resolution.close": gettext_lazy("Voting closed"),
        "resolution.publish": gettext_lazy("Resolution numbered and published"),
        "vote.cast": gettext_lazy("Vote cast"),
        "paper_tally.enter": gettext_lazy("Paper ballot totals entered"),
        "paper_tally.confirm": gettext_lazy("Paper ballot totals confirmed"),
        "governance_record.create": gettext_lazy("Minutes or resolution document archived"),
    }
)

#: The number of an adopted resolution: ``<n>/<year>/NQ-ĐHTV`` (Decree 30's "số/năm/ký hiệu").
NUMBER_SYMBOL = "NQ-ĐHTV"
#: Paper totals above this are typing mistakes (the largest cooperatives have 10,000).
PAPER_MAX = 1_000_000


@dataclass(frozen=True)
class Receipt:
    """What the voter is shown once: a code for a secret ballot, ``None`` for an open vote."""

    code: str | None

    @property
    def display(self) -> str:
        return sel.format_receipt(self.code) if self.code else ""


def _lock(resolution: Resolution) -> Resolution:
    return (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("assembly", "assembly__organisation")
        .get(pk=resolution.pk)
    )


def _require_change(*, actor: Actor, resolution: Resolution) -> None:
    Resolution.policy.require(actor, "change", resolution)


# --- drafting and opening --------------------------------------------------------------


@transaction.atomic
def resolution_create(
    *,
    actor: Actor,
    assembly: Assembly,
    title: str,
    text_: str,
    matter: str,
    secret: bool = False,
    agenda_item: AgendaItem | None = None,
) -> Resolution:
    """Draft a resolution of ``assembly``; its majority follows from ``matter``."""
    Assembly.policy.require(actor, "change", assembly)
    if assembly.status in (
        AssemblyStatus.CLOSED,
        AssemblyStatus.CANCELLED,
        AssemblyStatus.ADJOURNED,
    ):
        raise conflict(_("This assembly is over: no new resolution."), "assembly_over")
    errors = Errors()
    title = text(errors, "title", title, max_length=300, required=True)
    body = text(errors, "text", text_, max_length=10000, required=True, multiline=True)
    if matter not in MatterKind.values:
        errors.add("matter", gettext_lazy("Choose the kind of matter."), "matter")
    if agenda_item is not None and agenda_item.assembly_id != assembly.pk:
        errors.add("agenda_item", gettext_lazy("This item is not on this agenda."), "agenda")
    errors.raise_if_any()
    resolution = Resolution.objects.create(
        assembly=assembly,
        agenda_item=agenda_item,
        title=title,
        text=body,
        matter=matter,
        secret=bool(secret),
    )
    audit.record(
        actor=actor,
        action="resolution.create",
        instance=resolution,
        after={"title": title, "matter": matter, "secret": bool(secret)},
    )
    return resolution


@transaction.atomic
def resolution_open(*, actor: Actor, resolution: Resolution) -> Resolution:
    """Open the vote: the assembly must be in session and its quorum met now; the
    majority of the kind of matter in force that day is copied onto the resolution."""
    _require_change(actor=actor, resolution=resolution)
    resolution = _lock(resolution)
    if resolution.status != ResolutionStatus.DRAFT:
        raise conflict(_("This vote has already been opened."), "not_draft")
    assembly = resolution.assembly
    if assembly.status != AssemblyStatus.OPEN:
        raise conflict(_("The assembly is not in session."), "assembly_not_open")
    q = sel.quorum(assembly)
    if not q.met:
        raise conflict(
            _(
                "The quorum is not met (%(present)s of %(total)s members with a vote, "
                "%(required)s needed, %(article)s): the vote cannot open."
            ),
            "quorum_not_met",
            {"present": q.present, "total": q.total, "required": q.required, "article": q.article},
        )
    majority, inclusive, article = sel.majority_rule(resolution)
    resolution.status = ResolutionStatus.OPEN
    resolution.opened_at = timezone.now()
    resolution.quorum_present = q.present
    resolution.quorum_met = True
    resolution.majority = majority
    resolution.majority_inclusive = inclusive
    resolution.majority_article = article
    resolution.save(
        update_fields=[
            "status",
            "opened_at",
            "quorum_present",
            "quorum_met",
            "majority",
            "majority_inclusive",
            "majority_article",
        ]
    )
    audit.record(
        actor=actor,
        action="resolution.open",
        instance=resolution,
        after={"majority": str(majority), "inclusive": inclusive, "quorum_present": q.present},
    )
    return resolution


# --- casting -----------------------------------------------------------------------------


def _new_receipt() -> str:
    return "".join(secrets.choice(sel.RECEIPT_ALPHABET) for _ in range(sel.RECEIPT_LENGTH))


def cast(*, actor: Actor, resolution: Resolution, choice: str) -> Receipt:
    """One member's vote.  Refused: not open, quorum not met at opening, not an active
    member of the cooperative, an associate, not attending with a vote, twice.  A secret
    ballot returns the receipt code (shown once, only its hash is kept)."""
    if isinstance(actor, SystemActor) or not getattr(actor, "is_authenticated", False):
        raise refused(_("Only a member votes, for themself."), "no_vote")
    if choice not in VoteChoice.values:
        raise ServiceError("choice", _("Choose agree, disagree or no opinion."))
    if not Resolution.policy.allows(actor, "view", resolution):
        raise not_found(_("Not found."))
    with transaction.atomic():
        resolution = _lock(resolution)
        if (
            resolution.status != ResolutionStatus.OPEN
            or resolution.assembly.status != AssemblyStatus.OPEN
        ):
            raise conflict(_("Voting on this resolution is not open."), "not_open")
        if resolution.quorum_met is not True:
            raise conflict(_("The quorum was not met when the vote opened."), "quorum_not_met")
        membership = sel.membership_of(actor, resolution.organisation_id)
        if membership is None:
            raise refused(_("Only a member of this cooperative votes."), "not_member")
        attendance = sel.attendance_of(resolution.assembly, membership)
        if membership.kind != "official" or (attendance is not None and not attendance.may_vote):
            raise refused(_("Associate members attend and speak but do not vote."), "no_vote")
        if attendance is None:
            raise refused(
                _("Check in at the assembly first: only members present vote."), "not_present"
            )
        try:
            with transaction.atomic():
                record = VoteRecord.objects.create(
                    resolution=resolution,
                    membership=membership,
                    choice="" if resolution.secret else choice,
                )
        except IntegrityError:
            raise conflict(
                _("You have already voted on this resolution."), "already_voted"
            ) from None
        code: str | None = None
        if resolution.secret:
            code = _new_receipt()
            hashed = sel.receipt_hash(code)
            # sealed: this row shares its transaction with the vote record above
            Ballot.objects.create(
                resolution=resolution,
                choice="",
                sealed=sel.seal_choice(resolution.pk, hashed, choice),
                receipt_hash=hashed,
            )
        audit.record(
            actor=actor,
            action="vote.cast",
            instance=record,
            after={"resolution": resolution.pk, "secret": resolution.secret}
            | ({} if resolution.secret else {"choice": choice}),
        )
    return Receipt(code)


# --- paper ballots -------------------------------------------------------------------------


def _count(errors: Errors, field: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, gettext_lazy("Write a whole number."), "number")
        return 0
    if not fits_int64(number) or number < 0 or number > PAPER_MAX:
        errors.add(field, gettext_lazy("Write a number from 0 to 1,000,000."), "number_range")
        return 0
    return number


@transaction.atomic
def paper_enter(
    *,
    actor: Actor,
    resolution: Resolution,
    yes: Any,
    no: Any,
    abstain: Any,
    invalid: Any,
    ballots_issued: Any,
    teller_1: str,
    teller_2: str,
) -> PaperTally:
    """The first teller enters the paper ballots' totals (while the vote is open); they
    count once a second person confirms.  Refused: totals above the ballots handed out,
    or ballots handed out above the members present with a vote minus online votes."""
    _require_change(actor=actor, resolution=resolution)
    resolution = _lock(resolution)
    if resolution.status != ResolutionStatus.OPEN:
        raise conflict(_("Paper totals are entered while the vote is open."), "not_open")
    errors = Errors()
    n = {
        f: _count(errors, f, v)
        for f, v in (
            ("yes", yes),
            ("no", no),
            ("abstain", abstain),
            ("invalid", invalid),
            ("ballots_issued", ballots_issued),
        )
    }
    t1 = text(errors, "teller_1", teller_1, max_length=150, required=True)
    t2 = text(errors, "teller_2", teller_2, max_length=150, required=True)
    if t1 and t2 and t1.casefold() == t2.casefold():
        errors.add("teller_2", gettext_lazy("Two different tellers count."), "same_teller")
    errors.raise_if_any()
    counted = n["yes"] + n["no"] + n["abstain"] + n["invalid"]
    if counted > n["ballots_issued"]:
        raise ServiceError(
            "paper_over_issued",
            _("%(counted)s ballots counted but only %(issued)s handed out."),
            {"counted": counted, "issued": n["ballots_issued"]},
            fields={"ballots_issued": [_("More ballots counted than handed out.")]},
        )
    present = sel.voters_present(resolution.assembly)
    online = sel.turnout(resolution)
    if n["ballots_issued"] + online > present:
        raise ServiceError(
            "paper_over_attendance",
            _(
                "%(issued)s paper ballots and %(online)s online votes exceed the "
                "%(present)s members present with a vote."
            ),
            {"issued": n["ballots_issued"], "online": online, "present": present},
            fields={"ballots_issued": [_("More ballots than members present with a vote.")]},
        )
    existing = PaperTally.objects.select_for_update().filter(resolution=resolution).first()
    if existing is not None and existing.confirmed_by_id is not None:
        raise conflict(_("The paper totals are already confirmed."), "paper_confirmed")
    if existing is not None:
        existing.delete()
    tally = PaperTally.objects.create(
        resolution=resolution,
        yes=n["yes"],
        no=n["no"],
        abstain=n["abstain"],
        invalid=n["invalid"],
        ballots_issued=n["ballots_issued"],
        teller_1=t1,
        teller_2=t2,
        entered_by=actor,
    )
    audit.record(actor=actor, action="paper_tally.enter", instance=tally, after=n)
    return tally


@transaction.atomic
def paper_confirm(*, actor: Actor, resolution: Resolution) -> PaperTally:
    """A second person (not the one who entered them) confirms the paper totals."""
    _require_change(actor=actor, resolution=resolution)
    resolution = _lock(resolution)
    tally = PaperTally.objects.select_for_update().filter(resolution=resolution).first()
    if tally is None:
        raise conflict(_("No paper totals to confirm."), "no_paper")
    if tally.confirmed_by_id is not None:
        raise conflict(_("The paper totals are already confirmed."), "paper_confirmed")
    if isinstance(actor, SystemActor) or tally.entered_by_id == actor.pk:
        raise refused(_("Another person confirms the totals you entered."), "same_teller")
    tally.confirmed_by = actor
    tally.confirmed_at = timezone.now()
    tally.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(actor=actor, action="paper_tally.confirm", instance=tally)
    return tally


# --- close, number, publish -----------------------------------------------------------------

#: at most this many ballots per INSERT (5 columns: PostgreSQL takes 65,535 parameters)
REWRITE_BATCH = 10_000


def _unseal_and_shuffle(resolution: Resolution) -> sel.Counts:
    """Rewrite a secret vote's ballots at its close: read and unseal them, delete them,
    insert them again in a random order with the choice in clear, new random keys and
    re-keyed receipt hashes.  The new rows carry this transaction's id and a physical
    order (``ctid``/``rowid``) unrelated to the order of voting; no value of the old
    rows survives in the new ones.  Refused (nothing changes) when a seal does not open."""
    rows = list(
        Ballot.objects.filter(resolution=resolution).values_list("choice", "receipt_hash", "sealed")
    )
    opener = sel.BallotOpener()
    fresh: list[Ballot] = []
    for choice, hashed, sealed in rows:
        if sealed is not None:
            try:
                choice = opener.choice(resolution.pk, hashed, sealed)
            except sel.SealError:
                raise conflict(
                    _(
                        "A sealed ballot cannot be opened with the server's ballot key "
                        "(was the secret key changed?): the vote stays open."
                    ),
                    "ballot_unreadable",
                ) from None
        fresh.append(
            Ballot(
                resolution=resolution,
                choice=choice,
                sealed=None,
                receipt_hash=opener.closed_hash(hashed),
            )
        )
    secrets.SystemRandom().shuffle(fresh)
    # one DELETE, no per-row signal: the rows say nothing the caches need (the
    # resolution's own save below tells them), and a receiver would load every ballot
    Ballot.objects.filter(resolution=resolution)._raw_delete(Ballot.objects.db)
    Ballot.objects.bulk_create(fresh, batch_size=REWRITE_BATCH)
    counted = collections.Counter(b.choice for b in fresh)
    return sel.Counts(counted[VoteChoice.YES], counted[VoteChoice.NO], counted[VoteChoice.ABSTAIN])


@transaction.atomic
def resolution_close(*, actor: Actor, resolution: Resolution) -> Resolution:
    """Close the vote and fix the result: online votes plus confirmed paper totals, of
    the members present with a vote, against the majority copied at opening.  A secret
    vote's ballots are unsealed and rewritten shuffled in clear (``_unseal_and_shuffle``)."""
    _require_change(actor=actor, resolution=resolution)
    resolution = _lock(resolution)
    if resolution.status != ResolutionStatus.OPEN:
        raise conflict(_("Voting on this resolution is not open."), "not_open")
    paper = PaperTally.objects.filter(resolution=resolution).first()
    if paper is not None and paper.confirmed_by_id is None:
        raise conflict(
            _("A second person must confirm the paper totals before the vote closes."),
            "paper_unconfirmed",
        )
    # a secret vote's seals are opened here and nowhere else, in this transaction
    online = _unseal_and_shuffle(resolution) if resolution.secret else sel.online_counts(resolution)
    yes = online.yes + (paper.yes if paper else 0)
    no = online.no + (paper.no if paper else 0)
    abstain = online.abstain + (paper.abstain if paper else 0)
    present = sel.voters_present(resolution.assembly)
    # everyone who voted was present: never a denominator below the votes cast
    present = max(present, sel.turnout(resolution) + (paper.ballots_issued if paper else 0))
    resolution.status = ResolutionStatus.CLOSED
    resolution.closed_at = timezone.now()
    resolution.voters_present = present
    resolution.votes_yes, resolution.votes_no, resolution.votes_abstain = yes, no, abstain
    resolution.passed = sel.passes(
        yes, present, resolution.majority or 0, resolution.majority_inclusive
    )
    resolution.save(
        update_fields=[
            "status",
            "closed_at",
            "voters_present",
            "votes_yes",
            "votes_no",
            "votes_abstain",
            "passed",
        ]
    )
    audit.record(
        actor=actor,
        action="resolution.close",
        instance=resolution,
        after={
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "voters_present": present,
            "passed": resolution.passed,
        },
    )
    return resolution


def _next_number(resolution: Resolution) -> str:
    year = timezone.localdate(resolution.closed_at).year
    suffix = f"/{year}/{NUMBER_SYMBOL}"
    taken = Resolution.objects.filter(
        organisation_id=resolution.organisation_id, number__endswith=suffix
    ).values_list("number", flat=True)
    highest = 0
    for number in taken:
        head = number.split("/", 1)[0]
        if head.isdigit():
            highest = max(highest, int(head))
    return f"{highest + 1:02d}{suffix}"


@transaction.atomic
def resolution_publish(*, actor: Actor, resolution: Resolution) -> Resolution:
    """Number an adopted resolution and publish it to the members (a disclosure, due
    within the working days of the rule)."""
    _require_change(actor=actor, resolution=resolution)
    resolution = _lock(resolution)
    if resolution.status != ResolutionStatus.CLOSED or not resolution.passed:
        raise conflict(_("Only an adopted resolution is published."), "not_adopted")
    if resolution.published_at is not None:
        raise conflict(_("This resolution is already published."), "already_published")
    if not resolution.number:
        resolution.number = _next_number(resolution)
    resolution.published_at = timezone.now()
    resolution.save(update_fields=["number", "published_at"])
    _disclose(actor=actor, resolution=resolution)
    audit.record(
        actor=actor,
        action="resolution.publish",
        instance=resolution,
        after={"number": resolution.number},
    )
    return resolution


def _disclose(*, actor: Actor, resolution: Resolution) -> None:
    try:
        from . import services_disclosures
    except ImportError:  # the portal part not landed yet
        return
    services_disclosures.record(
        actor=actor,
        organisation=resolution.assembly.organisation,
        kind="resolution",
        title=f"Nghị quyết số {resolution.number}: {resolution.title}"[:300],
        event_on=timezone.localdate(resolution.closed_at),
        body=resolution.text,
        resolution=resolution,
        post=True,
    )


# --- archived documents ------------------------------------------------------------------


@transaction.atomic
def archive_document(
    *,
    actor: Actor,
    assembly: Assembly,
    kind: str,
    data: bytes,
    resolution: Resolution | None = None,
) -> GovernanceRecord:
    """Keep a generated minutes or resolution .docx as a private file."""
    Assembly.policy.require(actor, "view", assembly)
    if kind not in GovernanceRecordKind.values:
        raise ServiceError("kind", _("Unknown document."), kind=Kind.INVALID)
    record = GovernanceRecord(assembly=assembly, resolution=resolution, kind=kind)
    # a system actor (the demo): the assembly's author owns the archive row
    record.created_by_id = assembly.created_by_id if isinstance(actor, SystemActor) else actor.pk
    record.file.save(f"{kind}.docx", ContentFile(data), save=False)
    record.save()
    audit.record(
        actor=actor,
        action="governance_record.create",
        instance=record,
        after={"kind": kind, "resolution": resolution.pk if resolution else None},
    )
    return record
