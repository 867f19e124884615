"""Pages of the member register's capital: the register of a cooperative (its manager,
staff of the province), a member's capital page (the member, the manager, staff), the
movement form with its check before saving, corrections, certificates (PDF) and the
public verification page of a certificate.

ID numbers and phones are shown only to ``SENSITIVE_READERS``; a department viewer
sees names and amounts.  Another province's or cooperative's rows are a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import get_allowed_or_404, holds
from htxso.registry.models import Membership, Organisation

from . import checks_register, rules, selectors_register, services_register
from .forms_register import CertificateForm, ForeignForm, MovementForm, ReverseForm
from .models.register import CapitalCertificate, CapitalMovement, MovementKind
from .models.rules import RuleKey
from .pdf_register import certificate_pdf as build_pdf

PAGE_SIZE = 50


def _org_for(request: HttpRequest, org_pk: int, action: str = "view") -> Organisation:
    org = get_allowed_or_404(Organisation, request.user, "view", pk=org_pk)
    policy = CapitalMovement.policy
    if not policy.allows_at(request.user, action, province=org.province_id, organisation=org.pk):
        if action != "view" and policy.allows_at(
            request.user, "view", province=org.province_id, organisation=org.pk
        ):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        raise Http404
    return org


def _membership_for(request: HttpRequest, pk: int, action: str = "view") -> Membership:
    """A membership the user may see in the register: staff and the manager by reach,
    the member their own (view only)."""
    membership = get_object_or_404(
        Membership.objects.select_related("person", "organisation"), pk=pk
    )
    org = membership.organisation
    policy = CapitalMovement.policy
    if policy.allows_at(request.user, action, province=org.province_id, organisation=org.pk):
        return membership
    own = membership.person.user_id == request.user.pk
    if own and action == "view":
        return membership
    if own or policy.allows_at(request.user, "view", province=org.province_id, organisation=org.pk):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    raise Http404


def _rules(org: Organisation) -> list[rules.InForce]:
    keys = (
        RuleKey.MEMBER_CAPITAL_MAX,
        RuleKey.ASSOCIATE_CAPITAL_MAX,
        RuleKey.FOREIGN_CAPITAL_MAX,
        RuleKey.FOREIGN_MEMBERS_MAX,
        RuleKey.CAPITAL_PAYMENT_MONTHS,
    )
    out = []
    for key in keys:
        try:
            out.append(rules.rule(key, org_kind=org.kind))
        except ServiceError:
            continue
    return out


def _rule_labels() -> dict[str, str]:
    return {k.value: str(k.label) for k in RuleKey}


@access(roles=roles.READERS)
def register_index(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.allowed(request.user, "view").order_by("name", "pk")
    everywhere, provinces, own = Organisation.policy.reach(request.user, "view")
    if not everywhere and not provinces and len(own) == 1:
        # a cooperative's manager: straight to the register
        return redirect("governance:register", next(iter(own)))
    page = Paginator(orgs.select_related("province"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/register/index.html", {"page": page, "rows": page})


@access(roles=roles.READERS)
def register(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org_for(request, org_pk)
    holders = selectors_register.capital_holders(org)
    members = (
        Membership.objects.filter(organisation=org)
        .select_related("person")
        .order_by("left_on", "person__full_name", "pk")
    )
    movements = (
        CapitalMovement.objects.filter(organisation=org)
        .select_related("membership__person")
        .order_by("-number")
    )
    page = Paginator(movements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/register/register.html",
        {
            "org": org,
            "holders": holders,
            "members": members,
            "page": page,
            "rows": page,
            "findings": checks_register.organisation_findings(org),
            "rules": _rules(org),
            "rule_labels": _rule_labels(),
            "base": selectors_register.capital_base(org),
            "sensitive": holds(request.user, roles.SENSITIVE_READERS),
            "may_change": CapitalMovement.policy.allows_at(
                request.user, "change", organisation=org.pk
            ),
        },
    )


@access(roles=roles.MANAGERS)
def movement_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _org_for(request, org_pk, "change")
    checked = None
    if request.method == "POST":
        form = MovementForm(request.POST, organisation=org)
        if form.is_valid():
            d = form.cleaned_data
            args = {
                "membership": d["membership"],
                "kind": d["kind"],
                "amount": d["amount"],
                "target": d.get("target"),
            }
            checked = services_register.check_movement(**args, on=d["on"])
            if "save" in request.POST and not checked.refused:
                try:
                    row = services_register.record_movement(
                        actor=request.user,
                        on=d["on"],
                        asset_kind=d["asset_kind"],
                        note=d.get("note") or "",
                        **args,
                    )
                except ServiceError as exc:
                    show_service_error(request, exc, form)
                else:
                    messages.success(
                        request, _("Movement no. %(number)s recorded.") % {"number": row.number}
                    )
                    for f in checked.warnings:
                        messages.warning(
                            request,
                            _("Warning: %(what)s is %(share)s %% (the law: %(limit)s %%, %(art)s).")
                            % {
                                "what": f.message,
                                "share": f.share,
                                "limit": f.limit,
                                "art": f.article,
                            },
                        )
                    return redirect("governance:register", org.pk)
    else:
        form = MovementForm(organisation=org)
    return render(
        request,
        "governance/register/movement_form.html",
        {
            "org": org,
            "form": form,
            "checked": checked,
            "rules": _rules(org),
            "rule_labels": _rule_labels(),
        },
    )


@require_POST
@access(roles=roles.MANAGERS)
def movement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_allowed_or_404(CapitalMovement, request.user, "change", pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            row = services_register.reverse_movement(
                actor=request.user, movement=movement, note=form.cleaned_data["note"]
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(
                request, _("Correction no. %(number)s recorded.") % {"number": row.number}
            )
    else:
        messages.error(request, _("Say in plain words why the movement is corrected."))
    return redirect("governance:register", movement.organisation_id)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def member_capital(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk)
    org = membership.organisation
    return render(
        request,
        "governance/register/member.html",
        {
            "org": org,
            "membership": membership,
            "position": selectors_register.capital_position(membership),
            "movements": selectors_register.movements_of(membership),
            "certificates": selectors_register.certificates(membership),
            "may_change": CapitalMovement.policy.allows_at(
                request.user, "change", organisation=org.pk
            ),
            "certificate_form": CertificateForm(),
            "foreign_form": ForeignForm(),
            "rules": _rules(org),
        },
    )


@access(roles=roles.ORGANISATION_PEOPLE)
def my_capital(request: HttpRequest) -> HttpResponse:
    mine = (
        Membership.objects.filter(person__user=request.user, left_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if mine is None:
        return render(request, "governance/register/none.html", status=404)
    return redirect("governance:member_capital", mine.pk)


@require_POST
@access(roles=roles.MANAGERS)
def certificate_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk, "change")
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            cert = services_register.issue_certificate(
                actor=request.user,
                membership=membership,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(request, _("Certificate %(number)s issued.") % {"number": cert.number})
    else:
        messages.error(request, _("Write the certificate number and the date."))
    return redirect("governance:member_capital", membership.pk)


@require_POST
@access(roles=roles.MANAGERS)
def foreign_mark(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk, "change")
    form = ForeignForm(request.POST)
    if form.is_valid():
        try:
            services_register.mark_foreign(
                actor=request.user, membership=membership, country=form.cleaned_data["country"]
            )
        except ServiceError as exc:
            show_service_error(request, exc)
        else:
            messages.success(request, _("The member is recorded as foreign."))
    else:
        messages.error(request, _("Choose the member's country."))
    return redirect("governance:member_capital", membership.pk)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_allowed_or_404(
        CapitalCertificate.objects.select_related("organisation", "membership__person"),
        request.user,
        "view",
        pk=pk,
    )
    response = HttpResponse(build_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-gop-von-{cert.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@access(public=True)
def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    cert = (
        CapitalCertificate.objects.select_related("organisation").filter(token=token[:40]).first()
    )
    if cert is None:
        return render(request, "governance/register/verify.html", {"cert": None}, status=404)
    return render(request, "governance/register/verify.html", {"cert": cert})


__all__ = [
    "MovementKind",
    "certificate_new",
    "certificate_pdf",
    "certificate_verify",
    "foreign_mark",
    "member_capital",
    "movement_new",
    "movement_reverse",
    "my_capital",
    "register",
    "register_index",
]
