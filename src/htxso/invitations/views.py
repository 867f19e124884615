"""Invitation pages: the manager invites members from the register, follows the
invitations and prints QR cards; the person invited opens the link and joins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from htxso.accounts.phones import display_phone, masked_phone
from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.formatting import format_vnd
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404
from htxso.registry.models import Membership, Organisation, Person

from . import services
from .cards import cards_pdf
from .forms import (
    AcceptForm,
    AcceptSignedInForm,
    ActionForm,
    ChooseMembersForm,
    InviteMembersForm,
    PrintForm,
    StateFilterForm,
)
from .models import Invitation, InvitationChannel, InvitationState

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAGE_SIZE = 50


def _base_url(request: HttpRequest) -> str:
    """Scheme and host of the links sent or printed: ``SITE_URL`` when set (a printed
    card outlives the request), else the request's own (development)."""
    if settings.SITE_URL_SET:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    return get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "change", pk=pk
    )


def _members_of(organisation: Organisation):
    """The organisation's current members' register rows."""
    return Person.objects.filter(
        Exists(
            Membership.objects.filter(
                person=OuterRef("pk"), organisation=organisation, left_on__isnull=True
            )
        )
    ).order_by("full_name", "pk")


def _notes(people, organisation: Organisation) -> list[dict]:
    """Each chosen person with what will happen: invited, or left out and why."""
    waiting = set(
        Invitation.objects.open()
        .filter(person__in=[p.pk for p in people])
        .values_list("person_id", flat=True)
    )
    rows = []
    for person in people:
        note = ""
        if person.user_id:
            note = _("already has an account")
        elif person.pk in waiting:
            note = _("an invitation is already waiting")
        rows.append(
            {
                "person": person,
                "phone": display_phone(person.phone) if person.phone else "",
                "note": note,
            }
        )
    return rows


# --- the manager --------------------------------------------------------------------------


