"""Reads of the member portal (``governance:portal``) and the manager's governance home
(``governance:home``).

The portal's home reads a fixed number of queries whatever the size of the cooperative
(the bench ``bench/governance_portal.py`` and a test hold it): the member's own rows,
the organisation's latest few resolutions and disclosures, counts — never a list of
members.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, connections, router, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from htxso.core.cached import Versioned
from htxso.core.errors import ServiceError
from htxso.registry.models import Membership, Organisation, Person

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
from .models.register import CapitalCertificate, CapitalMovement, MovementKind
from .models.votes import Resolution

__all__ = [
    "PORTAL",
    "ManagerHome",
    "Portal",
    "distributions_for",
    "forget",
    "managed_organisations",
    "manager_home",
    "memberships_of",
    "my_share",
    "organisation_of",
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
    "organisation__id",
    "organisation__name",
    "organisation__kind",
    "organisation__province_id",
    "organisation__charter_capital",
    "person__id",
    "person__full_name",
    "person__user_id",
)


#: What the portal reads of an assembly.
ASSEMBLY_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "year",
    "title",
    "scheduled_at",
    "place",
    "mode",
    "status",
)


def _columns() -> dict[str, list[str]]:
    """:data:`MEMBERSHIP_FIELDS` by table alias — ``m`` the membership, ``o`` its
    organisation, ``p`` its person — in the order of each model's fields (as
    ``Model.from_db`` takes them; attribute names are the columns' names)."""
    wanted: dict[str, set[str]] = {"m": set(), "o": set(), "p": set()}
    for name in MEMBERSHIP_FIELDS:
        if name.startswith("organisation__"):
            wanted["o"].add(name.removeprefix("organisation__"))
        elif name.startswith("person__"):
            wanted["p"].add(name.removeprefix("person__"))
        else:
            wanted["m"].add(name)
    models = {"m": Membership, "o": Organisation, "p": Person}
    return {
        alias: [f.attname for f in models[alias]._meta.concrete_fields if f.attname in names]
        for alias, names in wanted.items()
    }


@functools.cache
def _memberships_sql() -> str:
    """The user's active memberships with their organisation and person, the columns
    of :data:`MEMBERSHIP_FIELDS` (plain SQL: read on every view of the portal, cached or
    not, and the ORM took longer to build it than the database to answer)."""
    q = connection.ops.quote_name
    select = ", ".join(f"{a}.{q(c)}" for a, cols in _columns().items() for c in cols)
    person, org = q(Person._meta.db_table), q(Organisation._meta.db_table)
    return (
        f"SELECT {select} FROM {q(Membership._meta.db_table)} AS m "  # noqa: S608 -- names
        f"JOIN {person} AS p ON p.id = m.person_id "
        f"JOIN {org} AS o ON o.id = m.organisation_id "
        "WHERE p.user_id = %s AND m.left_on IS NULL ORDER BY m.joined_on, m.id"
    )


def memberships_of(user: Any) -> list[Membership]:
    """The active memberships behind ``user`` (one per cooperative), oldest first, with
    their organisation and person (the columns of :data:`MEMBERSHIP_FIELDS`; the others
    are read on access)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cols = _columns()
    db = router.db_for_read(Membership)
    with connections[db].cursor() as cursor:
        cursor.execute(_memberships_sql(), [user.pk])
        rows = cursor.fetchall()
    out = []
    n_m, n_o = len(cols["m"]), len(cols["o"])
    for row in rows:
        m = Membership.from_db(db, cols["m"], row[:n_m])
        m.organisation = Organisation.from_db(db, cols["o"], row[n_m : n_m + n_o])
        m.person = Person.from_db(db, cols["p"], row[n_m + n_o :])
        out.append(m)
    return out


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


#: The member's home and the manager's, kept per member (per cooperative) and day until
#: something they show changes (:func:`connect_signals`): a write in a cooperative
#: forgets that cooperative's pages only (a version per organisation), a write that
#: names no single cooperative (a rule, a person's name, a province's role) forgets
#: every page.  The time limit bounds what a write made by a process that did not
#: connect the signals can leave behind.
PORTAL = Versioned("governance:portal", ttl=120)


def organisation_of(instance: Any) -> int | None:
    """The cooperative a saved or deleted row belongs to (its ``organisation_id``, or
    along the model's ``scope_organisation_path``), or ``None`` when it names none."""
    if isinstance(instance, Organisation):
        return instance.pk
    org = getattr(instance, "organisation_id", None)
    if org is not None:
        return int(org)
    path = getattr(type(instance), "scope_organisation_path", "") or ""
    obj = instance
    for hop in path.split("__")[:-1]:
        try:
            obj = getattr(obj, hop)
        except ObjectDoesNotExist:  # deleted with its parent: no way to know
            return None
        if obj is None:
            return None
        org = getattr(obj, "organisation_id", None)
        if org is not None:
            return int(org)
    return None


def forget(sender: Any = None, instance: Any = None, **kwargs: Any) -> None:
    """Forget the cached pages a saved or deleted row may show: its cooperative's, or
    every one (a signal receiver).  Forgotten at once and again when the transaction
    commits, so a page read meanwhile (before the commit) is not kept."""
    person = django_apps.get_model("registry", "Person")
    if isinstance(instance, person) and kwargs.get("created"):
        return  # a new person is no member yet
    # a person's name shows in every cooperative they belong to (not only the one that
    # recorded them): forget every page
    org = None if isinstance(instance, person) else organisation_of(instance)
    if org is None:
        PORTAL.forget()
        transaction.on_commit(PORTAL.forget)
    else:
        PORTAL.forget_scope(org)
        transaction.on_commit(lambda: PORTAL.forget_scope(org))


def _forget_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    person = django_apps.get_model("registry", "Person")
    if isinstance(instance, person):
        return  # a person with memberships cannot be deleted (PROTECT): no page shows it
    forget(sender, instance, **kwargs)


def connect_signals() -> None:
    """Forget the cached pages when a row of governance, a membership, a person, an
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
        for signal, receiver in ((post_save, forget), (post_delete, _forget_deleted)):
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"{PORTAL.name}-{model._meta.label_lower}",
            )


def portal(user: Any, membership: Membership, *, on: dt.date | None = None) -> Portal:
    """Everything the member's home shows, for ``membership`` (the user's own); kept
    in the cache until something of its cooperative changes (see :data:`PORTAL`)."""
    day = on or timezone.localdate()
    return PORTAL.get_or_set(
        (user.pk, membership.pk, day.isoformat()),
        lambda: _portal(user, membership, day),
        scope=membership.organisation_id,
    )


def _loaded(model: type[Model], db: str, row: dict[str, Any]) -> Any:
    """A ``model`` instance of the columns read (the others deferred: read on access)."""
    return model.from_db(db, list(row), list(row.values()))


def _one_row(model: type[Model], sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(the database, the single row of ``sql`` by column name)."""
    db = router.db_for_read(model)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return db, dict(zip(names, cursor.fetchone(), strict=True))


