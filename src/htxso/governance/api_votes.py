"""API of the votes part (mounted under ``/api/v1/governance``, paths ``/votes…``).

Members: ``GET /votes/open`` (the open votes they may still cast), ``POST
/votes/{id}/cast`` (``{"choice": "yes" | "no" | "abstain"}`` → the receipt code of a
secret ballot, shown once), ``POST /votes/{id}/receipt`` (``{"code": …}`` → counted or
not, never the choice).  Everyone who sees the resolution: ``GET /votes/{id}`` and
``GET /votes/{id}/results`` (409 ``results_hidden`` until the vote closes, for the
chair too).  No operation lists ballots.

Errors are JSON ``{"code", "message", "details"}``: ``not_found`` (404: another
cooperative's resolution), ``no_vote``, ``not_member``, ``not_present`` (403),
``choice`` (400), ``not_open``, ``already_voted``, ``quorum_not_met``,
``results_hidden`` (409), ``validation_error`` (a body that is not the schema).
"""

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.errors import conflict, refused
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id

from . import selectors_votes as sel
from . import services_votes as svc
from .models import Resolution

router = Router(tags=["governance"])
MAX_BODY = 4 * 1024
_body = partial(read_json, max_bytes=MAX_BODY, message=_("The request body is not valid."))
PEOPLE = roles.STAFF_AND_ORGANISATIONS
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ResolutionOut(Schema):
    id: int
    assembly_id: int
    organisation_id: int
    title: str
    text: str
    matter: str
    secret: bool
    status: str
    majority_pct: Decimal | None = Field(None, description="The majority copied at opening")
    majority_inclusive: bool = Field(description="True: at least; False: more than")
    majority_article: str
    number: str
    published_at: dt.datetime | None


class CastIn(Schema):
    choice: str = Field(max_length=10, description="yes, no or abstain")


class ReceiptOut(Schema):
    receipt_code: str | None = Field(
        None, description="A secret ballot's receipt code, shown this once (null: open vote)"
    )


class ReceiptIn(Schema):
    code: str = Field(max_length=40)


class ReceiptCheckOut(Schema):
    counted: bool


class CountsOut(Schema):
    yes: int
    no: int
    abstain: int


class PaperOut(CountsOut):
    invalid: int
    ballots_issued: int


class VoteResultsOut(Schema):
    passed: bool
    yes: int
    no: int
    abstain: int
    voters_present: int = Field(description="The denominator: members present with a vote")
    majority_pct: Decimal
    majority_inclusive: bool
    majority_article: str
    online: CountsOut
    paper: PaperOut | None


def _out(r: Resolution) -> dict:
    return {
        "id": r.pk,
        "assembly_id": r.assembly_id,
        "organisation_id": r.organisation_id,
        "title": r.title,
        "text": r.text,
        "matter": r.matter,
        "secret": r.secret,
        "status": r.status,
        "majority_pct": r.majority,
        "majority_inclusive": r.majority_inclusive,
        "majority_article": r.majority_article,
        "number": r.number,
        "published_at": r.published_at,
    }


def _get(request: HttpRequest, pk: int) -> Resolution:
    qs = Resolution.objects.select_related("assembly", "assembly__organisation")
    return get_allowed_or_404(qs, request.user, "view", pk=pk)


@route(
    router.get,
    "/votes/open",
    roles=PEOPLE,
    response=list[ResolutionOut],
    summary="Open votes the caller may still cast (checked in, with a vote)",
)
def votes_open(request: HttpRequest):
    return [_out(r) for r in sel.open_for(request.user)]


@route(
    router.get,
    "/votes/{resolution_id}",
    roles=PEOPLE,
    response={200: ResolutionOut, 404: ErrorOut},
    summary="One resolution with its threshold (404 when missing or not yours)",
)
def vote_detail(request: HttpRequest, resolution_id: Id):
    return _out(_get(request, resolution_id))


@route(
    router.post,
    "/votes/{resolution_id}/cast",
    roles=PEOPLE,
    response={200: ReceiptOut, **ERRORS},
    summary="Cast the caller's vote; a secret ballot answers its receipt code once",
    openapi_extra=json_body_doc(CastIn),
)
def vote_cast(request: HttpRequest, resolution_id: Id):
    resolution = _get(request, resolution_id)
    if sel.membership_of(request.user, resolution.organisation_id) is None:
        raise refused(_("Only a member of this cooperative votes."), "not_member")
    data = _body(request, CastIn)
    receipt = svc.cast(actor=request.user, resolution=resolution, choice=data.choice)
    return {"receipt_code": receipt.display or None}


@route(
    router.post,
    "/votes/{resolution_id}/receipt",
    roles=PEOPLE,
    response={200: ReceiptCheckOut, **ERRORS},
    summary="Whether a receipt code's ballot is in the count (never the choice)",
    openapi_extra=json_body_doc(ReceiptIn),
)
def vote_receipt(request: HttpRequest, resolution_id: Id):
    resolution = _get(request, resolution_id)
    data = _body(request, ReceiptIn)
    return {"counted": sel.receipt_counted(resolution, data.code)}


@route(
    router.get,
    "/votes/{resolution_id}/results",
    roles=PEOPLE,
    response={200: VoteResultsOut, 404: ErrorOut, 409: ErrorOut},
    summary="The result once the vote is closed (409 `results_hidden` before)",
)
def vote_results(request: HttpRequest, resolution_id: Id):
    resolution = _get(request, resolution_id)
    found = sel.results(resolution)
    if found is None:
        raise conflict(_("The result is shown only when voting closes."), "results_hidden")
    paper = found.paper
    return {
        "passed": found.passed,
        "yes": found.yes,
        "no": found.no,
        "abstain": found.abstain,
        "voters_present": found.voters_present,
        "majority_pct": found.majority,
        "majority_inclusive": found.majority_inclusive,
        "majority_article": found.article,
        "online": {"yes": found.online.yes, "no": found.online.no, "abstain": found.online.abstain},
        "paper": None
        if paper is None
        else {
            "yes": paper.yes,
            "no": paper.no,
            "abstain": paper.abstain,
            "invalid": paper.invalid,
            "ballots_issued": paper.ballots_issued,
        },
    }