@access(roles=roles.EDITORS)
def invite_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2 of inviting from the register: the ticked members, how to send, confirm."""
    organisation = _organisation(request, pk)
    people_qs = _members_of(organisation)
    context: dict = {"organisation": organisation}
    if request.method == "POST":
        form = InviteMembersForm(request.POST, people_qs=people_qs)
        if form.is_valid():
            c = form.cleaned_data
            result = form.apply(
                lambda: services.invite_members(
                    actor=request.user,
                    organisation=organisation,
                    people=list(c["people"]),
                    channel=c["channel"],
                    days=c["days"],
                    base_url=_base_url(request),
                )
            )
            if result is not None:
                print_form = None
                if c["channel"] == InvitationChannel.PRINT and result.created:
                    print_form = PrintForm(
                        initial={"invitations": [i.pk for i in result.created]},
                        invitations_qs=Invitation.objects.none(),
                    )
                return render(
                    request,
                    "invitations/invite_done.html",
                    {
                        **context,
                        "result": result,
                        "channel": c["channel"],
                        "print_form": print_form,
                    },
                )
        chosen = list(form.cleaned_data.get("people") or [])
    else:
        choose = ChooseMembersForm(request.GET or None, people_qs=people_qs)
        if not choose.is_valid():
            return render(request, "invitations/invite_members.html", {**context, "choose": choose})
        chosen = list(choose.cleaned_data["people"])
        form = InviteMembersForm(initial={"people": [p.pk for p in chosen]}, people_qs=people_qs)
    context.update(form=form, rows=_notes(chosen, organisation), count=len(chosen))
    return render(request, "invitations/invite_members.html", context)


@access(roles=roles.EDITORS)
@require_GET
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    base = Invitation.objects.allowed(request.user, "view").filter(organisation=organisation)
    now = timezone.now()
    pending = Q(state=InvitationState.PENDING, expires_at__gt=now)
    expired = Q(state=InvitationState.EXPIRED) | Q(
        state=InvitationState.PENDING, expires_at__lte=now
    )
    counts = base.aggregate(
        pending=Count("pk", filter=pending),
        accepted=Count("pk", filter=Q(state=InvitationState.ACCEPTED)),
        expired=Count("pk", filter=expired),
        revoked=Count("pk", filter=Q(state=InvitationState.REVOKED)),
        total=Count("pk"),
    )
    filters = StateFilterForm(request.GET or None)
    state = filters.cleaned_data.get("state") if filters.is_valid() else ""
    qs = base.select_related("person", "accepted_by", "inviter")
    qs = {
        "pending": qs.filter(pending),
        "accepted": qs.filter(state=InvitationState.ACCEPTED),
        "expired": qs.filter(expired),
        "revoked": qs.filter(state=InvitationState.REVOKED),
    }.get(state or "", qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for inv in page.object_list:
        inv.phone_display = display_phone(inv.to_phone) if inv.to_phone else ""
    printable = any(
        inv.is_open and inv.channel == InvitationChannel.PRINT for inv in page.object_list
    )
    return render(
        request,
        "invitations/invitation_list.html",
        {
            "organisation": organisation,
            "page": page,
            "counts": counts,
            "filters": filters,
            "state": state,
            "printable": printable,
            "action_form": ActionForm(),
        },
    )


def _invitation(
    request: HttpRequest, pk: int, invitation_pk: int
) -> tuple[Organisation, Invitation]:
    organisation = _organisation(request, pk)
    invitation = get_allowed_or_404(
        Invitation.objects.filter(organisation=organisation).select_related(
            "organisation", "province", "inviter"
        ),
        request.user,
        "change",
        pk=invitation_pk,
    )
    return organisation, invitation


@require_POST
@access(roles=roles.EDITORS)
def invitation_resend(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation, invitation = _invitation(request, pk, invitation_pk)
    if ActionForm(request.POST).is_valid():
        try:
            services.invitation_send(
                actor=request.user, invitation=invitation, base_url=_base_url(request)
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request,
                _("A new link was sent to %(name)s; the earlier one no longer works.")
                % {"name": invitation.full_name},
            )
    return redirect("invitations:invitation_list", pk=organisation.pk)


@require_POST
@access(roles=roles.EDITORS)
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation, invitation = _invitation(request, pk, invitation_pk)
    if ActionForm(request.POST).is_valid():
        try:
            services.invitation_revoke(actor=request.user, invitation=invitation)
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request,
                _("The invitation of %(name)s was revoked: its link no longer works.")
                % {"name": invitation.full_name},
            )
    return redirect("invitations:invitation_list", pk=organisation.pk)


@require_POST
@access(roles=roles.EDITORS)
def invitation_cards(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 sheet of QR cards of the chosen printed invitations (new links: cards
    printed earlier for them stop working)."""
    organisation = _organisation(request, pk)
    form = PrintForm(
        request.POST,
        invitations_qs=Invitation.objects.allowed(request.user, "change")
        .filter(organisation=organisation, channel=InvitationChannel.PRINT)
        .order_by("full_name", "pk"),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("invitations:invitation_list", pk=organisation.pk)
    try:
        cards = services.invitation_print(
            actor=request.user,
            invitations=list(form.cleaned_data["invitations"]),
            base_url=_base_url(request),
        )
    except ServiceError as exc:
        show_service_error(request, exc)
        return redirect("invitations:invitation_list", pk=organisation.pk)
    if not cards:
        messages.error(request, _("None of these invitations is still waiting: nothing to print."))
        return redirect("invitations:invitation_list", pk=organisation.pk)
    pdf = cards_pdf(cards, title=organisation.name)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="the-moi-{organisation.pk}-{stamp}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


# --- the person invited -------------------------------------------------------------------


def _gone(request: HttpRequest, invitation: Invitation | None) -> HttpResponse | None:
    """The page for a link that cannot be accepted (or None when it can)."""
    if invitation is None:
        return render(request, "invitations/accept_invalid.html", {"reason": "unknown"}, status=404)
    state = invitation.current_state
    if state == InvitationState.PENDING:
        return None
    if (
        state == InvitationState.ACCEPTED
        and request.user.is_authenticated
        and (invitation.accepted_by_id == request.user.pk)
    ):
        return redirect("invitations:welcome")
    return render(
        request,
        "invitations/accept_invalid.html",
        {"reason": state, "invitation": invitation},
        status=410,
    )


@access(public=True)
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    gone = _gone(request, invitation)
    if gone is not None:
        return gone
    assert invitation is not None
    context: dict = {
        "invitation": invitation,
        "inviter": invitation.inviter.display_name if invitation.inviter else "HTX Số",
        "where": invitation.organisation or invitation.province,
        "masked_phone": masked_phone(invitation.to_phone) if invitation.to_phone else "",
    }
    user = request.user
    if user.is_authenticated:
        if not services.is_for(invitation, user):
            return render(request, "invitations/accept_other.html", context, status=403)
        form = AcceptSignedInForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done = form.apply(lambda: services.invitation_accept(invitation=invitation, user=user))
            if done is not None:
                messages.success(request, _("Welcome! Your account is linked to the cooperative."))
                return redirect("invitations:welcome")
        context.update(form=form, signed_in=True)
        return render(request, "invitations/accept.html", context)
    needs_phone = not invitation.to_phone
    form = AcceptForm(
        request.POST or None,
        needs_phone=needs_phone,
        initial={"full_name": invitation.full_name},
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        new_user = form.apply(
            lambda: services.invitation_accept(
                invitation=invitation,
                phone=c.get("phone") or "",
                full_name=c["full_name"],
                password=c["password"] if c["sign_in"] == "password" else None,
            )
        )
        if new_user is not None:
            auth_login(request, new_user, backend=MODEL_BACKEND)
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("invitations:welcome")
        # the state may have changed under us (accepted in another tab, revoked)
        invitation.refresh_from_db()
        gone = _gone(request, invitation)
        if gone is not None:
            return gone
    context.update(form=form, signed_in=False)
    return render(request, "invitations/accept.html", context)


@access(authenticated=True)
@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    """Where a person lands after joining: their own membership, capital and
    certificate, and what to do next."""
    memberships = list(
        Membership.objects.filter(person__user=request.user)
        .select_related("organisation", "person")
        .order_by("left_on", "-joined_on", "pk")
    )
    for m in memberships:
        m.capital_display = format_vnd(m.capital) if m.capital else ""
    return render(
        request,
        "invitations/welcome.html",
        {
            "memberships": memberships,
            "code_sign_in": not request.user.has_usable_password(),
        },
    )