@functools.cache
def _member_sql() -> str:
    """The member's own figures in one statement (plain SQL: the ORM took longer to
    build the subqueries than the database to answer them): the sums behind the capital
    position (:func:`selectors_register.pledge_sums`), the current capital certificate
    (:func:`selectors_register.current_certificate`), the last services used, and the
    share of the latest approved distribution (:func:`my_share`)."""
    q = connection.ops.quote_name
    moves = q(CapitalMovement._meta.db_table)
    return f"""
    SELECT
      (SELECT SUM(pledged_delta) FROM {moves} WHERE membership_id = %(m)s) AS outstanding,
      (SELECT SUM(pledged_delta) FROM {moves} WHERE membership_id = %(m)s
        AND kind = %(pledge)s AND due_on < %(day)s) AS pledged_due,
      (SELECT SUM(pledged_delta) FROM {moves} WHERE membership_id = %(m)s
        AND kind = %(pledge)s) AS pledged_all,
      c.id AS c_id, c.{q("number")} AS c_number,
      u.{q("year")} AS u_year, u.amount AS u_amount,
      s.id AS s_id, s.distribution_id AS s_distribution_id, s.membership_id AS s_membership_id,
      s.services_used AS s_services_used, s.capital AS s_capital,
      s.by_services AS s_by_services, s.by_capital AS s_by_capital, s.d_year AS s_year
    FROM (SELECT 1 AS one) AS x
    LEFT JOIN (
      SELECT id, {q("number")} FROM {q(CapitalCertificate._meta.db_table)}
      WHERE membership_id = %(m)s AND replaced_on IS NULL
      ORDER BY issued_on DESC, id DESC LIMIT 1
    ) AS c ON 1 = 1
    LEFT JOIN (
      SELECT {q("year")}, amount FROM {q(ServiceUse._meta.db_table)}
      WHERE membership_id = %(m)s ORDER BY {q("year")} DESC, id DESC LIMIT 1
    ) AS u ON 1 = 1
    LEFT JOIN (
      SELECT ps.id, ps.distribution_id, ps.membership_id, ps.services_used, ps.capital,
        ps.by_services, ps.by_capital, pd.{q("year")} AS d_year
      FROM {q(ProfitShare._meta.db_table)} AS ps
      JOIN {q(ProfitDistribution._meta.db_table)} AS pd ON pd.id = ps.distribution_id
      WHERE ps.membership_id = %(m)s AND pd.status = %(approved)s
      ORDER BY pd.{q("year")} DESC, ps.id DESC LIMIT 1
    ) AS s ON 1 = 1
    """  # noqa: S608 -- names from the models, values as parameters


