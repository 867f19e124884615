"""Account management pages: the users in the actor's scope, one user's roles, status,
two-factor and audit trail, and inviting staff.  Nobody needs Django admin for this."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from htxso.accounts.models import User
from htxso.accounts.phones import display_phone, masked_phone
from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import Kind, ServiceError
from htxso.core.forms import show_service_error

from . import services_accounts as accounts
from .forms_accounts import (
    STATUS_ACTIVE,
    STATUS_INACTIVE,
    ConfirmForm,
    RoleAddForm,
    StaffInviteForm,
    UserFilterForm,
)

PAGE_SIZE = 25
#: For manage_accounts.js: which roles need a province, which an organisation.
REACH_ATTRS = {
    "province_roles": " ".join(sorted(roles.PROVINCE_ROLES)),
    "organisation_roles": " ".join(sorted(roles.ORGANISATION_ROLES)),
}
EVENTS_PAGE_SIZE = 20


def _user_or_404(request: HttpRequest, pk: int) -> User:
    try:
        return accounts.user_for(request.user, pk)
    except ServiceError:
        raise Http404 from None


def _refused(
    request: HttpRequest, exc: ServiceError, form: Any, render_page: Any, back: str
) -> HttpResponse:
    """A refusal the person should read.  Beyond the actor's grant: the page again with
    the message, status 403.  Bad input: on the form.  A state that forbids it (the last
    VCA administrator, oneself): a flash message on the user's page."""
    if exc.kind is Kind.FORBIDDEN:
        if form is not None:
            form.add_error(None, exc.text)
        else:
            messages.error(request, exc.text)
        return render_page(status=403)
    show_service_error(request, exc, form)  # not_found: 404
    if form is not None:
        return render_page(status=200)
    return redirect(back)


# --------------------------------------------------------------------------- the list


@access(roles=roles.ACCOUNT_MANAGERS)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    contacts = accounts.sees_phones(actor)
    form = UserFilterForm(request.GET or None, contacts=contacts)
    q, role, status = form.value("q"), form.value("role"), form.value("status")
    qs = accounts.visible_users(actor)
    if role:
        qs = qs.filter(
            pk__in=accounts.visible_assignments(actor).filter(role=role).values("user_id")
        )
    if status == STATUS_ACTIVE:
        qs = qs.filter(is_active=True)
    elif status == STATUS_INACTIVE:
        qs = qs.filter(is_active=False)
    qs = qs.order_by("full_name", "username", "pk")
    if q:
        ids = accounts.search_ids(actor, qs, q, contacts=contacts)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        by_pk = {
            u.pk: u
            for u in accounts.with_visible_roles(
                actor, User.objects.filter(pk__in=page.object_list)
            )
        }
        users = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    else:
        page = Paginator(accounts.with_visible_roles(actor, qs), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        users = list(page.object_list)
    for u in users:
        u.shown_phone = (
            (display_phone(u.phone) if contacts else masked_phone(u.phone)) if u.phone else ""
        )
    return render(
        request,
        "invitations/accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "users": users,
            "filtered": bool(q or role or status),
            "contacts": contacts,
            "may_invite": bool(set(accounts.grantable_here(actor)) & roles.STAFF_INVITE_ROLES),
        },
    )


# ------------------------------------------------------------------------ one user


