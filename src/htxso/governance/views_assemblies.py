"""Pages of general assemblies (``/quan-tri-htx/dai-hoi/…``).

* members (phone first): the list of their cooperative's assemblies, the assembly page
  (agenda, documents, petitions, live quorum, "I am here"), the check-in page behind the
  hall's QR code and the personal link;
* the manager: prepare (agenda, documents, delegates), announce, open, close, call again,
  the hall's screen with the rotating code, the secretary's desk;
* staff of the province: the list of assemblies with the late annual assemblies.

Thin: parse (``forms_assemblies``) → access (``@access`` and the models' policies) →
service or selector → render.  Another province's or cooperative's assembly is a 404.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.files import private_file_response
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404, holds
from htxso.registry.models import Membership, Organisation

from . import checkin_assemblies as codes
from . import rules
from . import selectors_assemblies as sel
from . import services_assemblies as services
from .forms_assemblies import (
    ActionForm,
    AgendaForm,
    AssemblyEditForm,
    AssemblyForm,
    CancelForm,
    ConfirmForm,
    DelegatesForm,
    DeskForm,
    DocumentForm,
    NextCallForm,
    PetitionAnswerForm,
    PetitionForm,
    RemoveForm,
)
from .models.assemblies import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    AssemblyMode,
    AssemblyStatus,
    Attendance,
    Petition,
)
from .models.rules import RuleKey

PEOPLE = roles.STAFF_AND_ORGANISATIONS
MEMBERS = roles.ORGANISATION_PEOPLE


def _assembly(request: HttpRequest, pk: int, action: str = "view") -> Assembly:
    return get_allowed_or_404(
        Assembly.objects.select_related("organisation", "organisation__province"),
        request.user,
        action,
        pk=pk,
    )


def _may_change(request: HttpRequest, a: Assembly) -> bool:
    return Assembly.policy.allows(request.user, "change", a)


def _back(a: Assembly) -> HttpResponse:
    return redirect("governance:assembly_detail", pk=a.pk)


def _qr_svg(data: str) -> str:
    out = io.BytesIO()
    segno.make_qr(data, error="m").save(
        out,
        kind="svg",
        scale=1,
        border=4,
        omitsize=True,
        xmldecl=False,
        svgns=True,
        nl=False,
        svgclass="assembly-qr__svg",
        lineclass=None,
        light="#fff",
    )
    return out.getvalue().decode()


def _hall_code(a: Assembly) -> dict:
    token = codes.hall_token(a.pk, a.checkin_token)
    url = services._site(reverse("governance:checkin", kwargs={"token": token}))
    return {"url": url, "svg": _qr_svg(url), "seconds_left": codes.seconds_left()}


# ------------------------------------------------------------------ lists


def _attempt(request: HttpRequest, call: Callable[[], object], done: str) -> None:
    """Run a service for a button: its refusal as a message, or ``done``."""
    try:
        call()
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, done)


@access(roles=PEOPLE)
@require_GET
def assembly_list(request: HttpRequest) -> HttpResponse:
    qs = sel.assemblies_for(request.user)
    managed = list(
        allowed(Organisation, request.user, "view").filter(
            pk__in=Assembly.policy.reach(request.user, "change")[2]
        )
    )
    reminders = [(org, sel.annual_status(org)) for org in managed]
    is_staff = holds(request.user, roles.STAFF)
    return render(
        request,
        "governance/assemblies/list.html",
        {
            "upcoming": sel.upcoming_for(request.user),
            "assemblies": qs[:200],
            "reminders": [(o, s) for o, s in reminders if s.held is None],
            "may_create": bool(managed) or holds(request.user, roles.VCA),
            "late": sel.late_annual(request.user) if is_staff else None,
            "is_staff": is_staff,
        },
    )


# ------------------------------------------------------------------ create


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def assembly_new(request: HttpRequest) -> HttpResponse:
    everywhere, _p, org_ids = Assembly.policy.reach(request.user, "change")
    orgs = Organisation.objects.all() if everywhere else Organisation.objects.filter(pk__in=org_ids)
    orgs = orgs.order_by("name")
    org_id = request.GET.get("org", "")
    org = None
    if org_id.isdigit() and len(org_id) < 19:
        org = orgs.filter(pk=int(org_id)).first()
    if org is None and not everywhere:
        org = orgs.first()
    if org is None:
        return render(request, "governance/assemblies/new.html", {"form": None, "orgs": orgs[:50]})
    need = sel.delegate_need(org)
    form = AssemblyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            a = services.assembly_create(
                actor=request.user,
                organisation=org,
                kind=d["kind"],
                year=d["year"],
                mode=d["mode"],
                title=d["title"],
                scheduled_at=d["scheduled_at"],
                place=d["place"],
                online_link=d["online_link"],
                is_delegate=d["is_delegate"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("The assembly is prepared. Add the agenda and documents."))
            return _back(a)
    return render(
        request,
        "governance/assemblies/new.html",
        {
            "form": form,
            "org": org,
            "need": need,
            "annual": sel.annual_status(org),
            "quorum_rules": [
                rules.rule(k, org_kind=org.kind)
                for k in (RuleKey.QUORUM_1, RuleKey.QUORUM_2, RuleKey.QUORUM_3)
            ],
        },
    )


# ------------------------------------------------------------------ one assembly


@access(roles=PEOPLE)
@require_GET
@never_cache
def assembly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk)
    me = sel.membership_of(request.user, a.organisation_id)
    may_change = _may_change(request, a)
    attendance = sel.attendance_of(a, me)
    online = a.mode in (AssemblyMode.ONLINE, AssemblyMode.HYBRID)
    hall = a.mode in (AssemblyMode.IN_PERSON, AssemblyMode.HYBRID)
    ctx = {
        "a": a,
        "me": me,
        "may_change": may_change,
        "attendance": attendance,
        "may_vote": sel.may_vote(a, me) if me is not None else False,
        "online": online,
        "hall": hall,
        "personal_token": codes.personal_token(a.pk, me.pk) if (me and online) else "",
        "quorum": sel.quorum(a),
        "agenda": list(a.agenda.all()),
        "documents": list(a.documents.all()),
        "petitions": sel.petitions(a, me),
        "petition_open": a.status in services.PREPARING,
        "petition_form": PetitionForm(),
        "confirm": ConfirmForm(),
        "next_call": getattr(a, "next_call", None)
        if a.status == AssemblyStatus.ADJOURNED
        else None,
        "previous": a.previous_call,
    }
    if may_change:
        ctx.update(
            {
                "agenda_form": AgendaForm(),
                "document_form": DocumentForm(),
                "next_call_form": NextCallForm(),
                "answer_form": PetitionAnswerForm(),
                "need": sel.delegate_need(a.organisation, sel.assembly_day(a))
                if a.is_delegate
                else None,
                "delegates": list(a.delegates.select_related("membership__person")),
            }
        )
    return render(request, "governance/assemblies/detail.html", ctx)


@access(roles=roles.MANAGERS)
@require_POST
def assembly_action(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return _back(a)
    action = form.cleaned_data["action"]
    do = {
        "announce": services.announce,
        "open": services.open_assembly,
        "close": services.close_assembly,
        "rotate": services.rotate_code,
    }[action]
    try:
        a = do(actor=request.user, assembly=a)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        done = {
            "announce": _("Announced: members were sent the invitation."),
            "open": _("The assembly is open: members may check in."),
            "close": _("The assembly is closed."),
            "rotate": _("A new check-in code is shown; older codes stop working."),
        }[action]
        if action == "close" and a.status == AssemblyStatus.ADJOURNED:
            done = _("No quorum: the assembly is adjourned. Call it again within the law's days.")
        messages.success(request, done)
    if action == "open" and a.status == AssemblyStatus.OPEN and a.mode != AssemblyMode.ONLINE:
        return redirect("governance:assembly_hall", pk=a.pk)
    return _back(a)


@access(roles=roles.MANAGERS)
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    form = AgendaForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_add(actor=request.user, assembly=a, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc)
    else:
        messages.error(request, _("Write the agenda item."))
    return _back(a)


@access(roles=roles.MANAGERS)
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.document_add(actor=request.user, assembly=a, **form.cleaned_data),
            _("Document added."),
        )
    else:
        messages.error(request, _("Give a title and choose a file."))
    return _back(a)


@access(roles=PEOPLE)
@require_GET
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_allowed_or_404(
        AssemblyDocument.objects.select_related("assembly"), request.user, "view", pk=pk
    )
    name = doc.file.name
    suffix = name[name.rfind(".") :] if "." in name else ""
    return private_file_response("private", name, f"{doc.title[:80]}{suffix}")


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def delegates(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    day = sel.assembly_day(a)
    official = (
        sel.official_members(a.organisation_id, day)
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    current = list(a.delegates.values_list("membership_id", flat=True))
    form = DelegatesForm(request.POST or None, members=official, initial={"members": current})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.delegates_elect(
                actor=request.user,
                assembly=a,
                membership_ids=[m.pk for m in d["members"]],
                elected_on=d["elected_on"],
                constituency=d["constituency"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Delegates recorded."))
            return _back(a)
    return render(
        request,
        "governance/assemblies/delegates.html",
        {
            "a": a,
            "form": form,
            "need": sel.delegate_need(a.organisation, day),
            "current": len(current),
        },
    )


@access(roles=roles.MANAGERS)
@require_POST
def next_call(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    form = NextCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time of the next call."))
        return _back(a)
    try:
        b = services.next_call(
            actor=request.user, assembly=a, scheduled_at=form.cleaned_data["scheduled_at"]
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return _back(a)
    messages.success(request, _("The next call is announced to members."))
    return _back(b)


# ------------------------------------------------------------------ change, cancel, remove


def _not_now(a: Assembly) -> str:
    """Why the assembly can no longer be changed (shown instead of the form)."""
    if a.status == AssemblyStatus.CANCELLED:
        return _("The assembly was cancelled: nothing more can change.")
    if a.status == AssemblyStatus.OPEN:
        return _("The assembly is in session: its details and agenda can no longer change.")
    return _("The assembly is over: its details and agenda can no longer change.")


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def assembly_edit(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    preparing = a.status in services.PREPARING
    initial = {f: getattr(a, f) for f in services.EDITABLE}
    initial["scheduled_at"] = timezone.localtime(a.scheduled_at)
    form = AssemblyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        before = a.scheduled_at, a.mode, a.place, a.online_link, a.title
        try:
            b = services.assembly_update(actor=request.user, assembly=a, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            if (b.scheduled_at, b.mode, b.place, b.online_link, b.title) == before:
                messages.info(request, _("Nothing was changed."))
            elif b.status == AssemblyStatus.ANNOUNCED:
                messages.success(request, _("Saved: members were told of the change."))
            else:
                messages.success(request, _("Saved."))
            return _back(b)
    return render(
        request,
        "governance/assemblies/edit.html",
        {
            "a": a,
            "form": form if preparing else None,
            "not_now": "" if preparing else _not_now(a),
            "announced": a.status == AssemblyStatus.ANNOUNCED,
        },
    )


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def assembly_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page of "Cancel the assembly" (with the reason)."""
    a = _assembly(request, pk, "change")
    preparing = a.status in services.PREPARING
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was = a.status
        try:
            services.assembly_cancel(
                actor=request.user, assembly=a, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            if was == AssemblyStatus.ANNOUNCED:
                messages.success(request, _("The assembly is cancelled: members were told."))
            else:
                messages.success(request, _("The assembly is cancelled."))
            return _back(a)
    return render(
        request,
        "governance/assemblies/cancel.html",
        {
            "a": a,
            "form": form if preparing else None,
            "not_now": "" if preparing else _cancel_not_now(a),
            "announced": a.status == AssemblyStatus.ANNOUNCED,
            "members": Membership.objects.filter(
                organisation_id=a.organisation_id, left_on__isnull=True
            ).count(),
        },
    )


def _cancel_not_now(a: Assembly) -> str:
    if a.status == AssemblyStatus.CANCELLED:
        return _("The assembly is already cancelled.")
    if a.status == AssemblyStatus.OPEN:
        return _("The assembly is in session: it cannot be cancelled; close it instead.")
    return _("The assembly is over: it cannot be cancelled.")


def _remove_page(
    request: HttpRequest, a: Assembly, *, what: str, title: str, petition: bool, call
) -> HttpResponse:
    preparing = a.status in services.PREPARING
    form = RemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and preparing and form.is_valid():
        try:
            call(form.cleaned_data["reason"])
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            messages.success(request, _("Removed."))
            return _back(a)
    elif request.method == "POST" and not preparing:
        messages.error(request, _not_now(a))
        return _back(a)
    return render(
        request,
        "governance/assemblies/remove.html",
        {
            "a": a,
            "form": form if preparing else None,
            "not_now": "" if preparing else _not_now(a),
            "what": what,
            "title": title,
            "petition": petition,
        },
    )


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def agenda_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_or_404(
        AgendaItem.objects.select_related("assembly", "assembly__organisation"),
        request.user,
        "change",
        pk=pk,
    )
    return _remove_page(
        request,
        item.assembly,
        what=_("Agenda item"),
        title=item.title,
        petition=item.petition_id is not None,
        call=lambda reason: services.agenda_remove(actor=request.user, item=item, reason=reason),
    )


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_allowed_or_404(
        AssemblyDocument.objects.select_related("assembly", "assembly__organisation"),
        request.user,
        "change",
        pk=pk,
    )
    return _remove_page(
        request,
        doc.assembly,
        what=_("Document"),
        title=doc.title,
        petition=False,
        call=lambda reason: services.document_remove(actor=request.user, document=doc),
    )


# ------------------------------------------------------------------ check-in


@access(roles=roles.MANAGERS)
@require_http_methods(["GET", "POST"])
@never_cache
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's list: check members in at the desk."""
    a = _assembly(request, pk, "change")
    if request.method == "POST":
        form = DeskForm(request.POST)
        if form.is_valid():
            try:
                services.desk_check_in(
                    actor=request.user, assembly=a, membership_id=form.cleaned_data["membership"]
                )
            except ServiceError as exc:
                show_service_error(request, exc)
        else:
            messages.error(request, _("Choose a member."))
        return redirect("governance:assembly_desk", pk=a.pk)
    present = {x.membership_id: x for x in Attendance.objects.filter(assembly=a)}
    voter_ids = set(sel.voters(a).values_list("pk", flat=True))
    members = (
        Membership.objects.filter(organisation_id=a.organisation_id, left_on__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    rows = [(m, present.get(m.pk), m.pk in voter_ids) for m in members[:2000]]
    return render(
        request,
        "governance/assemblies/desk.html",
        {"a": a, "rows": rows, "quorum": sel.quorum(a), "is_open": a.status == AssemblyStatus.OPEN},
    )


@access(roles=roles.MANAGERS)
@require_GET
@never_cache
def hall(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall's screen: the rotating QR code and the live quorum."""
    a = _assembly(request, pk, "change")
    is_open = a.status == AssemblyStatus.OPEN
    return render(
        request,
        "governance/assemblies/hall.html",
        {
            "a": a,
            "is_open": is_open,
            "code": _hall_code(a) if is_open else None,
            "quorum": sel.quorum(a),
            "confirm": ConfirmForm(),
        },
    )


@access(roles=roles.MANAGERS)
@require_GET
@never_cache
def hall_code(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk, "change")
    if a.status != AssemblyStatus.OPEN:
        return JsonResponse({"code": "not_open", "message": _("Check-in is closed.")}, status=409)
    return JsonResponse(_hall_code(a))


@access(roles=PEOPLE)
@require_GET
@never_cache
def quorum_json(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk)
    q = sel.quorum(a)
    return JsonResponse(
        {
            "present": q.present,
            "total": q.total,
            "required": q.required,
            "required_pct": str(q.required_pct),
            "met": q.met,
            "article": q.article,
            "status": a.status,
        }
    )


@access(roles=MEMBERS)
@require_http_methods(["GET", "POST"])
@never_cache
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """What the camera opens (hall code) or the personal link: one tap to check in."""
    parsed = codes.parse(token)
    a = None
    if parsed is not None:
        a = (
            allowed(Assembly, request.user, "view")
            .select_related("organisation")
            .filter(pk=parsed.assembly_id)
            .first()
        )
    ctx: dict = {"a": a, "form": ConfirmForm()}
    if a is None:
        ctx["error"] = _("This is not a check-in code of an assembly of your cooperative.")
        ctx["error_code"] = "code_invalid"
        return render(request, "governance/assemblies/checkin.html", ctx, status=404)
    if request.method == "POST":
        try:
            att = services.check_in(actor=request.user, token=token)
        except ServiceError as exc:
            ctx["error"] = exc.text
            ctx["error_code"] = exc.code
            status = 403 if exc.code in ("not_member", "not_your_link") else 400
            if exc.code in ("already_checked_in",):
                status = 409
            return render(request, "governance/assemblies/checkin.html", ctx, status=status)
        ctx["done"] = att
        ctx["quorum"] = sel.quorum(a)
    return render(request, "governance/assemblies/checkin.html", ctx)


# ------------------------------------------------------------------ petitions


@access(roles=MEMBERS)
@require_POST
def petition_add(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assembly(request, pk)
    form = PetitionForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.petition_create(actor=request.user, assembly=a, **form.cleaned_data),
            _("Petition started: ask other members to sign it."),
        )
    else:
        messages.error(request, _("Say what item you ask for."))
    return _back(a)


@access(roles=MEMBERS)
@require_POST
def petition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_allowed_or_404(
        Petition.objects.select_related("assembly", "assembly__organisation"),
        request.user,
        "view",
        pk=pk,
    )
    _attempt(
        request,
        lambda: services.petition_sign(actor=request.user, petition=p),
        _("You signed the petition."),
    )
    return _back(p.assembly)


@access(roles=roles.MANAGERS)
@require_POST
def petition_answer(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_allowed_or_404(
        Petition.objects.select_related("assembly", "assembly__organisation"),
        request.user,
        "change",
        pk=pk,
    )
    form = PetitionAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.petition_answer(
                actor=request.user,
                petition=p,
                add=form.cleaned_data["add"] == "yes",
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Choose an answer."))
    return _back(p.assembly)
