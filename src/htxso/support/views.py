"""Pages of service requests: the cooperative's (send, follow, answer, withdraw, rate),
the centre's (queue, handle one request) and the report.

Thin: parse (a Django form) → access (``@access`` and ``ServiceRequest.policy``) →
service or selector → render.  Another province's request is a 404, whoever asks.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import PRIVATE, private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Organisation

from . import reports, selectors, services
from .forms import (
    AskForm,
    AssignForm,
    CloseForm,
    EscalateForm,
    MessageForm,
    NoteForm,
    QueueFilterForm,
    RateForm,
    ReportForm,
    RequestForm,
    WithdrawForm,
)
from .models import Attachment, Outcome, RequestType, ServiceRequest, Status

PAGE_SIZE = 25
POLICIES_SLOT = "support/policies/_eligible.html"


def _policies_slot() -> str:
    """The "policies you may be eligible for" fragment of ``support.policies``, when
    that module offers it."""
    try:
        select_template([POLICIES_SLOT])
    except TemplateDoesNotExist:
        return ""
    return POLICIES_SLOT


# ------------------------------------------------------------------ the cooperative


@access(roles=roles.MANAGERS)
def my_requests(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_requests(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    day = selectors.today()
    cal = selectors.working_calendar()
    rows = [(r, selectors.sla_state(r, day, cal)) for r in page.object_list]
    return render(
        request,
        "support/my_requests.html",
        {
            "page": page,
            "rows": rows,
            "organisations": selectors.own_organisations(user=request.user),
        },
    )


def _organisation_for(request: HttpRequest, raw: Any) -> Organisation | None:
    """The organisation the user sends for: ``raw`` (an id) or their only one.  Another
    organisation than the user's own answers 404, whoever asks."""
    own = selectors.own_organisations(user=request.user)
    if raw in (None, ""):
        return own[0] if len(own) == 1 else None
    try:
        pk = int(str(raw))
    except ValueError:
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    org = Organisation.objects.select_related("province", "ward").filter(pk=pk).first()
    if org is None or not ServiceRequest.policy.allows_at(request.user, "own", organisation=pk):
        raise Http404
    return org


@access(roles=roles.MANAGERS)
def request_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    organisation = _organisation_for(request, source.get("org"))
    if organisation is None:
        return render(
            request,
            "support/request_pick.html",
            {"organisations": selectors.own_organisations(user=request.user)},
        )
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = services.request_create(
                    actor=request.user,
                    organisation=organisation,
                    request_type=d["request_type"],
                    title=d["title"],
                    description=d["description"],
                    files=form.uploads,
                    related_case_id=d.get("related_case"),
                    submit_key=d["key"],
                )
            except ServiceError as exc:
                if exc.code == "request_duplicate" and (exc.details or {}).get("id"):
                    messages.info(request, exc.text)
                    return redirect("support:detail", exc.details["id"])
                show_service_error(request, exc, form)
            else:
                messages.success(
                    request,
                    _(
                        "Your request was sent to the support centre. "
                        "You will be told of its answer."
                    ),
                )
                return redirect("support:detail", created.pk)
    else:
        initial: dict[str, Any] = {"org": organisation.pk}
        wanted = request.GET.get("type", "")[:20]
        if wanted in RequestType.values:
            initial["request_type"] = wanted
        case = request.GET.get("case", "")[:19]
        if case.isdigit():
            initial["related_case"] = int(case)
        form = RequestForm(initial=initial)
    return render(
        request,
        "support/request_form.html",
        {
            "form": form,
            "organisation": organisation,
            "facts": selectors.organisation_facts(organisation),
            "policies_slot": _policies_slot(),
        },
    )