def _member_row(membership: Membership, day: dt.date) -> tuple[str, dict[str, Any]]:
    return _one_row(
        Membership,
        _member_sql(),
        {
            "m": membership.pk,
            "day": day,
            "pledge": MovementKind.PLEDGE.value,
            "approved": DistributionStatus.APPROVED.value,
        },
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _portal(user: Any, membership: Membership, day: dt.date) -> Portal:
    from . import selectors_assemblies, selectors_register, selectors_votes

    org = membership.organisation
    p = Portal(membership=membership, organisation=org)
    db, row = _member_row(membership, day)
    sums = {k: _int(row[k]) for k in ("outstanding", "pledged_due", "pledged_all")}
    p.position = selectors_register.position_from(membership, sums)
    if row["c_id"] is not None:
        p.certificate = _loaded(
            CapitalCertificate, db, {"id": row["c_id"], "number": row["c_number"]}
        )
    if row["u_year"] is not None:
        p.services_year, p.services_used = int(row["u_year"]), int(row["u_amount"])
    if row["s_id"] is not None:
        fields = ("id", "distribution_id", "membership_id", "services_used", "capital")
        fields += ("by_services", "by_capital")
        p.share = _loaded(ProfitShare, db, {f: _int(row[f"s_{f}"]) for f in fields})
        p.share.distribution = _loaded(
            ProfitDistribution, db, {"id": p.share.distribution_id, "year": int(row["s_year"])}
        )
    # the cooperative's upcoming assemblies (the member's: ``membership`` is the user's)
    upcoming = list(
        selectors_assemblies.upcoming_in(Assembly.objects.filter(organisation_id=org.pk)).only(
            *ASSEMBLY_FIELDS
        )
    )
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
    return p


def my_share(membership: Membership) -> ProfitShare | None:
    """The member's share of the latest approved distribution."""
    return (
        ProfitShare.objects.filter(
            membership=membership, distribution__status=DistributionStatus.APPROVED
        )
        .select_related("distribution")
        .order_by("-distribution__year", "-id")
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
        ("home", organisation.pk, day.isoformat()),
        lambda: _manager_home(organisation, day),
        scope=organisation.pk,
    )


@functools.cache
def _home_sql() -> str:
    """The manager's home's counts in one statement (plain SQL, as :func:`_member_sql`):
    active official and associate members and their paid capital, questions and
    requests waiting for an answer, the latest profit distribution."""
    q = connection.ops.quote_name
    members = q(Membership._meta.db_table)
    active = f"FROM {members} WHERE organisation_id = %(o)s AND left_on IS NULL"
    waiting = "WHERE organisation_id = %(o)s AND answered_at IS NULL"
    return f"""
    SELECT
      (SELECT COUNT(*) {active} AND kind = %(official)s) AS official,
      (SELECT COUNT(*) {active} AND NOT (kind = %(official)s)) AS associates,
      (SELECT SUM(capital) {active}) AS capital,
      (SELECT COUNT(*) FROM {q(Question._meta.db_table)} {waiting}) AS questions,
      (SELECT COUNT(*) FROM {q(DisclosureRequest._meta.db_table)} {waiting}) AS requests,
      d.id AS d_id, d.{q("year")} AS d_year, d.status AS d_status
    FROM (SELECT 1 AS one) AS x
    LEFT JOIN (
      SELECT id, {q("year")}, status FROM {q(ProfitDistribution._meta.db_table)}
      WHERE organisation_id = %(o)s ORDER BY {q("year")} DESC, id DESC LIMIT 1
    ) AS d ON 1 = 1
    """  # noqa: S608 -- names from the models, values as parameters


def _manager_home(organisation: Organisation, day: dt.date) -> ManagerHome:
    db, row = _one_row(Membership, _home_sql(), {"o": organisation.pk, "official": "official"})
    assemblies = list(
        Assembly.objects.filter(
            organisation=organisation,
            status__in=[AssemblyStatus.DRAFT, AssemblyStatus.ANNOUNCED, AssemblyStatus.OPEN],
        )
        .only("id", "organisation_id", "title", "scheduled_at", "status")
        .order_by("scheduled_at", "id")[:3]
    )
    from . import selectors_assemblies

    try:
        annual = selectors_assemblies.annual_status(organisation, on=day)
    except ServiceError:  # no rule in force that day: the reminder is left out
        annual = None
    return ManagerHome(
        organisation=organisation,
        members={"official": int(row["official"] or 0), "associates": int(row["associates"] or 0)},
        capital_paid=int(row["capital"] or 0),
        due=selectors_disclosures.due_and_late(organisation, on=day),
        open_questions=int(row["questions"] or 0),
        open_requests=int(row["requests"] or 0),
        assemblies=assemblies,
        annual=annual,
        distribution=None
        if row["d_id"] is None
        else _loaded(
            ProfitDistribution,
            db,
            {
                "id": row["d_id"],
                "organisation_id": organisation.pk,
                "year": int(row["d_year"]),
                "status": row["d_status"],
            },
        ),
    )


def distributions_for(user: Any, organisation: Organisation) -> QuerySet[ProfitDistribution]:
    return ProfitDistribution.policy.queryset(user, "view").filter(organisation=organisation)


if django_apps.ready:  # imported by the URLconf or a view: the models are loaded
    connect_signals()
