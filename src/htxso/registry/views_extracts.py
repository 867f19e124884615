"""Extract pages (issue 19): upload an extract → review the differences → accept or
reject them; the history of every sync.

Staff of a province (department viewers included) read its history and reviews; the
province's officers (the VCA for any province and for the nation) upload and decide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.errors import ServiceError
from htxso.core.formatting import format_vnd
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404
from htxso.geo.models import Province

from .extracts import services
from .forms import date_field
from .importing.values import render as render_problem
from .models import Organisation
from .models.extracts import (
    APPLICABLE,
    Decision,
    ExtractSourceKind,
    ItemCategory,
    RunStatus,
    SyncItem,
    SyncRun,
    TaxStatus,
)
from .models.organisations import OrganisationStatus

PAGE_SIZE = 50
MAX_ID = 2**63 - 1
CATEGORY_ORDER = (
    ItemCategory.NEW,
    ItemCategory.CHANGED,
    ItemCategory.DISSOLVED,
    ItemCategory.TAX,
    ItemCategory.MISSING,
    ItemCategory.CONFLICT,
    ItemCategory.OTHER_PROVINCE,
)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Extract (xlsx or csv)"))
    source = forms.ChoiceField(label=_("Source"), choices=ExtractSourceKind.choices)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("The whole country"),
    )
    extract_date = date_field(_("Date of the extract"), required=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        everywhere, provinces, _orgs = SyncRun.policy.reach(user, "change")
        qs = Province.objects.all()
        if not everywhere:
            qs = qs.filter(pk__in=sorted(provinces))
            self.fields["province"].required = True
            self.fields["province"].empty_label = None
        self.fields["province"].queryset = qs
        if not everywhere and len(provinces) == 1:
            self.fields["province"].initial = next(iter(provinces))


class IdsField(forms.Field):
    """Ids of items (a list of positive integers below 2^63); anything else is refused."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        out = []
        for v in value or []:
            text = str(v).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError(_("Choose rows of this extract."), code="invalid")
            out.append(int(text))
        return out[:1000]


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("apply", "apply"), ("reject", "reject"), ("discard", "discard")]
    )
    category = forms.ChoiceField(choices=[("", ""), *ItemCategory.choices], required=False)
    item = IdsField(required=False)
    confirm_older = forms.BooleanField(required=False)


def _changes(item: SyncItem) -> list[dict]:
    rows = []
    for name, (old, new) in item.changes.items():
        try:
            label = Organisation._meta.get_field(name).verbose_name
        except Exception:
            label = name
        rows.append(
            {"field": name, "label": label, "old": _value(name, old), "new": _value(name, new)}
        )
    return rows


def _value(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if name == "status":
        return str(dict(OrganisationStatus.choices).get(value, value))
    if name == "tax_status":
        return str(dict(TaxStatus.choices).get(value, value))
    if name == "charter_capital":
        return format_vnd(int(value))
    if name == "vsic_codes":
        return ", ".join(value)
    return str(value)


@access(roles=roles.STAFF)
def extract_history(request: HttpRequest) -> HttpResponse:
    runs = allowed(SyncRun, request.user, "view").select_related("province", "created_by")
    last = {}
    for source in ExtractSourceKind.values:
        last[source] = (
            runs.filter(source=source, applied_count__gt=0).order_by("-extract_date", "-pk").first()
        )
    everywhere, provinces, _orgs = SyncRun.policy.reach(request.user, "change")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/extracts/history.html",
        {
            "page": page,
            "last": [(ExtractSourceKind(s).label, r) for s, r in last.items()],
            "can_upload": everywhere or bool(provinces),
        },
    )


@access(roles=roles.REVIEWERS)
def extract_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.upload_extract(
                actor=request.user,
                upload=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                province=form.cleaned_data.get("province"),
                extract_date=form.cleaned_data["extract_date"],
            )
        except ServiceError as exc:
            show_service_error(request, exc, form)
        else:
            return redirect("registry:extract_review", pk=run.pk)
    return render(request, "registry/extracts/upload.html", {"form": form})


@access(roles=roles.STAFF)
def extract_review(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_allowed_or_404(
        SyncRun.objects.select_related("province", "created_by"), request.user, "view", pk=pk
    )
    may_decide = run.status == RunStatus.REVIEW and SyncRun.policy.allows(
        request.user, "change", run
    )
    counts = run.counts or {}
    categories = [
        {"key": c.value, "label": c.label, "count": counts.get(c.value, 0)}
        for c in CATEGORY_ORDER
        if counts.get(c.value)
    ]
    chosen = request.GET.get("cat") or (categories[0]["key"] if categories else "")
    if chosen not in ItemCategory.values:
        chosen = ""
    items = SyncItem.objects.filter(run=run, category=chosen).order_by("row", "pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "changes": _changes(item),
            "problems": [render_problem(p) for p in item.problems],
        }
        for item in page.object_list
    ]
    pending = SyncItem.objects.filter(run=run, category=chosen, decision=Decision.PENDING).count()
    return render(
        request,
        "registry/extracts/review.html",
        {
            "run": run,
            "categories": categories,
            "chosen": chosen,
            "chosen_label": ItemCategory(chosen).label if chosen else "",
            "applicable": chosen in APPLICABLE,
            "page": page,
            "rows": rows,
            "pending": pending,
            "may_decide": may_decide,
            "today": timezone.localdate(),
        },
    )


@require_POST
@access(roles=roles.REVIEWERS)
def extract_decide(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_allowed_or_404(SyncRun, request.user, "view", pk=pk)
    if not SyncRun.policy.allows(request.user, "change", run):
        raise PermissionDenied
    form = DecideForm(request.POST)
    category = ""
    if form.is_valid():
        data = form.cleaned_data
        category = data["category"]
        ids = data["item"] or None
        try:
            if data["action"] == "discard":
                services.discard_run(actor=request.user, run=run)
            elif data["action"] == "apply":
                n = services.apply_items(
                    actor=request.user,
                    run=run,
                    category=category if ids is None else "",
                    item_ids=ids,
                    confirm_older=data["confirm_older"],
                )
                from django.contrib import messages

                messages.success(request, _("%(n)s changes applied to the registry.") % {"n": n})
            else:
                n = services.reject_items(
                    actor=request.user,
                    run=run,
                    category=category if ids is None else "",
                    item_ids=ids,
                )
                from django.contrib import messages

                messages.info(request, _("%(n)s rows rejected.") % {"n": n})
        except ServiceError as exc:
            show_service_error(request, exc)
    else:
        from django.contrib import messages

        messages.error(request, _("Choose what to do with these rows."))
    url = f"{redirect('registry:extract_review', pk=run.pk).url}"
    if category:
        url += f"?cat={category}"
    return redirect(url)