def _detail_context(request: HttpRequest, req: ServiceRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    policy = ServiceRequest.policy
    staff = policy.allows(user, "queue", req)
    handles = policy.allows(user, "handle", req)
    owns = policy.allows(user, "own", req) and not handles
    day = selectors.today()
    cal = selectors.working_calendar()
    ctx: dict[str, Any] = {
        "req": req,
        "entries": selectors.timeline(user=user, req=req),
        "staff": staff,
        "handles": handles,
        "owns": owns,
        "sla": selectors.sla_state(req, day, cal),
        "facts": req.facts,
    }
    if req.is_open and owns:
        ctx["message_form"] = forms.get("message_form") or MessageForm()
        ctx["withdraw_form"] = WithdrawForm()
    if (
        owns
        and req.status == Status.CLOSED
        and req.rating is None
        and req.outcome != Outcome.WITHDRAWN
    ):
        ctx["rate_form"] = forms.get("rate_form") or RateForm()
    if handles:
        ctx["note_form"] = forms.get("note_form") or NoteForm()
        if req.is_open:
            ctx["reply_form"] = forms.get("reply_form") or MessageForm()
            if req.status != Status.WAITING:
                ctx["ask_form"] = forms.get("ask_form") or AskForm()
            ctx["close_form"] = forms.get("close_form") or CloseForm()
            if req.escalated_at is None:
                ctx["escalate_form"] = forms.get("escalate_form") or EscalateForm()
            officers = selectors.officers_for(req.province_id)
            ctx["assign_form"] = forms.get("assign_form") or AssignForm(
                initial={"assignee": req.assignee_id}, officers=officers
            )
    return ctx


def _get(request: HttpRequest, pk: int, action: str, *, hide: bool = False) -> ServiceRequest:
    return get_allowed_or_404(
        ServiceRequest.objects.select_related("organisation", "province", "assignee", "created_by"),
        request.user,
        action,
        hide=hide,
        pk=pk,
    )


@access(roles=roles.READERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "view")
    return render(request, "support/detail.html", _detail_context(request, req))


def _again(request: HttpRequest, req: ServiceRequest, key: str, form: Any) -> HttpResponse:
    return render(
        request, "support/detail.html", _detail_context(request, req, **{key: form}), status=400
    )


@access(roles=roles.MANAGERS)
@require_POST
def request_message(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "own", hide=True)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        done = form.apply(
            lambda: services.request_message(
                actor=request.user,
                service_request=req,
                message=form.cleaned_data.get("message", ""),
                files=form.uploads,
            )
        )
        if done is not None:
            messages.success(request, _("Your message was sent to the support centre."))
            return redirect("support:detail", req.pk)
    return _again(request, req, "message_form", form)


@access(roles=roles.MANAGERS)
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "own", hide=True)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.request_withdraw(
            actor=request.user, service_request=req, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("support:detail", req.pk)


@access(roles=roles.MANAGERS)
@require_POST
def request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "own", hide=True)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.request_rate(
                actor=request.user,
                service_request=req,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except ServiceError as exc:
            show_service_error(request, exc)
            return redirect("support:detail", req.pk)
        messages.success(request, _("Thank you for rating the service."))
        return redirect("support:detail", req.pk)
    return _again(request, req, "rate_form", form)


@access(roles=roles.READERS)
def attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """A file of a request, for those who see the request (internal ones: staff)."""
    req = _get(request, pk, "view")
    item = Attachment.objects.filter(request=req, pk=file_pk).first()
    if item is None or (item.internal and not selectors.staff_sees(request.user, req)):
        raise Http404
    return private_file_response(PRIVATE, item.file.name, item.name, content_type=item.content_type)


# ------------------------------------------------------------------ the centre


def _handle(view_name: str, form_class: type, key: str, call, success: str):
    @access(roles=roles.REVIEWERS)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        req = _get(request, pk, "handle")
        if form_class is AssignForm:
            form = form_class(request.POST, officers=selectors.officers_for(req.province_id))
        elif form_class in (MessageForm, NoteForm):
            form = form_class(request.POST, request.FILES)
        else:
            form = form_class(request.POST)
        if form.is_valid():
            done = form.apply(lambda: call(request, req, form))
            if done is not None:
                messages.success(request, str(success))
                return redirect("support:detail", req.pk)
        return _again(request, req, key, form)

    view.__name__ = view_name
    view.__qualname__ = view_name
    return view


assign = _handle(
    "assign",
    AssignForm,
    "assign_form",
    lambda request, req, form: services.request_assign(
        actor=request.user,
        service_request=req,
        assignee=selectors.officer(req.province_id, form.cleaned_data.get("assignee")),
    ),
    gettext_lazy("The request was assigned."),
)
reply = _handle(
    "reply",
    MessageForm,
    "reply_form",
    lambda request, req, form: services.request_reply(
        actor=request.user,
        service_request=req,
        message=form.cleaned_data.get("message", ""),
        files=form.uploads,
    ),
    gettext_lazy("Your reply was sent to the cooperative."),
)
ask = _handle(
    "ask",
    AskForm,
    "ask_form",
    lambda request, req, form: services.request_ask(
        actor=request.user, service_request=req, message=form.cleaned_data["message"]
    ),
    gettext_lazy("Your question was sent; the deadline waits for the answer."),
)
note = _handle(
    "note",
    NoteForm,
    "note_form",
    lambda request, req, form: services.request_note(
        actor=request.user,
        service_request=req,
        message=form.cleaned_data.get("message", ""),
        files=form.uploads,
    ),
    gettext_lazy("The internal note was added."),
)
escalate = _handle(
    "escalate",
    EscalateForm,
    "escalate_form",
    lambda request, req, form: services.request_escalate(
        actor=request.user, service_request=req, reason=form.cleaned_data["reason"]
    ),
    gettext_lazy("The request was escalated to the VCA."),
)
close = _handle(
    "close",
    CloseForm,
    "close_form",
    lambda request, req, form: services.request_close(
        actor=request.user,
        service_request=req,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
    ),
    gettext_lazy("The request was closed; the cooperative was told."),
)


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are (a cached count) instead of counting."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._count


def _queue_rows(requests, day, cal) -> list[dict[str, Any]]:
    """The queue's rows as plain text, built in one pass: labels translated once per
    request (not per row), dates formatted here, the deadline in one phrase."""
    status_labels = {value: str(label) for value, label in Status.choices}
    type_labels = {value: str(label) for value, label in RequestType.choices}
    words = {
        "paused": _("Paused: waiting for the cooperative"),
        "first_response_overdue": _("First response overdue"),
        "overdue": _("Overdue"),
        "soon": _("Due soon"),
        "answer_by": _("Answer by"),
        "resolve_by": _("Resolve by"),
        "not_assigned": _("not assigned"),
    }
    rows = []
    for r in requests:
        sla = selectors.sla_state(r, day, cal)
        due = sla.due.strftime("%d/%m/%Y") if sla.due else ""
        first = sla.which == "first_response"
        if sla.paused:
            sla_class, sla_text = "paused", words["paused"]
        elif sla.overdue:
            label = words["first_response_overdue"] if first else words["overdue"]
            sla_class, sla_text = "overdue", f"{label} · {due}"
        elif sla.due_soon:
            sla_class, sla_text = "soon", f"{words['soon']} · {due}"
        elif sla.due:
            label = words["answer_by"] if first else words["resolve_by"]
            sla_class, sla_text = "", f"{label} {due}"
        else:
            sla_class, sla_text = "", ""
        rows.append(
            {
                "pk": r.id,
                "title": r.title,
                "status": r.status,
                "status_label": status_labels.get(r.status, r.status),
                "type_label": type_labels.get(r.request_type, r.request_type),
                "organisation": r.organisation__name,
                "province": r.province__name,
                "created": timezone.localtime(r.created_at).strftime("%d/%m/%Y"),
                "assignee": (r.assignee__full_name or r.assignee__username)
                if r.assignee_id
                else words["not_assigned"],
                "overdue": sla.overdue,
                "sla_class": sla_class,
                "sla_text": sla_text,
            }
        )
    return rows


@access(roles=roles.STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    provinces = selectors.province_choices(user=user)
    officers = selectors.officers_for(provinces[0][0]) if len(provinces) == 1 else []
    form = QueueFilterForm(request.GET, officers=officers, provinces=provinces)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = selectors.QueueFilters(
        request_type=data.get("request_type") or "",
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
        assignee=data.get("assignee") or "",
        province=data.get("province") or "",
    )
    day = selectors.today()
    qs = selectors.queue(user=user, filters=filters, day=day)
    key = selectors.queue_key(user=user, filters=filters, day=day)
    total = selectors.queue_count(key=key, qs=qs)
    ids = selectors.queue_ids(qs)
    page = KnownCountPaginator(ids, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    # the lines of a page change only when a request changes (which forgets them), or
    # with the day (in the key): kept per page and language
    rows = selectors.OPEN_COUNTS.get_or_set(
        (*key, page.number, translation.get_language()),
        lambda: _queue_rows(
            selectors.queue_rows(list(page.object_list)), day, selectors.working_calendar()
        ),
    )
    current = {
        "request_type": filters.request_type,
        "status": filters.status,
        "assignee": filters.assignee,
        "province": filters.province,
        "overdue": filters.overdue,
    }
    # the filter panel is the same for everyone of the same provinces and officers with
    # the same filters: rendered once and cached (its ~50 options cost more than the list)
    filters_key = hashlib.sha256(
        repr(
            (
                sorted(current.items()),
                [code for code, _name in provinces],
                [u.pk for u in officers],
            )
        ).encode()
    ).hexdigest()[:32]
    return render(
        request,
        "support/queue.html",
        {
            "form": form,
            "current": current,
            "filters_key": filters_key,
            "page": page,
            "rows": rows,
            "counts": selectors.open_counts(user=user),
            "many_provinces": len(provinces) > 1,
            # one reverse() for the page instead of one {% url %} per row
            "detail_prefix": reverse("support:detail", args=[1]).removesuffix("1/"),
        },
    )


def _report_args(request: HttpRequest) -> tuple[ReportForm, int, str, str]:
    provinces = selectors.province_choices(user=request.user)
    form = ReportForm(request.GET, provinces=provinces)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    year = data.get("year") or selectors.today().year
    province = data.get("province") or ""
    if len(provinces) == 1:
        province = provinces[0][0]
    names = dict(provinces)
    place = names.get(province) or _("All provinces")
    return form, year, province, str(place)


@access(roles=roles.STAFF)
def report(request: HttpRequest) -> HttpResponse:
    form, year, province, place = _report_args(request)
    data = reports.build(user=request.user, year=year, province=province)
    return render(
        request,
        "support/report.html",
        {"form": form, "report": data, "place": place, "query": request.GET.urlencode()},
    )


@access(roles=roles.STAFF)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, year, province, place = _report_args(request)
    data = reports.build(user=request.user, year=year, province=province)
    content = reports.workbook(data, place=place)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = selectors.today().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="nhu-cau-ho-tro-{province or "ca-nuoc"}-{year}-{stamp}.xlsx"'
    )
    return response
