"""Reads of the programs app.  Selectors take the user first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404

from htxso.core import roles
from htxso.core.cached import Versioned
from htxso.core.policy import holds
from htxso.core.roles import Role
from htxso.core.scoping import get_scope

from .models import (
    Application,
    ApplicationStatus,
    Call,
    CallProvince,
    CallStatus,
    Criterion,
    CriterionKind,
    CriterionResult,
    Notification,
    ProvinceCompilation,
    ProvinceDecision,
    PublicationState,
    Ranking,
)

#: statuses of an application that reached VCA
AT_VCA = (ApplicationStatus.FORWARDED, ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED)


def call_province_limits() -> dict[int, frozenset[str]]:
    """Calls whose criteria restrict them to some provinces: call id → those provinces.

    A call with several province criteria applies where all of them pass; a call
    absent from the answer applies in every province.  One query."""
    limits: dict[int, frozenset[str]] = {}
    for call_id, params in Criterion.objects.filter(kind=CriterionKind.PROVINCE).values_list(
        "call_id", "params"
    ):
        wanted = frozenset(str(p) for p in (params or {}).get("provinces") or [])
        limits[call_id] = limits[call_id] & wanted if call_id in limits else wanted
    return limits


def call_applies_in(call: Call, province_id: str) -> bool:
    """Whether the criteria of ``call`` let organisations of ``province_id`` apply."""
    for criterion in Criterion.objects.filter(call=call, kind=CriterionKind.PROVINCE):
        wanted = {str(p) for p in (criterion.params or {}).get("provinces") or []}
        if str(province_id) not in wanted:
            return False
    return True


def calls_applicable_in(qs, provinces):
    """``qs`` without the calls whose criteria leave out every one of ``provinces``."""
    provinces = {str(p) for p in provinces}
    excluded = sorted(
        call_id for call_id, allowed in call_province_limits().items() if not allowed & provinces
    )
    return qs.exclude(pk__in=excluded) if excluded else qs


def user_provinces(user) -> set[str]:
    """The provinces a user works in: his provincial roles and his organisations'
    provinces (read from the role assignments already loaded for the scope)."""
    from htxso.accounts.selectors import role_assignments

    if not getattr(user, "is_authenticated", False):
        return set()
    provinces = set()
    for assignment in role_assignments(user):
        if assignment.province_id:
            provinces.add(assignment.province_id)
        if assignment.organisation_id:
            provinces.add(assignment.organisation.province_id)
    return provinces


def calls_visible(user):
    """VCA sees every call; everybody else the calls that are no longer drafts and
    that can apply in one of his provinces (a call limited by its criteria to Nghệ An
    does not appear to the other provinces)."""
    qs = Call.objects.all()
    if not holds(user, roles.VCA):
        qs = calls_applicable_in(qs.exclude(status=CallStatus.DRAFT), user_provinces(user))
    return qs


def call_visible_or_404(user, call_id) -> Call:
    try:
        return calls_visible(user).get(pk=call_id)
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def calls_for_organisations(user, organisations):
    """Open calls published in the provinces of ``organisations`` for their kinds."""
    provinces = {o.province_id for o in organisations}
    limits = call_province_limits()
    calls = list(
        Call.objects.filter(status=CallStatus.OPEN, publications__province_id__in=provinces)
        .distinct()
        .prefetch_related("publications")
    )
    return [
        c
        for c in calls
        if any(
            o.kind in (c.audience_kinds or [])
            and (c.pk not in limits or o.province_id in limits[c.pk])
            for o in organisations
        )
    ]


def staff_province_ids(user: Any) -> list[str]:
    """The provinces whose programme pages ``user`` works on as provincial staff (the
    province roles that see a province's lists)."""
    return sorted(ProvinceCompilation.policy.reach(user, "view")[1])


def applicant_organisation_ids(user: Any) -> list[int]:
    """The organisations for which ``user`` acts as applicant (the organisations whose
    applications' ``apply`` action his roles reach there: a manager's)."""
    return sorted(Application.policy.reach(user, "apply")[2])


def member_organisation_ids(user: Any) -> list[int]:
    """The organisations ``user`` is a member of (members do not apply)."""
    return sorted(get_scope(user).organisations_by_role.get(Role.COOP_MEMBER, frozenset()))


def my_applications(user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation_id__in=applicant_organisation_ids(user))
        .select_related("call", "organisation")
        .order_by("-created_at")
    )


