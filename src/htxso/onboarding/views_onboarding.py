"""Pages of access requests: the "join HTX Số" page, the manager's request and its
follow-up, the province's queue and its decisions.

Thin: parse (a Django form) → access (``@access`` and the model's policy) → service or
selector → render.  Another province's request is a 404, whoever asks.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.accounts.phones import display_phone
from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.geo.models import Province, Ward
from htxso.registry.models import Organisation

from . import selectors, services
from .forms import AnswerForm, AskForm, ConfirmForm, FindForm, RefuseForm, RegisterForm, RequestForm
from .models import AccessRequest, Status

PAGE_SIZE = 25


def _url_or(name: str, fallback: str) -> str:
    """A route another part of the project may not have yet: its path otherwise."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


# ------------------------------------------------------------------ public


@access(public=True)
def join(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/join.html",
        {
            "signup_url": _url_or("accounts:signup", "/dang-ky/"),
            "login_url": reverse("accounts:login"),
            "request_url": reverse("onboarding:request_new"),
        },
    )


# ------------------------------------------------------------------ the requester


def _provinces() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name").values_list("code", "name"))


def _notice_url() -> str:
    return _url_or("privacy:notice", "/du-lieu-ca-nhan/thong-bao/")


@access(authenticated=True)
def request_new(request: HttpRequest) -> HttpResponse:
    """Step 1 finds the cooperative (GET ``q``), step 2 is the form (GET ``org`` or
    ``propose``), which POSTs here."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    find = FindForm(source)
    find.is_valid()
    picked = find.cleaned_data.get("org")
    propose = bool(find.cleaned_data.get("propose"))
    organisation = None
    if picked:
        organisation = (
            Organisation.objects.select_related("province", "ward").filter(pk=picked).first()
        )
        if organisation is None:
            raise Http404
    if organisation is None and not propose:
        q = find.cleaned_data.get("q", "")
        return render(
            request,
            "onboarding/request_find.html",
            {
                "find": find,
                "q": q,
                "results": selectors.find_organisations(q=q),
                "searched": len(q.strip()) >= 2,
            },
        )
    initial = {
        "org": organisation.pk if organisation else None,
        "propose": propose and organisation is None,
        "full_name": user.full_name,
        "phone": display_phone(user.phone) if user.phone else "",
        "proposed_name": find.cleaned_data.get("q", ""),
    }
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, provinces=_provinces())
        if form.is_valid():
            d = form.cleaned_data
            created = form.apply(
                lambda: services.request_submit(
                    actor=user,
                    requester=user,
                    full_name=d["full_name"],
                    phone=d["phone"],
                    position=d["position"],
                    document=form.upload,
                    consent=d["consent"],
                    organisation=organisation,
                    proposal=None if organisation else form.proposal(),
                )
            )
            if created is not None:
                messages.success(
                    request,
                    _(
                        "Your request was sent to the province. "
                        "You will get an SMS with the answer."
                    ),
                )
                return redirect("onboarding:my_request", created.pk)
    else:
        form = RequestForm(initial=initial, provinces=_provinces())
    managers = services.existing_managers(organisation)
    return render(
        request,
        "onboarding/request_form.html",
        {
            "form": form,
            "organisation": organisation,
            "propose": organisation is None,
            "has_manager": bool(managers),
            "notice_url": _notice_url(),
        },
    )


@access(authenticated=True)
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.my_requests(user=request.user)[:50])
    return render(request, "onboarding/my_requests.html", {"rows": rows})


def _own(request: HttpRequest, pk: int) -> AccessRequest:
    return get_allowed_or_404(
        AccessRequest.objects.select_related("organisation", "province"),
        request.user,
        "own",
        hide=True,
        pk=pk,
    )


@access(authenticated=True)
def my_request(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    return render(
        request,
        "onboarding/my_request.html",
        {
            "req": req,
            "answer_form": AnswerForm() if req.status == Status.INFO_REQUESTED else None,
            "phone": display_phone(req.phone),
        },
    )


@access(authenticated=True)
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        done = form.apply(
            lambda: services.request_answer(
                actor=request.user,
                access_request=req,
                answer=form.cleaned_data.get("answer", ""),
                document=form.upload,
            )
        )
        if done is not None:
            messages.success(request, _("Your answer was sent to the province."))
            return redirect("onboarding:my_request", req.pk)
    return render(
        request,
        "onboarding/my_request.html",
        {"req": req, "answer_form": form, "phone": display_phone(req.phone)},
        status=400,
    )


@access(authenticated=True)
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.request_withdraw(actor=request.user, access_request=req)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("onboarding:my_request", req.pk)


@access(authenticated=True)
def request_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The authorising document, for the province's staff and the requester only."""
    req = get_allowed_or_404(AccessRequest, request.user, "view", hide=True, pk=pk)
    return private_file_response(
        PRIVATE, req.document.name, req.document_name, content_type=req.document_type
    )


