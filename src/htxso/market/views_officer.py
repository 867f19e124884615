"""Provincial officer pages: verify stores against the registry, moderate reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.accounts.models import Role
from htxso.core.access import access
from htxso.core.scoping import get_visible_or_404

from . import selectors, selectors_review
from .banks import BANK_CHOICES
from .models import Report, Store
from .services import reviews as review_svc
from .services import stores as store_svc
from .services.common import MarketError
from .views_common import error_dict

OFFICER_ROLES = [Role.PROVINCE_OFFICER, Role.VCA_ADMIN]


@access(roles=OFFICER_ROLES)
def moderation(request):
    return render(request, "market/officer/queue.html", selectors.moderation_queue(request.user))


def _message(request, exc):
    if isinstance(exc, MarketError):
        messages.error(request, exc.text)
    else:
        messages.error(request, " ".join(m for ms in error_dict(exc).values() for m in ms))


@access(roles=OFFICER_ROLES)
def store_review(request, store_id: int):
    store = get_visible_or_404(
        Store.objects.select_related("organisation__province", "pickup_ward__province").editable_by(
            request.user
        ),
        request.user,
        pk=store_id,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "verify":
                store_svc.store_verify(actor=request.user, store=store)
                messages.success(request, _("The store is verified."))
            elif action == "reject":
                store_svc.store_reject(actor=request.user, store=store, reason=reason)
                messages.success(request, _("The store is rejected; the seller sees your reason."))
            elif action == "suspend":
                store_svc.store_suspend(actor=request.user, store=store, reason=reason)
                messages.success(request, _("The store is suspended."))
        except (MarketError, ValidationError) as exc:
            _message(request, exc)
        return redirect("market:officer_store", store_id=store.pk)
    return render(
        request,
        "market/officer/store.html",
        {
            "store": store,
            "problems": store_svc.registry_problems(store),
            "bank_label": dict(BANK_CHOICES).get(store.bank_bin, store.bank_bin),
            **selectors_review.store_review(store),
        },
    )


@access(roles=OFFICER_ROLES)
def report_decide(request, report_id: int):
    report = get_visible_or_404(
        Report.objects.select_related("product", "review__product").editable_by(request.user),
        request.user,
        pk=report_id,
    )
    if request.method == "POST":
        try:
            review_svc.report_resolve(
                actor=request.user,
                report=report,
                uphold=request.POST.get("action") == "uphold",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Decision saved."))
            return redirect("market:moderation")
        except (MarketError, ValidationError) as exc:
            _message(request, exc)
        return redirect("market:officer_report", report_id=report.pk)
    return render(request, "market/officer/report.html", {"report": report})