def unread_notifications(user, limit: int = 10):
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def province_applications(user, call: Call, province_id: str):
    return (
        Application.objects.allowed(user, "view")
        .filter(call=call, organisation__province_id=province_id)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("results", queryset=CriterionResult.objects.select_related("criterion"))
        )
        .order_by("organisation__name")
    )


def publication(call: Call, province_id: str) -> CallProvince | None:
    return CallProvince.objects.filter(call=call, province_id=province_id).first()


@dataclass
class ProvinceRow:
    province_id: str
    name: str
    submitted: int = 0
    eligible: int = 0
    youth_avg: float | None = None
    forwarded_at: object = None
    qualifies: bool = False
    rank: int | None = None
    decision: ProvinceDecision | None = None
    applications: list = field(default_factory=list)


@dataclass
class NationalSummary:
    call: Call
    rows: list[ProvinceRow]
    qualified: list[ProvinceRow]
    not_forwarded: int

    @property
    def can_reach_minimum(self) -> bool:
        return len(self.qualified) >= self.call.provinces_min


def national_summary(call: Call) -> NationalSummary:
    """Every province with a forwarded list, its figures, qualification and rank.

    A fixed number of queries (four) whatever the number of applications."""
    compilations = list(ProvinceCompilation.objects.filter(call=call).select_related("province"))
    stats = {
        row["organisation__province_id"]: row
        for row in Application.objects.filter(call=call)
        .values("organisation__province_id")
        .annotate(
            submitted=Count("pk", filter=~Q(status__in=("draft", "withdrawn"))),
            youth=Avg("youth_share", filter=Q(status__in=AT_VCA)),
        )
        .order_by()
    }
    decisions = {d.province_id: d for d in ProvinceDecision.objects.filter(call=call)}
    applications: dict[str, list] = {}
    for application in (
        Application.objects.filter(call=call, status__in=AT_VCA)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        applications.setdefault(application.organisation.province_id, []).append(application)
    rows = []
    for comp in compilations:
        stat = stats.get(comp.province_id, {})
        rows.append(
            ProvinceRow(
                province_id=comp.province_id,
                name=comp.province.name,
                submitted=stat.get("submitted", 0),
                eligible=comp.eligible_count,
                youth_avg=stat.get("youth"),
                forwarded_at=comp.forwarded_at,
                qualifies=comp.eligible_count >= call.min_eligible,
                decision=decisions.get(comp.province_id),
                applications=applications.get(comp.province_id, []),
            )
        )
    if call.ranking == Ranking.YOUTH_SHARE:
        key = lambda r: (not r.qualifies, -(r.youth_avg or 0), -r.eligible, r.province_id)  # noqa: E731
    elif call.ranking == Ranking.FIRST_FORWARDED:
        key = lambda r: (not r.qualifies, r.forwarded_at, r.province_id)  # noqa: E731
    else:
        key = lambda r: (not r.qualifies, -r.eligible, -(r.youth_avg or 0), r.province_id)  # noqa: E731
    rows.sort(key=key)
    qualified = [r for r in rows if r.qualifies]
    for position, row in enumerate(qualified, start=1):
        row.rank = position
    published = CallProvince.objects.filter(call=call).count()
    return NationalSummary(call, rows, qualified, max(published - len(rows), 0))


# ------------------------------------------------------------------ home-page card

#: statuses of an application the provincial officer has to look at
WAITING_REVIEW = (ApplicationStatus.SUBMITTED,)


def _decided_last():
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        When(status=CallStatus.DECIDED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    ).asc()


DECIDED_LAST = _decided_last()

#: the fields of a call the home card shows or sorts by (a smaller SELECT and GROUP BY)
HOME_CALL_FIELDS = ("pk", "title", "status", "deadline")


#: Seconds a province's home-page calls are kept (writes of the programs app forget
#: them at once through :func:`forget_home_calls`; the limit bounds what a write made by
#: another process, or a change of an organisation's province, can leave behind).
HOME_CALLS = Versioned("programs:home-calls", ttl=60)


def forget_home_calls(**_kwargs: Any) -> None:
    """Forget every province's cached home-page calls (connected in ``apps.py`` to the
    saves and deletions of calls, publications, compilations, applications and
    criteria)."""
    HOME_CALLS.forget()


def province_home_calls(provinces, limit: int = 5) -> list[Call]:
    """The calls a province's staff see on the home page, with whether the province
    published and forwarded each and how many of its applications wait for review.

    The same for every officer and viewer of the same provinces, so it is computed once
    per version of the programme data (the queries cost more to build than to run:
    ~4 ms of a 10 ms page) and kept in the cache."""
    provinces = sorted({str(p) for p in provinces})
    return HOME_CALLS.get_or_set(
        (limit, ",".join(provinces)), lambda: _province_home_calls(provinces, limit)
    )


def _province_home_calls(provinces: list[str], limit: int) -> list[Call]:
    from django.db.models import Exists, OuterRef

    calls = list(
        calls_applicable_in(
            Call.objects.exclude(status=CallStatus.DRAFT).only(*HOME_CALL_FIELDS), provinces
        )
        .annotate(
            published_here=Exists(
                CallProvince.objects.filter(call=OuterRef("pk"), province_id__in=provinces)
            ),
            forwarded_here=Exists(
                ProvinceCompilation.objects.filter(call=OuterRef("pk"), province_id__in=provinces)
            ),
            waiting=Count(
                "applications",
                filter=Q(
                    applications__organisation__province_id__in=provinces,
                    applications__status__in=WAITING_REVIEW,
                ),
            ),
        )
        .order_by(DECIDED_LAST, "deadline", "pk")[:limit]
    )
    for c in calls:
        c.publication_state = PublicationState.of(
            published=c.published_here, forwarded=c.forwarded_here
        )
    return calls


def home_card(user, limit: int = 5) -> dict:
    """What the home page says about calls, by role, in at most five queries
    (notifications included).

    A cooperative manager: the open calls his organisations can apply to (published in
    their province, for their kind, not applied yet) and his applications' statuses.
    A provincial officer: the open or closing calls, whether his province published
    them, and the applications waiting for review.  VCA: the calls with the number of
    provinces that published and that forwarded their lists."""

    from htxso.registry.models import Organisation

    card: dict = {"notifications": unread_notifications(user, 3), "role": ""}
    staff_provinces = staff_province_ids(user)
    managed = applicant_organisation_ids(user)
    if holds(user, roles.VCA):
        calls = list(
            Call.objects.only(*HOME_CALL_FIELDS)
            .annotate(
                n_published=Count("publications", distinct=True),
                n_forwarded=Count("compilations", distinct=True),
            )
            .order_by(DECIDED_LAST, "deadline", "pk")[:limit]
        )
        card.update(role="national", calls=calls)
    elif staff_provinces:
        provinces = staff_provinces
        calls = province_home_calls(provinces, limit)
        card.update(
            role="province",
            calls=calls,
            to_publish=sum(
                1 for c in calls if c.status == CallStatus.OPEN and not c.published_here
            ),
            waiting=sum(c.waiting for c in calls),
            can_publish=any(
                CallProvince.policy.allows_at(user, "publish", province=code) for code in provinces
            ),
        )
    elif managed or member_organisation_ids(user):
        org_ids = managed or member_organisation_ids(user)
        organisations = list(
            Organisation.objects.filter(pk__in=org_ids).only("pk", "name", "kind", "province_id")
        )
        mine = list(
            Application.objects.filter(organisation_id__in=org_ids)
            .select_related("call", "organisation")
            .only(
                "pk",
                "status",
                "updated_at",
                "call__id",
                "call__title",
                "organisation__id",
                "organisation__name",
            )
            .order_by("-updated_at", "-pk")
        )
        applied = {(a.call_id, a.organisation_id) for a in mine}
        applications = mine[:limit]
        limits = call_province_limits()
        offers = []
        for pub in (
            CallProvince.objects.filter(
                call__status=CallStatus.OPEN,
                province_id__in={o.province_id for o in organisations},
            )
            .select_related("call")
            .order_by("call__deadline", "call_id")
        ):
            for org in organisations:
                if (
                    org.province_id == pub.province_id
                    and org.kind in (pub.call.audience_kinds or [])
                    and (pub.call_id, org.pk) not in applied
                    and (pub.call_id not in limits or org.province_id in limits[pub.call_id])
                ):
                    offers.append({"call": pub.call, "organisation": org, "publication": pub})
        card.update(
            role="organisation",
            offers=offers[:limit],
            n_offers=len(offers),
            applications=applications,
            can_apply=bool(managed),
        )
    return card
