"""Household store requests: the "sell on the market" choice page, the producer's
request and its status page, the officer's queue and decision, the private photo."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from htxso.core import roles
from htxso.core.access import access
from htxso.core.consent import log_sensitive_export
from htxso.core.errors import Kind, ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds
from htxso.geo.models import Province
from htxso.geo.selectors import wards_of

from . import selectors_stores as sel
from .banks import BANK_CHOICES
from .forms_stores import (
    StoreRequestActionForm,
    StoreRequestAnswerForm,
    StoreRequestDecisionForm,
    StoreRequestForm,
)
from .models import StoreRequest, StoreRequestStatus
from .services import household_stores as svc
from .views_common import form_service_error, runs_independent_store


@access(public=True)
def sell(request):
    """How to sell on the market: a cooperative manager asks for access, a member
    household asks its cooperative, an independent producer asks for a store."""
    user = request.user
    return render(
        request,
        "market/sell.html",
        {
            "is_seller": user.is_authenticated
            and (holds(user, roles.SELLERS) or runs_independent_store(user)),
            "open_request": svc.open_request_of(user),
        },
    )


def _places(form: StoreRequestForm, data: dict) -> None:
    code = str(data.get("province") or "")[:2]
    provinces = list(Province.objects.order_by("name").values_list("code", "name"))
    wards = list(wards_of(code).values_list("code", "name")) if code.isdigit() else []
    form.places(provinces=provinces, province=code, wards=wards)


@access(authenticated=True)
def store_request(request):
    """The producer's request (phone first).  A person with an open request, or who
    already runs an independent store, is sent to it."""
    store = sel.independent_store_of(request.user)
    if store is not None:
        messages.info(request, _("You already have a store on the market."))
        return redirect("market:seller_home")
    existing = svc.open_request_of(request.user)
    if existing is not None:
        messages.info(request, _("Your store request is waiting for the officer."))
        return redirect("market:store_request_detail", request_id=existing.pk)
    if request.method == "POST":
        form = StoreRequestForm(request.POST, request.FILES)
        values = form.values()
        try:
            req = svc.store_request_submit(
                actor=request.user,
                requester=request.user,
                data=values,
                photo=form.cleaned_data.get("photo"),
                consent=bool(values.get("consent")),
            )
        except ServiceError as exc:
            if exc.kind == Kind.CONFLICT:  # a double submit: show the request sent first
                show_service_error(request, exc)
                return redirect("market:store_request")
            _places(form, values)
            form_service_error(request, exc, form)
            return render(request, "market/stores/request_form.html", {"form": form}, status=400)
        messages.success(
            request, _("Your request is sent. The provincial officer checks it and answers by SMS.")
        )
        return redirect("market:store_request_detail", request_id=req.pk)
    phone = getattr(request.user, "phone", "") or ""
    initial = {"head_name": request.user.get_full_name(), "phone": phone}
    form = StoreRequestForm(initial=initial)
    _places(form, {})
    return render(request, "market/stores/request_form.html", {"form": form})


@access(authenticated=True)
def store_request_detail(request, request_id: int):
    """The requester's page: status, the officer's question (answer it), withdraw."""
    req = get_allowed_or_404(
        StoreRequest.objects.select_related("province", "ward", "store"),
        request.user,
        "answer",
        hide=True,  # the requester's page; staff read the request on the officer's page
        pk=request_id,
    )
    answer_form = StoreRequestAnswerForm()
    status = 200
    if request.method == "POST":
        if StoreRequestActionForm(request.POST).values()["action"] == "withdraw":
            try:
                svc.store_request_withdraw(actor=request.user, request=req)
                messages.success(request, _("Your request is withdrawn."))
            except ServiceError as exc:
                show_service_error(request, exc)
            return redirect("market:store_request_detail", request_id=req.pk)
        answer_form = StoreRequestAnswerForm(request.POST, request.FILES)
        values = answer_form.values()
        try:
            svc.store_request_answer(
                actor=request.user,
                request=req,
                answer=values["answer"],
                photo=answer_form.cleaned_data.get("photo"),
            )
        except ServiceError as exc:
            if exc.kind == Kind.CONFLICT:
                show_service_error(request, exc)
                return redirect("market:store_request_detail", request_id=req.pk)
            form_service_error(request, exc, answer_form)
            status = 400
        else:
            messages.success(request, _("Your answer is sent to the officer."))
            return redirect("market:store_request_detail", request_id=req.pk)
    return render(
        request,
        "market/stores/request_detail.html",
        {"req": req, "answer_form": answer_form, "withdraw_form": StoreRequestActionForm()},
        status=status,
    )


@access(authenticated=True)
def store_request_photo(request, request_id: int):
    """The photo, for the requester and for who decides (not a department viewer: an
    ID card is sensitive)."""
    req = StoreRequest.objects.filter(pk=request_id, requester_id=request.user.pk).first()
    if req is None:
        req = get_allowed_or_404(StoreRequest, request.user, "decide", pk=request_id)
    if req.requester_id != request.user.pk:
        log_sensitive_export(
            actor=request.user,
            what=f"market store request {req.pk} (photo)",
            people=1,
            province=req.province_id,
        )
    name = req.photo.name
    suffix = name.rsplit(".", 1)[-1] if "." in name else "jpg"
    return private_file_response(PRIVATE, name, f"store-request-{req.pk}.{suffix}")


@access(roles=roles.STAFF)
def officer_queue(request):
    """The province's store requests (the VCA: every province); open ones first."""
    return render(
        request,
        "market/stores/queue.html",
        {
            "open_requests": list(sel.request_queue(request.user)),
            "closed_requests": list(sel.request_queue(request.user, open_only=False)[:50]),
            "may_decide": holds(request.user, roles.REVIEWERS),
        },
    )


