"""Reads of the member portal (``governance:portal``) and the manager's governance home
(``governance:home``).

The portal's home reads a fixed number of queries whatever the size of the cooperative
(the bench ``bench/governance_portal.py`` and a test hold it): the member's own rows,
the organisation's latest few resolutions and disclosures, counts — never a list of
members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from htxso.core.cached import Versioned
from htxso.core.errors import ServiceError
from htxso.registry.models import Membership, Organisation

from . import selectors_disclosures
from .models.assemblies import Assembly, AssemblyDocument, AssemblyStatus
from .models.disclosures import Disclosure, DisclosureRequest
from .models.portal import (
    DistributionStatus,
    ProfitDistribution,
    ProfitShare,
    Question,
    ServiceUse,
)
from .models.votes import Resolution

__all__ = [
    "ManagerHome",
    "Portal",
    "distributions_for",
    "managed_organisations",
    "manager_home",
    "memberships_of",
    "my_share",
    "portal",
]

#: How many of each the portal's home shows (the rest behind a link).
LATEST = 5
#: What the portal reads of a membership, its person and organisation (a light row).
MEMBERSHIP_FIELDS = (
    "id",
    "organisation_id",
    "person_id",
    "kind",
    "joined_on",
    "left_on",
    "capital",
    "person__id",
    "person__full_name",
    "person__user_id",
    "organisation__id",
    "organisation__name",
    "organisation__kind",
    "organisation__province_id",
    "organisation__charter_capital",
)


def memberships_of(user: Any) -> list[Membership]:
    """The active memberships behind ``user`` (one per cooperative), oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(person__user=user, left_on__isnull=True)
        .select_related("organisation", "person")
        .only(*MEMBERSHIP_FIELDS)
        .order_by("joined_on", "id")
    )


@dataclass
class Portal:
    membership: Membership
    organisation: Organisation
    position: Any = None
    certificate: Any = None
    services_year: int | None = None
    services_used: int | None = None
    share: ProfitShare | None = None
    assembly: Assembly | None = None
    documents: list[AssemblyDocument] = field(default_factory=list)
    open_votes: list[Resolution] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    requests: list[DisclosureRequest] = field(default_factory=list)


def _register() -> Any:
    """The register part's selectors (absent while it is not landed)."""
    try:
        from . import selectors_register
    except ImportError:  # pragma: no cover - the register part is landed with this one
        return None
    return selectors_register


#: The member's home, kept per member and day until anything of governance, the
#: register or roles changes (:func:`connect_signals`); the time limit bounds what a
#: write made by a process that did not connect the signals can leave behind.
PORTAL = Versioned("governance:portal", ttl=120)