def _detail(
    request: HttpRequest,
    target: User,
    *,
    role_form: RoleAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    contacts = accounts.sees_phones(actor)
    visible = list(accounts.visible_assignments(actor).filter(user=target).order_by("role", "id"))
    for a in visible:
        a.removable = accounts.may_remove(actor, a)
    hidden = target.role_assignments.count() - len(visible)
    is_self = actor.pk == target.pk
    whole = accounts.manages_whole(actor, target)
    two_factor = accounts.has_two_factor(target)
    grantable = accounts.grantable_here(actor)
    if role_form is None and grantable:
        role_form = RoleAddForm(actor=actor, auto_id="add_%s")
    events = Paginator(accounts.account_events(actor, target), EVENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    phone = ""
    if target.phone:
        phone = display_phone(target.phone) if contacts else masked_phone(target.phone)
    return render(
        request,
        "invitations/accounts/user_detail.html",
        {
            "target": target,
            "assignments": visible,
            "hidden_roles": hidden,
            "is_self": is_self,
            "manages_whole": whole,
            "two_factor": two_factor,
            "may_reset_two_factor": contacts and whole and not is_self and two_factor,
            "role_form": role_form,
            "page": events,
            "contacts": contacts,
            "phone": phone,
            **REACH_ATTRS,
        },
        status=status,
    )


@access(roles=roles.ACCOUNT_MANAGERS)
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _user_or_404(request, pk))


@access(roles=roles.ACCOUNT_MANAGERS)
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    form = RoleAddForm(request.POST, actor=request.user, auto_id="add_%s")

    def again(status: int = 200) -> HttpResponse:
        return _detail(request, target, role_form=form, status=status)

    if not form.is_valid():
        return again()
    if not form.grantable():
        form.add_error(None, _("You may not give this role here."))
        return again(status=403)
    try:
        assignment = accounts.account_role_add(
            actor=request.user,
            user=target,
            role=form.cleaned_data["role"],
            **form.place(),
        )
    except ServiceError as exc:
        return _refused(request, exc, form, again, request.path)
    messages.success(
        request,
        _("%(name)s now holds the role %(role)s.")
        % {"name": target.display_name, "role": _role_text(assignment)},
    )
    return redirect("accounts_admin:user_detail", pk=target.pk)


def _role_text(assignment: Any) -> str:
    where = assignment.organisation or assignment.province
    label = str(assignment.get_role_display())
    return f"{label} — {where}" if where else label


@access(roles=roles.ACCOUNT_MANAGERS)
@require_POST
def role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    target = _user_or_404(request, pk)
    ConfirmForm(request.POST).is_valid()
    assignment = (
        accounts.visible_assignments(request.user)
        .filter(user=target, pk=assignment_pk)
        .select_related("user")
        .first()
    )
    if assignment is None:  # already taken away (a double submit), or not one to see
        messages.info(request, _("This role is no longer held: nothing was changed."))
        return redirect("accounts_admin:user_detail", pk=target.pk)
    text = _role_text(assignment)
    try:
        accounts.account_role_remove(actor=request.user, assignment=assignment)
    except ServiceError as exc:
        return _refused(
            request,
            exc,
            None,
            lambda status: _detail(request, target, status=status),
            reverse("accounts_admin:user_detail", kwargs={"pk": target.pk}),
        )
    messages.success(
        request,
        _("The role %(role)s was taken away from %(name)s.")
        % {"role": text, "name": target.display_name},
    )
    return redirect("accounts_admin:user_detail", pk=target.pk)


def _account_action(
    request: HttpRequest, pk: int, action: Any, done: str, nothing: str
) -> HttpResponse:
    target = _user_or_404(request, pk)
    ConfirmForm(request.POST).is_valid()
    try:
        changed = action(actor=request.user, user=target)
    except ServiceError as exc:
        return _refused(
            request,
            exc,
            None,
            lambda status: _detail(request, target, status=status),
            reverse("accounts_admin:user_detail", kwargs={"pk": target.pk}),
        )
    if changed:
        messages.success(request, done % {"name": target.display_name})
    else:
        messages.info(request, nothing)
    return redirect("accounts_admin:user_detail", pk=target.pk)


@access(roles=roles.ACCOUNT_MANAGERS)
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        accounts.account_deactivate,
        _("The account of %(name)s was deactivated: they can no longer sign in."),
        _("This account was already deactivated: nothing was changed."),
    )


@access(roles=roles.ACCOUNT_MANAGERS)
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        accounts.account_reactivate,
        _("The account of %(name)s is active again: they can sign in."),
        _("This account was already active: nothing was changed."),
    )


@access(roles=roles.ACCOUNT_MANAGERS)
@require_POST
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        accounts.account_two_factor_reset,
        _(
            "Two-factor sign-in of %(name)s was reset: they set up their authenticator "
            "app again at the next sign-in. They were told by e-mail."
        ),
        _("This person had no authenticator app: nothing was changed."),
    )


# ------------------------------------------------------------------- invite staff


@access(roles=roles.ACCOUNT_STAFF)
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = StaffInviteForm(request.POST or None, actor=actor)

    def again(status: int = 200) -> HttpResponse:
        return render(
            request,
            "invitations/accounts/invite.html",
            {"form": form, **REACH_ATTRS},
            status=status,
        )

    if request.method != "POST" or not form.is_valid():
        return again()
    if not form.grantable():
        form.add_error(None, _("You may not give this role here."))
        return again(status=403)
    data = form.cleaned_data
    try:
        invitation = accounts.staff_invite(
            actor=actor,
            role=data["role"],
            full_name=data["full_name"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            channel=data["channel"],
            **form.place(),
        )
    except ServiceError as exc:
        return _refused(request, exc, form, again, request.path)
    messages.success(
        request,
        _("The invitation was sent to %(name)s. The link is valid until %(date)s.")
        % {
            "name": invitation.full_name or data["full_name"],
            "date": date_format(timezone.localtime(invitation.expires_at), "d/m/Y"),
        },
    )
    return redirect("accounts_admin:user_list")
