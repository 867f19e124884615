"""Pages of the votes part: a member's open votes, the vote itself (two taps on a phone),
the receipt check, a resolution with its threshold and (once closed) its result, the
chair's actions (open, paper totals, close, publish) and the Word documents.

Thin: parse (a form) → access (``@access`` and the model's policy) → service or
selector → render.  Another cooperative's resolution is a 404, whoever asks.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.documents.responses import download_response
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error
from htxso.core.policy import allowed, get_allowed_or_404

from . import documents_votes
from . import selectors_votes as sel
from . import services_votes as svc
from .forms_votes import PaperForm, ReceiptForm, ResolutionActionForm, ResolutionForm, VoteForm
from .models import (
    Assembly,
    AssemblyStatus,
    GovernanceRecordKind,
    PaperTally,
    Resolution,
    ResolutionStatus,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _resolution(request: HttpRequest, pk: int) -> Resolution:
    qs = Resolution.objects.select_related("assembly", "assembly__organisation")
    return get_allowed_or_404(qs, request.user, "view", pk=pk)


def _threshold(resolution: Resolution) -> dict:
    """The majority the vote needs: copied at opening, else the rule in force now."""
    if resolution.majority is not None:
        majority, inclusive, article = (
            resolution.majority,
            resolution.majority_inclusive,
            resolution.majority_article,
        )
    else:
        try:
            majority, inclusive, article = sel.majority_rule(resolution)
        except ServiceError:
            return {}
    return {"pct": f"{majority.normalize():f}", "inclusive": inclusive, "article": article}


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def votes_home(request: HttpRequest) -> HttpResponse:
    """The member's open votes (one tap away from voting) and, for the people who run
    assemblies, the recent resolutions they may act on."""
    managed = allowed(
        Resolution.objects.select_related("assembly"), request.user, "change"
    ).order_by("-assembly__scheduled_at", "-id")[:30]
    return render(
        request,
        "governance/votes/home.html",
        {"open_votes": sel.open_for(request.user), "managed": list(managed)},
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def assembly_votes(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_allowed_or_404(
        Assembly.objects.select_related("organisation"), request.user, "view", pk=pk
    )
    may_change = Assembly.policy.allows(request.user, "change", assembly)
    return render(
        request,
        "governance/votes/assembly.html",
        {
            "assembly": assembly,
            "resolutions": sel.resolutions_of(assembly, request.user),
            "may_change": may_change,
            "may_add": may_change
            and assembly.status
            not in (AssemblyStatus.CLOSED, AssemblyStatus.CANCELLED, AssemblyStatus.ADJOURNED),
        },
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def resolution_new(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = get_allowed_or_404(
        Assembly.objects.select_related("organisation"), request.user, "change", pk=pk
    )
    form = ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resolution = form.apply(
            lambda: svc.resolution_create(
                actor=request.user,
                assembly=assembly,
                title=form.cleaned_data["title"],
                text_=form.cleaned_data["text"],
                matter=form.cleaned_data["matter"],
                secret=form.cleaned_data["secret"],
            )
        )
        if resolution is not None:
            messages.success(request, _("The resolution is drafted."))
            return redirect("governance:resolution_detail", resolution.pk)
    return render(
        request,
        "governance/votes/resolution_form.html",
        {"assembly": assembly, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    may_change = Resolution.policy.allows(request.user, "change", resolution)
    membership = sel.membership_of(request.user, resolution.organisation_id)
    paper = sel.paper_of(resolution)
    tally = PaperTally.objects.filter(resolution=resolution).only("entered_by_id").first()
    return render(
        request,
        "governance/votes/resolution.html",
        {
            "resolution": resolution,
            "assembly": resolution.assembly,
            "results": sel.results(resolution),
            "turnout": sel.turnout(resolution) if resolution.status != "draft" else None,
            "may_change": may_change,
            "paper": paper,
            "may_confirm_paper": may_change
            and tally is not None
            and paper is not None
            and not paper.confirmed
            and tally.entered_by_id != request.user.pk,
            "has_voted": sel.has_voted(resolution, membership),
            "may_vote": resolution in sel.open_for(request.user)
            if resolution.status == ResolutionStatus.OPEN
            else False,
            "threshold": _threshold(resolution),
        },
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
@require_POST
def resolution_action(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    Resolution.policy.check(request.user, "change", resolution)
    form = ResolutionActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("governance:resolution_detail", resolution.pk)
    action = form.cleaned_data["action"]
    run = {
        "open": svc.resolution_open,
        "close": svc.resolution_close,
        "publish": svc.resolution_publish,
        "confirm": svc.paper_confirm,
    }[action]
    done = {
        "open": _("Voting is open."),
        "close": _("Voting is closed: the result is below."),
        "publish": _("The resolution is numbered and published to members."),
        "confirm": _("The paper totals are confirmed."),
    }[action]
    try:
        run(actor=request.user, resolution=resolution)
    except ServiceError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, done)
    return redirect("governance:resolution_detail", resolution.pk)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def paper_tally(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    Resolution.policy.check(request.user, "change", resolution)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tally = form.apply(
            lambda: svc.paper_enter(
                actor=request.user,
                resolution=resolution,
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"],
                invalid=data["invalid"] or 0,
                ballots_issued=data["ballots_issued"],
                teller_1=data["teller_1"],
                teller_2=data["teller_2"],
            )
        )
        if tally is not None:
            messages.success(request, _("Paper totals entered: another person must confirm them."))
            return redirect("governance:resolution_detail", resolution.pk)
    return render(
        request,
        "governance/votes/paper.html",
        {
            "resolution": resolution,
            "form": form,
            "present": sel.voters_present(resolution.assembly),
        },
        status=400 if request.method == "POST" else 200,
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the question and three big buttons; POST (one tap): the vote, and for a
    secret ballot the receipt code, shown this once."""
    resolution = _resolution(request, pk)
    membership = sel.membership_of(request.user, resolution.organisation_id)
    if request.method == "POST":
        if membership is None:  # staff see the question but never vote
            raise PermissionDenied
        form = VoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose agree, disagree or no opinion."))
            return redirect("governance:vote", resolution.pk)
        try:
            receipt = svc.cast(
                actor=request.user, resolution=resolution, choice=form.cleaned_data["choice"]
            )
        except ServiceError as exc:
            show_service_error(request, exc)
            return redirect("governance:resolution_detail", resolution.pk)
        response = render(
            request,
            "governance/votes/receipt.html",
            {"resolution": resolution, "receipt": receipt},
        )
        return _no_store(response)
    return render(
        request,
        "governance/votes/vote.html",
        {
            "resolution": resolution,
            "may_vote": resolution in sel.open_for(request.user),
            "has_voted": sel.has_voted(resolution, membership),
            "choices": VoteForm.base_fields["choice"].choices,
        },
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Says "counted" or "not found" for a receipt code — never the choice."""
    resolution = _resolution(request, pk)
    form = ReceiptForm(request.POST or None)
    found: bool | None = None
    if request.method == "POST" and form.is_valid():
        found = sel.receipt_counted(resolution, form.cleaned_data["code"])
    return _no_store(
        render(
            request,
            "governance/votes/receipt_check.html",
            {"resolution": resolution, "form": form, "found": found},
        )
    )


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a Word document; archived (a private file) when the chair makes it."""
    assembly = get_allowed_or_404(
        Assembly.objects.select_related("organisation", "organisation__province"),
        request.user,
        "view",
        pk=pk,
    )
    data = documents_votes.render_minutes_docx(assembly)
    if Assembly.policy.allows(request.user, "change", assembly):
        svc.archive_document(
            actor=request.user, assembly=assembly, kind=GovernanceRecordKind.MINUTES, data=data
        )
    return download_response(data, documents_votes.minutes_filename(assembly), DOCX)


@access(roles=roles.STAFF_AND_ORGANISATIONS)
def resolution_docx(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    data = documents_votes.render_resolution_docx(resolution)
    if resolution.published_at and Resolution.policy.allows(request.user, "change", resolution):
        svc.archive_document(
            actor=request.user,
            assembly=resolution.assembly,
            kind=GovernanceRecordKind.RESOLUTION,
            data=data,
            resolution=resolution,
        )
    return download_response(data, documents_votes.resolution_filename(resolution), DOCX)
