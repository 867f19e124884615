"""OCOP products, value-chain links and union memberships of an organisation."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.policy import get_allowed_or_404

from .forms import DateForm, OcopForm, UnionForm, ValueChainForm
from .models import OcopProduct, Organisation, UnionMembership, ValueChainLink
from .services import products as services


def _editable(request, pk: int) -> Organisation:
    return get_allowed_or_404(
        Organisation.objects.select_related("province"), request.user, "change", pk=pk
    )


def _form_page(request: HttpRequest, organisation, form, title: str) -> HttpResponse:
    return render(
        request,
        "registry/organisation_item_form.html",
        {"organisation": organisation, "form": form, "title": title},
    )


def _done(request: HttpRequest, organisation, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("registry:organisation_detail", pk=organisation.pk)


@access(roles=roles.EDITORS)
def ocop_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    form = OcopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.apply(
            lambda: services.ocop_product_add(
                actor=request.user, organisation=organisation, data=form.cleaned_data
            )
        )
        if saved is not None:
            return _done(request, organisation, _("The OCOP product was added."))
    return _form_page(request, organisation, form, _("Add an OCOP product"))


@access(roles=roles.EDITORS)
def ocop_edit(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    product = get_allowed_or_404(
        OcopProduct.objects.filter(organisation=organisation), request.user, "change", pk=product_pk
    )
    initial = {
        f: getattr(product, f)
        for f in ("name", "stars", "level", "decision_number", "certified_on", "expires_on")
    }
    form = OcopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.apply(
            lambda: services.ocop_product_update(
                actor=request.user, product=product, data=form.cleaned_data
            )
        )
        if saved is not None:
            return _done(request, organisation, _("The OCOP product was saved."))
    return _form_page(request, organisation, form, _("Change an OCOP product"))


@access(roles=roles.EDITORS)
def value_chain_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    form = ValueChainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.apply(
            lambda: services.value_chain_link_add(
                actor=request.user, organisation=organisation, data=form.cleaned_data
            )
        )
        if saved is not None:
            return _done(request, organisation, _("The value-chain link was added."))
    return _form_page(request, organisation, form, _("Add a value-chain link"))


def _post_date_action(request: HttpRequest, organisation, call, done: str) -> HttpResponse:
    form = DateForm(request.POST)
    if form.is_valid() and form.apply(lambda: call(form.cleaned_data["on"])) is not None:
        return _done(request, organisation, done)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("registry:organisation_detail", pk=organisation.pk)


@require_POST
@access(roles=roles.EDITORS)
def value_chain_end(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    link = get_allowed_or_404(
        ValueChainLink.objects.filter(organisation=organisation).select_related("organisation"),
        request.user,
        "change",
        pk=link_pk,
    )
    return _post_date_action(
        request,
        organisation,
        lambda on: services.value_chain_link_end(actor=request.user, link=link, ended_on=on),
        _("The value-chain link was ended."),
    )


@access(roles=roles.EDITORS)
def union_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    form = UnionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = None
        try:
            code = validate_tax_code(form.cleaned_data["tax_code"])
        except CodeError as exc:
            form.add_error("tax_code", exc.message % exc.params if exc.params else exc.message)
        else:
            other = Organisation.objects.filter(tax_code=code).first()
            if other is None:
                form.add_error("tax_code", _("No organisation has this tax code."))
        if other is not None:
            union, member = (
                (organisation, other) if organisation.kind == "union" else (other, organisation)
            )
            saved = form.apply(
                lambda: services.union_membership_add(
                    actor=request.user,
                    union=union,
                    member=member,
                    joined_on=form.cleaned_data.get("joined_on"),
                )
            )
            if saved is not None:
                return _done(request, organisation, _("The union membership was recorded."))
    return _form_page(request, organisation, form, _("Add a union membership"))


@require_POST
@access(roles=roles.EDITORS)
def union_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _editable(request, pk)
    row = _union_row(request, organisation, membership_pk)
    return _post_date_action(
        request,
        organisation,
        lambda on: services.union_membership_end(actor=request.user, membership=row, left_on=on),
        _("The union membership was ended."),
    )


def _union_row(request, organisation, membership_pk: int) -> UnionMembership:
    """A union membership of this organisation (either side) the user may change
    (``UnionMembership.policy``: either side's editors); 404 otherwise."""
    return get_allowed_or_404(
        UnionMembership.objects.filter(
            Q(union=organisation) | Q(member=organisation)
        ).select_related("union", "member"),
        request.user,
        "change",
        pk=membership_pk,
    )
