"""VCA's national selection: 12–24 qualifying provinces and their cooperatives."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from htxso.core import audit, roles
from htxso.core.actors import Actor, SystemActor
from htxso.core.policy import require_role
from htxso.core.text import clean_text

from ..models import Application, ApplicationStatus, Call, CallStatus, ProvinceDecision
from ..selectors import national_summary
from .common import add_event, fail, managers_of, notify, officers_of


@transaction.atomic
def selection_decide(
    *,
    actor: Actor,
    call: Call,
    provinces: list[str],
    province_reasons: dict[str, str] | None = None,
    excluded_applications: dict[int, str] | None = None,
    note: str = "",
) -> Call:
    """Select ``provinces``; every forwarded cooperative of a selected province is
    selected unless listed in ``excluded_applications`` (id → reason)."""
    require_role(actor, roles.VCA)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise fail("call_not_selectable", _("The call is not awaiting selection."))
    chosen = sorted(set(provinces))
    summary = national_summary(call)
    by_code = {r.province_id: r for r in summary.rows}
    if not call.provinces_min <= len(chosen) <= call.provinces_max:
        raise fail(
            "selection_bounds",
            _(
                "Select from %(low)s to %(high)s provinces; %(n)s selected. "
                "%(q)s province(s) qualify so far."
            )
            % {
                "low": call.provinces_min,
                "high": call.provinces_max,
                "n": len(chosen),
                "q": len(summary.qualified),
            },
        )
    unqualified = [c for c in chosen if c not in by_code or not by_code[c].qualifies]
    if unqualified:
        raise fail(
            "province_not_qualified",
            _("These provinces do not have %(n)s eligible cooperatives: %(list)s")
            % {"n": call.min_eligible, "list": ", ".join(unqualified)},
        )
    reasons = {k: clean_text(v or "", max_length=500) for k, v in (province_reasons or {}).items()}
    excluded = {
        int(k): clean_text(v or "", max_length=2000)
        for k, v in (excluded_applications or {}).items()
    }
    for _app_id, reason in excluded.items():
        if not reason:
            raise fail("reason_required", _("Give the reason for every cooperative left out."))
    now = timezone.now()
    decisions = []
    for row in summary.rows:
        selected = row.province_id in chosen
        default = (
            _("Selected: %(n)s eligible cooperatives, rank %(rank)s")
            % {"n": row.eligible, "rank": row.rank}
            if selected
            else _("Qualified but not selected")
            if row.qualifies
            else _("Fewer than %(n)s eligible cooperatives") % {"n": call.min_eligible}
        )
        decisions.append(
            ProvinceDecision(
                call=call,
                province_id=row.province_id,
                selected=selected,
                rank=row.rank,
                eligible_count=row.eligible,
                reason=reasons.get(row.province_id) or default,
                decided_by=None if isinstance(actor, SystemActor) else actor,
            )
        )
    ProvinceDecision.objects.filter(call=call).delete()
    ProvinceDecision.objects.bulk_create(decisions)
    forwarded = (
        Application.objects.select_for_update()
        .filter(call=call, status=ApplicationStatus.FORWARDED)
        .select_related("organisation")
    )
    chosen_apps = []
    for application in forwarded:
        in_province = application.organisation.province_id in chosen
        if in_province and application.pk not in excluded:
            application.status = ApplicationStatus.SELECTED
            application.decision_reason = _("Eligible, in a selected province")
            chosen_apps.append(application)
        else:
            application.status = ApplicationStatus.NOT_SELECTED
            application.decision_reason = excluded.get(application.pk) or (
                _("The province was not selected")
            )
        application.save(update_fields=["status", "decision_reason", "updated_at"])
        add_event(
            application,
            ApplicationStatus.FORWARDED,
            actor=actor,
            comment=application.decision_reason,
        )
        _tell(application)
    call.status = CallStatus.DECIDED
    call.decided_at = now
    call.decision_note = clean_text(note or "", max_length=4000, multiline=True)
    call.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
    audit.record(
        actor=actor,
        action="call.decide",
        instance=call,
        after={"provinces": chosen, "selected_applications": [a.pk for a in chosen_apps]},
    )
    url = reverse("programs:call_detail", kwargs={"call_id": call.pk})
    for row in summary.rows:
        notify(
            officers_of(row.province_id),
            "province.selected" if row.province_id in chosen else "province.not_selected",
            {"title": call.title},
            url,
        )
    return call


def _tell(application: Application) -> None:
    url = reverse("programs:application_detail", kwargs={"application_id": application.pk})
    selected = application.status == ApplicationStatus.SELECTED
    notify(
        managers_of(application.organisation_id),
        "application.selected" if selected else "application.not_selected",
        {"title": application.call.title},
        url,
    )