# ------------------------------------------------------------------ the province


@access(roles=roles.STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")[:20]
    if status not in Status.values:
        status = ""
    provinces = selectors.province_choices(user=user)
    province = request.GET.get("province", "")[:2]
    if province not in {code for code, _name in provinces}:
        province = ""
    qs = selectors.queue(user=user, status=status, province=province)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    with_manager = set(
        selectors.organisations_with_manager([r.organisation_id for r in rows if r.organisation_id])
    )
    return render(
        request,
        "onboarding/queue.html",
        {
            "page": page,
            "rows": [(r, r.organisation_id in with_manager) for r in rows],
            "status": status,
            "statuses": Status.choices,
            "counts": selectors.queue_counts(user=user, province=province),
            "province": province,
            "provinces": provinces,
        },
    )


def _review_context(request: HttpRequest, req: AccessRequest, **forms) -> dict:
    may_decide = AccessRequest.policy.allows(request.user, "decide", req)
    similar = []
    if req.proposed and not req.organisation_id:
        similar = selectors.similar_organisations(req)
    return {
        "req": req,
        "phone": display_phone(req.phone),
        "managers": services.existing_managers(req.organisation),
        "similar": similar,
        "may_decide": may_decide and req.is_open,
        "ask_form": forms.get("ask_form") or AskForm(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "requester_roles": selectors.requester_roles(req.requester),
    }


def _staff_get(request: HttpRequest, pk: int, action: str) -> AccessRequest:
    return get_allowed_or_404(
        AccessRequest.objects.select_related(
            "organisation", "organisation__province", "organisation__ward", "province", "requester"
        ),
        request.user,
        action,
        pk=pk,
    )


@access(roles=roles.STAFF)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    req = _staff_get(request, pk, "queue")
    return render(request, "onboarding/review.html", _review_context(request, req))


@access(roles=roles.REVIEWERS)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    req = _staff_get(request, pk, "decide")
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.request_approve(actor=request.user, access_request=req)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(
            request,
            _("Approved: %(name)s now manages %(org)s.")
            % {"name": req.full_name, "org": req.organisation_name},
        )
    return redirect("onboarding:review", req.pk)


def _decide_with_text(request: HttpRequest, pk: int, form_class, form_key: str, run, done):
    """Refuse or ask: a decision that carries a text (the reason, the question).  On
    success the reviewer goes back to the request with ``done``; a refused input stays
    on the review page under its form (400)."""
    req = _staff_get(request, pk, "decide")
    form = form_class(request.POST)
    if form.is_valid() and form.apply(lambda: run(req, form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect("onboarding:review", req.pk)
    return render(
        request,
        "onboarding/review.html",
        _review_context(request, req, **{form_key: form}),
        status=400,
    )


@access(roles=roles.REVIEWERS)
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_with_text(
        request,
        pk,
        RefuseForm,
        "refuse_form",
        lambda req, data: services.request_refuse(
            actor=request.user, access_request=req, reason=data["reason"]
        ),
        _("Refused. The person was told the reason."),
    )


@access(roles=roles.REVIEWERS)
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_with_text(
        request,
        pk,
        AskForm,
        "ask_form",
        lambda req, data: services.request_ask(
            actor=request.user, access_request=req, message=data["message"]
        ),
        _("Your question was sent to the person by SMS."),
    )


@access(roles=roles.REVIEWERS)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the proposed cooperative and approve the request with it."""
    req = _staff_get(request, pk, "decide")
    if not req.proposed or req.organisation_id or not req.is_open:
        messages.info(request, _("There is nothing to register for this request."))
        return redirect("onboarding:review", req.pk)
    wards = list(
        Ward.objects.filter(province_id=req.province_id)
        .order_by("name")
        .values_list("code", "name")
    )
    if request.method == "POST":
        form = RegisterForm(request.POST, wards=wards)
        if form.is_valid():
            result = form.apply(
                lambda: services.proposal_register(
                    actor=request.user,
                    access_request=req,
                    kind=form.cleaned_data["kind"],
                    data=form.service_data(),
                )
            )
            if result is not None:
                org, _req = result
                messages.success(
                    request,
                    _("%(org)s is registered and %(name)s now manages it.")
                    % {"org": org.name, "name": req.full_name},
                )
                return redirect("onboarding:review", req.pk)
    else:
        resolved = selectors.resolve_ward(req)
        form = RegisterForm(
            initial={
                "name": req.proposed_name,
                "kind": req.proposed_kind or "cooperative",
                "tax_code": req.proposed_tax_code,
                "ward": resolved.code if resolved else "",
                "address": req.proposed_address,
            },
            wards=wards,
        )
    return render(
        request,
        "onboarding/register.html",
        {"req": req, "form": form, "similar": selectors.similar_organisations(req)},
    )
