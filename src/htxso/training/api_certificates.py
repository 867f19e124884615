"""API of the certificates part of training (mounted under /api/v1/training).

``GET /certificates/mine`` (the participant), ``GET /certificates/{certificate_id}``
(those who may see it, with the signed credential), ``POST /certificates/{id}/revoke``
(the VCA and the province's officer), ``POST /credentials/verify`` (anyone: a pasted
credential → ``valid`` and ``reason``: ``valid``, ``malformed``, ``not_a_credential``,
``unknown_key``, ``bad_signature``, ``tampered``, ``not_yet_valid``, ``expired``,
``revoked``).  Bodies are read after the access check; refusals are JSON with a code.
"""

import datetime as dt
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import Field

from htxso.core import roles
from htxso.core.api import ErrorOut, json_body_doc, read_json, route
from htxso.core.policy import get_allowed_or_404
from htxso.core.schemas import Id, Text

from . import badges, selectors_certificates, services_certificates
from .certificates_pdf import verify_url
from .models import Certificate

router = Router(tags=["training"])
MAX_BODY = 64 * 1024
#: The body of an operation, read and validated by the shared ``core.api.read_json``.
_body = partial(
    read_json, max_bytes=MAX_BODY, message=_("The request body is not valid."), details=False
)
_json_body = json_body_doc


class CertificateOut(Schema):
    id: int
    code: str
    name: str
    course: str
    hours: str
    issuer: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str
    verification_url: str


class CertificateDetailOut(CertificateOut):
    credential_jwt: str
    credential: dict


class RevokeIn(Schema):
    reason: Text = Field(max_length=300)


class VerifyIn(Schema):
    credential: str = Field(
        max_length=badges.MAX_LENGTH,
        description="The compact VC-JWT, or the downloaded JSON file's text",
    )


class VerifyOut(Schema):
    valid: bool
    reason: str
    message: str
    code: str | None
    kid: str


def _out(c: Certificate) -> dict[str, Any]:
    snap = c.snapshot
    return {
        "id": c.pk,
        "code": c.code,
        "name": snap.get("name", ""),
        "course": snap.get("course", ""),
        "hours": snap.get("hours", ""),
        "issuer": snap.get("issuer", ""),
        "issued_at": c.issued_at,
        "revoked_at": c.revoked_at,
        "revoked_reason": c.revoked_reason,
        "verification_url": verify_url(c),
    }


@route(
    router.get,
    "/certificates/mine",
    authenticated=True,
    response=list[CertificateOut],
    summary="Your training certificates, newest first",
)
def certificates_mine(request: HttpRequest):
    return [_out(c) for c in selectors_certificates.my_certificates(request.user)[:200]]


@route(
    router.get,
    "/certificates/{certificate_id}",
    authenticated=True,
    response={200: CertificateDetailOut, 404: ErrorOut},
    summary="One certificate with its signed Open Badges credential (VC-JWT)",
)
def certificate_get(request: HttpRequest, certificate_id: Id):
    c = get_allowed_or_404(Certificate, request.user, "view", pk=certificate_id)
    return {
        **_out(c),
        "credential_jwt": c.credential,
        "credential": badges.readable(c.credential),
    }


@route(
    router.post,
    "/certificates/{certificate_id}/revoke",
    roles=roles.REVIEWERS,
    response={200: CertificateOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Revoke a certificate with a reason (the verify page shows it)",
    openapi_extra=_json_body(RevokeIn),
)
def certificate_revoke(request: HttpRequest, certificate_id: Id):
    c = get_allowed_or_404(Certificate, request.user, "change", pk=certificate_id)
    data = _body(request, RevokeIn)
    return _out(
        services_certificates.revoke_certificate(
            actor=request.user, certificate=c, reason=data.reason
        )
    )


@route(
    router.post,
    "/credentials/verify",
    public=True,
    response={200: VerifyOut, 400: ErrorOut},
    summary="Check an Open Badges credential: valid, or why not",
    openapi_extra=_json_body(VerifyIn),
)
def credential_verify(request: HttpRequest):
    data = _body(request, VerifyIn)
    checked = selectors_certificates.verify_credential(data.credential)
    return {
        "valid": checked.valid,
        "reason": checked.reason,
        "message": checked.message,
        "code": checked.certificate.code if checked.certificate and checked.valid else None,
        "kid": checked.verification.kid,
    }