def connect_signals() -> None:
    """Forget every cached portal when a row of governance, a membership, a person, an
    organisation or a role is saved or deleted (idempotent; called at import and from
    the app's ``ready()``)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    models = [
        *apps.get_app_config("governance").get_models(),
        apps.get_model("registry", "Membership"),
        apps.get_model("registry", "Person"),
        apps.get_model("registry", "Organisation"),
        apps.get_model("accounts", "RoleAssignment"),
    ]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                PORTAL.forget,
                sender=model,
                weak=False,
                dispatch_uid=f"{PORTAL.name}-{model._meta.label_lower}",
            )


def portal(user: Any, membership: Membership, *, on: dt.date | None = None) -> Portal:
    """Everything the member's home shows, for ``membership`` (the user's own); kept
    in the cache until something it shows changes (see :data:`PORTAL`)."""
    day = on or timezone.localdate()
    return PORTAL.get_or_set(
        (user.pk, membership.pk, day.isoformat()), lambda: _portal(user, membership, day)
    )


def _portal(user: Any, membership: Membership, day: dt.date) -> Portal:
    org = membership.organisation
    p = Portal(membership=membership, organisation=org)
    register = _register()
    if register is not None:
        p.position = register.capital_position(membership, on=day)
        p.certificate = register.certificates(membership).filter(replaced_on__isnull=True).first()
    last_use = (
        ServiceUse.objects.filter(membership=membership).order_by("-year").only("year", "amount")
    ).first()
    if last_use is not None:
        p.services_year, p.services_used = last_use.year, last_use.amount
    p.share = my_share(membership)
    from . import selectors_assemblies, selectors_votes

    upcoming = [a for a in selectors_assemblies.upcoming_for(user) if a.organisation_id == org.pk]
    if upcoming:
        p.assembly = upcoming[0]
        p.documents = list(
            AssemblyDocument.objects.filter(assembly=p.assembly)
            .only("id", "title", "assembly_id")
            .order_by("id")[:10]
        )
    # votes are open only while an assembly is in session: ask the votes part then only
    if any(a.status == AssemblyStatus.OPEN for a in upcoming):
        p.open_votes = [
            r for r in selectors_votes.open_for(user) if r.assembly.organisation_id == org.pk
        ]
    p.resolutions = list(
        Resolution.objects.filter(organisation=org, published_at__isnull=False)
        .only("id", "title", "number", "published_at", "organisation_id")
        .order_by("-published_at", "-id")[:LATEST]
    )
    p.disclosures = list(
        selectors_disclosures.posted_for(user, org, on=day)
        .only("id", "title", "kind", "event_on", "posted_on", "due_on", "organisation_id")
        .order_by("-posted_on", "-id")[:LATEST]
    )
    p.questions = list(Question.objects.filter(membership=membership).order_by("-id")[:3])
    p.requests = list(DisclosureRequest.objects.filter(membership=membership).order_by("-id")[:3])
    return p


def my_share(membership: Membership) -> ProfitShare | None:
    """The member's share of the latest approved distribution."""
    return (
        ProfitShare.objects.filter(
            membership=membership, distribution__status=DistributionStatus.APPROVED
        )
        .select_related("distribution")
        .order_by("-distribution__year")
        .first()
    )


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose disclosures ``user`` may change (the manager's own; the
    VCA reaches every one, so it picks one with ``?org=``)."""
    everywhere, _provinces, organisations = Disclosure.policy.reach(user, "change")
    if everywhere or not organisations:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=sorted(organisations)).order_by("name")


@dataclass
class ManagerHome:
    organisation: Organisation
    members: dict[str, int]
    capital_paid: int
    due: selectors_disclosures.DueAndLate
    open_questions: int
    open_requests: int
    assemblies: list[Assembly]
    annual: Any = None
    distribution: ProfitDistribution | None = None


def manager_home(organisation: Organisation, *, on: dt.date | None = None) -> ManagerHome:
    """What the manager's governance home shows (kept like the portal, :data:`PORTAL`)."""
    day = on or timezone.localdate()
    return PORTAL.get_or_set(
        ("home", organisation.pk, day.isoformat()), lambda: _manager_home(organisation, day)
    )


def _manager_home(organisation: Organisation, day: dt.date) -> ManagerHome:
    counts = Membership.objects.filter(organisation=organisation, left_on__isnull=True).aggregate(
        official=Count("id", filter=Q(kind="official")),
        associates=Count("id", filter=~Q(kind="official")),
        capital=Sum("capital"),
    )
    assemblies = list(
        Assembly.objects.filter(
            organisation=organisation,
            status__in=[AssemblyStatus.DRAFT, AssemblyStatus.ANNOUNCED, AssemblyStatus.OPEN],
        ).order_by("scheduled_at", "id")[:3]
    )
    from . import selectors_assemblies

    try:
        annual = selectors_assemblies.annual_status(organisation, on=day)
    except ServiceError:  # no rule in force that day: the reminder is left out
        annual = None
    return ManagerHome(
        organisation=organisation,
        members={"official": counts["official"] or 0, "associates": counts["associates"] or 0},
        capital_paid=int(counts["capital"] or 0),
        due=selectors_disclosures.due_and_late(organisation, on=day),
        open_questions=Question.objects.filter(
            organisation=organisation, answered_at__isnull=True
        ).count(),
        open_requests=DisclosureRequest.objects.filter(
            organisation=organisation, answered_at__isnull=True
        ).count(),
        assemblies=assemblies,
        annual=annual,
        distribution=ProfitDistribution.objects.filter(organisation=organisation)
        .order_by("-year")
        .first(),
    )


def distributions_for(user: Any, organisation: Organisation) -> QuerySet[ProfitDistribution]:
    return ProfitDistribution.policy.queryset(user, "view").filter(organisation=organisation)


if django_apps.ready:  # imported by the URLconf or a view: the models are loaded
    connect_signals()
