"""Resolutions put to the vote, who voted, and the ballots.  Owned by the votes part.

A secret ballot is two tables that never meet: :class:`VoteRecord` says *who* voted (one
row per member and resolution, ``choice`` left blank), :class:`Ballot` says *what* was
voted — no member, no user, no time, a random primary key — and carries only the hash
of the receipt code the voter was shown once.  While the vote is open the ballot's
choice is *sealed* (AES-GCM under a key derived from the settings, ``choice`` blank):
the database's system columns (PostgreSQL's ``xmin``/``ctid``, SQLite's ``rowid``) tie
a ballot row to the vote record written in the same transaction, so the row must not
say what was voted.  Closing the vote deletes the ballots and writes them again in a
random order, in clear, with new keys and re-keyed receipt hashes: the rows then carry
the closing transaction's id and an order that is not the order of voting (see
``services_votes.resolution_close``).  An open vote keeps the choice on the
:class:`VoteRecord` and writes no ballot.  Paper ballots counted in the hall are totals
(:class:`PaperTally`) entered by one teller and confirmed by a second.

Who may do what: resolutions and their results — ``view`` by staff of the province and
the organisation's people (results only once closed: the selectors refuse earlier);
``change`` (draft, open, close, number, publish) by the manager and the VCA.  Vote
records name members: ``READERS`` and the member's own.  Ballots have no policy rows to
list: nobody lists them; the tally reads counts only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy

from .assemblies import Assembly, own_membership_q

__all__ = [
    "Ballot",
    "GovernanceRecord",
    "GovernanceRecordKind",
    "MatterKind",
    "PaperTally",
    "Resolution",
    "ResolutionStatus",
    "VoteChoice",
    "VoteRecord",
]


class MatterKind(models.TextChoices):
    """What a resolution decides; the kind picks the majority (rules SPECIAL/ORDINARY)."""

    CHARTER = "charter", _("Amending the charter")
    MAJOR_ASSET_DEAL = (
        "major_asset_deal",
        _("Investment, sale or purchase of 20 % of assets or more"),
    )
    GOVERNANCE_MODEL = "governance_model", _("Changing the governance model")
    REORGANISATION = "reorganisation", _("Merger, division, separation or conversion")
    DISSOLUTION = "dissolution", _("Dissolution")
    ELECTION = "election", _("Election or dismissal")
    FINANCIAL = "financial", _("Financial statements and business plan")
    PROFIT = "profit", _("Distribution of profit and use of funds")
    MEMBERSHIP = "membership", _("Admission and termination of members")
    OTHER = "other", _("Other matters")


#: the matters that need the special majority (Art. 59 / 61 of the 2023 law)
SPECIAL_MATTERS = frozenset(
    {
        MatterKind.CHARTER,
        MatterKind.MAJOR_ASSET_DEAL,
        MatterKind.GOVERNANCE_MODEL,
        MatterKind.REORGANISATION,
        MatterKind.DISSOLUTION,
    }
)


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Voting closed")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Agree")
    NO = "no", _("Disagree")
    ABSTAIN = "abstain", _("No opinion")


class Resolution(models.Model):
    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="resolutions")
    agenda_item = models.ForeignKey(
        "AgendaItem", on_delete=models.PROTECT, null=True, blank=True, related_name="resolutions"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text put to the vote"), max_length=10000)
    matter = models.CharField(_("kind of matter"), max_length=20, choices=MatterKind.choices)
    secret = models.BooleanField(_("secret ballot"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ResolutionStatus.choices, default=ResolutionStatus.DRAFT
    )
    #: the majority in force when voting opened (copied from the rule, with its article)
    majority = models.DecimalField(_("majority (%)"), max_digits=6, decimal_places=2, null=True)
    #: True: at least ``majority``; False: more than ``majority``
    majority_inclusive = models.BooleanField(default=True)
    majority_article = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    #: the quorum when voting opened: voting is refused when it was not met
    quorum_present = models.PositiveIntegerField(null=True, blank=True)
    quorum_met = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # the result, fixed at close (online + confirmed paper totals)
    voters_present = models.PositiveIntegerField(null=True, blank=True)
    votes_yes = models.PositiveIntegerField(null=True, blank=True)
    votes_no = models.PositiveIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    #: e.g. "03/2026/NQ-ĐHTV", given when adopted; unique in the organisation
    number = models.CharField(_("resolution number"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assembly_id", "id"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                condition=~Q(number=""),
                name="governance_resolution_number_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.organisation_id is None and self.assembly_id is not None:
            self.organisation_id = Assembly.objects.values_list("organisation_id", flat=True).get(
                pk=self.assembly_id
            )
        super().save(*args, **kwargs)


class VoteRecord(models.Model):
    """Who voted on a resolution (and, for an open vote only, what)."""

    scope_province_path = "resolution__assembly__organisation__province"
    scope_organisation_path = "resolution__assembly__organisation"
    policy = Policy(view=roles.READERS, change=roles.NOBODY, extra={"view": own_membership_q()})

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="records")
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="+"
    )
    #: blank for a secret ballot
    choice = models.CharField(max_length=10, choices=VoteChoice.choices, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote record")
        verbose_name_plural = _("vote records")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "membership"], name="governance_vote_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.resolution_id}"


def _ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class Ballot(models.Model):
    """What was voted in a secret ballot: no member, no user, no time (see module doc)."""

    scope_province_path = "resolution__assembly__organisation__province"
    scope_organisation_path = "resolution__assembly__organisation"
    policy = Policy(view=roles.NOBODY, change=roles.NOBODY)

    id = models.UUIDField(primary_key=True, default=_ballot_id, editable=False)
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="ballots")
    #: blank while the vote is open (the choice is in ``sealed``); in clear once closed
    choice = models.CharField(max_length=10, choices=VoteChoice.choices, blank=True)
    #: while open: nonce + AES-GCM of the padded choice (``selectors_votes.seal_choice``);
    #: NULL once the vote is closed
    sealed = models.BinaryField(null=True)
    #: open: sha256 of the receipt code shown once to the voter; closed: that hash
    #: re-keyed with the ballot key (``selectors_votes.closed_receipt_hash``)
    receipt_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")
        indexes = [models.Index(fields=["resolution", "choice"], name="governance_ballot_tally")]
        constraints = [
            # sealed (open vote) or in clear (closed), never both, never neither
            models.CheckConstraint(
                condition=(Q(choice="") & Q(sealed__isnull=False))
                | (Q(choice__in=VoteChoice.values) & Q(sealed__isnull=True)),
                name="governance_ballot_sealed_or_clear",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.id}"


class PaperTally(models.Model):
    """Paper ballots counted in the hall, entered as totals by one teller and confirmed by
    a second; they count only once confirmed, and are shown apart from online votes."""

    scope_province_path = "resolution__assembly__organisation__province"
    scope_organisation_path = "resolution__assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    resolution = models.OneToOneField(Resolution, on_delete=models.PROTECT, related_name="paper")
    yes = models.PositiveIntegerField(_("agree"))
    no = models.PositiveIntegerField(_("disagree"))
    abstain = models.PositiveIntegerField(_("no opinion"))
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    #: members who voted on paper (checked in the hall and handed a ballot)
    ballots_issued = models.PositiveIntegerField(_("paper ballots handed out"))
    teller_1 = models.CharField(_("first teller"), max_length=150)
    teller_2 = models.CharField(_("second teller"), max_length=150)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paper ballot count")
        verbose_name_plural = _("paper ballot counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("entered_by")),
                name="governance_paper_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"paper → {self.resolution_id}"


class GovernanceRecordKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes of the assembly")
    RESOLUTION = "resolution", _("Resolution")


class GovernanceRecord(models.Model):
    """An archived Word document (the minutes of an assembly or an adopted resolution),
    kept as a private file each time it is generated."""

    scope_province_path = "assembly__organisation__province"
    scope_organisation_path = "assembly__organisation"
    policy = Policy(view=roles.STAFF_AND_ORGANISATIONS, change=roles.MANAGERS)

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="records")
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=12, choices=GovernanceRecordKind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=UnguessableName("governance/records")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archived governance document")
        verbose_name_plural = _("archived governance documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.assembly_id}"
