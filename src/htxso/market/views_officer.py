"""Provincial officer pages: verify stores against the registry, moderate reports."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404

from . import selectors, selectors_review
from .banks import BANK_CHOICES
from .forms import ReportDecisionForm, StoreDecisionForm
from .models import Report, Store
from .services import reviews as review_svc
from .services import stores as store_svc


@access(roles=roles.REVIEWERS)
def moderation(request):
    return render(request, "market/officer/queue.html", selectors.moderation_queue(request.user))


@access(roles=roles.REVIEWERS)
def store_review(request, store_id: int):
    store = get_allowed_or_404(
        Store.objects.select_related("organisation__province", "province", "pickup_ward__province"),
        request.user,
        "verify",
        pk=store_id,
    )
    if request.method == "POST":
        values = StoreDecisionForm(request.POST).values()
        action, reason = values["action"], values["reason"]
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
        except ServiceError as exc:
            show_service_error(request, exc)
        return redirect("market:officer_store", store_id=store.pk)
    return render(
        request,
        "market/officer/store.html",
        {
            "store": store,
            "problems": store_svc.registry_problems(store),
            "bank_label": dict(BANK_CHOICES).get(store.bank_bin, store.bank_bin),
            "reject_form": StoreDecisionForm(reason_label=_("Reject — reason for the seller")),
            "suspend_form": StoreDecisionForm(reason_label=_("Suspend — reason")),
            **selectors_review.store_review(store),
        },
    )


@access(roles=roles.REVIEWERS)
def report_decide(request, report_id: int):
    report = get_allowed_or_404(
        Report.objects.select_related("product", "review__product"),
        request.user,
        "resolve",
        pk=report_id,
    )
    if request.method == "POST":
        values = ReportDecisionForm(request.POST).values()
        try:
            review_svc.report_resolve(
                actor=request.user,
                report=report,
                uphold=values["action"] == "uphold",
                note=values["note"],
            )
            messages.success(request, _("Decision saved."))
            return redirect("market:moderation")
        except ServiceError as exc:
            show_service_error(request, exc)
        return redirect("market:officer_report", report_id=report.pk)
    return render(
        request, "market/officer/report.html", {"report": report, "form": ReportDecisionForm()}
    )