@access(roles=roles.STAFF)
def officer_request(request, request_id: int):
    """One request: who, where, what they sell, the photo; approve, refuse, ask."""
    req = get_allowed_or_404(
        StoreRequest.objects.select_related("province", "ward", "requester", "store"),
        request.user,
        "view",
        pk=request_id,
    )
    forms = {
        "refuse": StoreRequestDecisionForm(
            text_label=_("Reason for the producer"), auto_id="%s-refuse"
        ),
        "ask": StoreRequestDecisionForm(
            text_label=_("What should the producer tell you?"), auto_id="%s-ask"
        ),
    }
    if request.method == "POST":
        StoreRequest.policy.check(request.user, "decide", req)  # a viewer: 403
        form = StoreRequestDecisionForm(request.POST)
        values = form.values()
        action = values["action"]
        try:
            if action == "approve":
                store = svc.store_request_approve(actor=request.user, request=req)
                messages.success(
                    request,
                    _("The store %(name)s is open; the producer is told by SMS.")
                    % {"name": store.name},
                )
            elif action == "refuse":
                svc.store_request_refuse(actor=request.user, request=req, reason=values["text"])
                messages.success(
                    request, _("The request is refused; the producer sees your reason.")
                )
            elif action == "ask":
                svc.store_request_ask(actor=request.user, request=req, question=values["text"])
                messages.success(request, _("Your question is sent to the producer."))
            else:
                messages.error(request, _("Choose approve, refuse or ask."))
        except ServiceError as exc:
            if exc.fields and exc.kind == Kind.INVALID:
                forms[action] = StoreRequestDecisionForm(
                    request.POST,
                    text_label=forms[action].fields["text"].label,
                    auto_id=f"%s-{action}",
                )
                form_service_error(request, exc, forms[action])
                return render(
                    request,
                    "market/stores/review.html",
                    _review_context(request, req, forms),
                    status=400,
                )
            show_service_error(request, exc)
        return redirect("market:officer_store_request", request_id=req.pk)
    return render(request, "market/stores/review.html", _review_context(request, req, forms))


def _review_context(request, req: StoreRequest, forms: dict) -> dict:
    sensitive = sel.sees_sensitive(request.user, req)
    if sensitive:  # the page hands out an ID number (and ethnicity): logged
        log_sensitive_export(
            actor=request.user,
            what=f"market store request {req.pk} (ID number)",
            people=1,
            province=req.province_id,
        )
    return {
        "req": req,
        "sensitive": sensitive,
        "may_decide": StoreRequest.policy.allows(request.user, "decide", req),
        "is_open": req.status in (StoreRequestStatus.SUBMITTED, StoreRequestStatus.INFO_REQUESTED),
        "bank_label": dict(BANK_CHOICES).get(req.bank_bin, req.bank_bin),
        "refuse_form": forms["refuse"],
        "ask_form": forms["ask"],
    }
