"""Open Badges 3.0 credentials of training certificates, secured as VC-JWT.

The credential is a W3C Verifiable Credential (data model 2.0) of type
``OpenBadgeCredential`` whose ``credentialSubject`` holds an ``Achievement`` (the course,
its criteria narrative).  It is secured with JOSE (VC-JOSE-COSE / the OB 3.0 "VC-JWT"
proof format): a compact JWS, ``alg=EdDSA`` (Ed25519), ``kid`` naming a key of the
published JWKS (``training.keys.jwks``).  The JWT claims set is the credential itself,
with the registered claims ``iss``, ``jti``, ``nbf`` and ``iat`` mirroring
``issuer.id``, ``id`` and ``validFrom``, so any JOSE library verifies it.

:func:`verify` is our own verifier (the public "check a credential" page and the API):
it answers *why* a credential is not valid — not a credential, an unknown key, a bad
signature, the readable copy changed, expired, revoked.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .keys import b64url

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [VC_V2, OB_V3]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
#: Longest credential the verifier reads (ours are ~2 kB; this bounds a pasted text).
MAX_LENGTH = 32_000


def site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@functools.cache
def _path(name: str) -> str:
    return reverse(name)


@functools.cache
def _public_prefix() -> str:
    sample = "A" * 10
    return reverse("training:certificate_public", args=[sample]).removesuffix(f"{sample}/")


def issuer_id() -> str:
    """The issuer's id: the URL of its Profile document (no DID method needed)."""
    return site(_path("training:issuer_profile"))


def issuer_profile() -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL + "/",
        "description": "Liên minh Hợp tác xã Việt Nam — nền tảng chuyển đổi số HTX Số",
    }


#: The issuer's name on credentials (Vietnamese, as on the PDF).
ISSUER_NAME = "HTX Số — Liên minh Hợp tác xã Việt Nam"


def format_hours(hours: Decimal | float | int) -> str:
    value = Decimal(str(hours)).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def build_credential(
    *,
    credential_id: uuid.UUID,
    code: str,
    name: str,
    course_code: str,
    course_title: str,
    course_description: str,
    hours: Decimal,
    criteria: str,
    issued_at: datetime,
    funded_by: str = "",
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (a plain dict, JSON-ready)."""
    valid_from = issued_at.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    public_page = site(f"{_public_prefix()}{code}/")
    issuer = issuer_id()
    achievement: dict[str, Any] = {
        "id": f"{issuer}#course-{course_code}",
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course_title,
        "description": course_description or course_title,
        "criteria": {"narrative": criteria},
        "creator": {"id": issuer, "type": ["Profile"], "name": ISSUER_NAME},
        "humanCode": course_code,
    }
    if funded_by:
        achievement["tag"] = [funded_by]
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{credential_id}",
        "type": TYPES,
        "issuer": {"id": issuer, "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": valid_from,
        "name": course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": name,
                }
            ],
            "achievement": achievement,
            "result": [{"type": ["Result"], "value": f"{format_hours(hours)} giờ"}],
        },
        "evidence": [{"id": public_page, "type": ["Evidence"], "name": "Trang xác minh"}],
    }


def _claims(credential: dict[str, Any]) -> dict[str, Any]:
    valid_from = _parse_time(credential["validFrom"])
    assert valid_from is not None
    claims = dict(credential)
    claims.update(
        iss=credential["issuer"]["id"],
        jti=credential["id"],
        nbf=int(valid_from.timestamp()),
        iat=int(valid_from.timestamp()),
    )
    return claims


def _compact(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def sign(credential: dict[str, Any], *, kid: str, private: Ed25519PrivateKey) -> str:
    """The compact JWS (``header.payload.signature``) of ``credential``."""
    header = {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": kid}
    signing_input = f"{b64url(_compact(header))}.{b64url(_compact(_claims(credential)))}"
    signature = private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


# ------------------------------------------------------------------ verification


class Reason:
    """Stable codes of a verification's answer (the API's ``reason``)."""

    VALID = "valid"
    MALFORMED = "malformed"
    NOT_A_CREDENTIAL = "not_a_credential"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    TAMPERED = "tampered"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


MESSAGES = {
    Reason.VALID: _("Valid: the signature is ours and the certificate is in force."),
    Reason.MALFORMED: _(
        "This is not a signed credential: paste the .jwt file or the JSON file as "
        "downloaded (three parts separated by dots, or JSON with a “jwt” field)."
    ),
    Reason.NOT_A_CREDENTIAL: _(
        "The text is signed but it is not an Open Badges credential of HTX Số."
    ),
    Reason.UNKNOWN_KEY: _(
        "The credential names a signing key HTX Số never published: it was not issued here."
    ),
    Reason.BAD_SIGNATURE: _(
        "The signature does not match: the credential was changed after it was signed."
    ),
    Reason.TAMPERED: _(
        "The signed credential is genuine but the readable copy beside it was changed "
        "(%(fields)s): trust only the signed part."
    ),
    Reason.NOT_YET_VALID: _("The credential is not valid yet (it starts on %(date)s)."),
    Reason.EXPIRED: _("The credential expired on %(date)s."),
    Reason.REVOKED: _("The certificate was revoked on %(date)s: %(reason)s"),
}


@dataclass
class Verification:
    reason: str
    credential: dict[str, Any] | None = None
    kid: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.reason == Reason.VALID

    @property
    def message(self) -> str:
        return (
            str(MESSAGES[self.reason]) % self.params if self.params else str(MESSAGES[self.reason])
        )


def _b64decode(part: str) -> bytes:
    if not part or len(part) % 4 == 1 or not _B64URL.fullmatch(part):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def split_input(text: str) -> tuple[str, dict[str, Any] | None] | None:
    """``(compact JWS, readable copy or None)`` of what a person pasted: the .jwt text,
    or our JSON wrapper (``{"jwt": …, "credential": …}``); ``None`` when neither."""
    text = (text or "").strip().lstrip("\ufeff")
    if not text or len(text) > MAX_LENGTH:
        return None
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("jwt"), str):
            return None
        copy = data.get("credential")
        return data["jwt"].strip(), copy if isinstance(copy, dict) else None
    return text, None


def _differences(signed: dict[str, Any], copy: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(signed) | set(copy)):
        name = f"{prefix}{key}"
        a, b = signed.get(key, _MISSING), copy.get(key, _MISSING)
        if isinstance(a, dict) and isinstance(b, dict):
            out += _differences(a, b, f"{name}.")
        elif a != b:
            out.append(name)
    return out


_MISSING = object()
_REGISTERED = ("iss", "jti", "sub", "nbf", "iat", "exp")


def verify(
    text: str,
    *,
    public_key_of: Callable[[str], Ed25519PublicKey | None],
    now: datetime | None = None,
) -> Verification:
    """Check a pasted credential (signature, key, dates); revocation is the caller's
    (it needs the certificate row: ``services_certificates.verify_credential``)."""
    parts = split_input(text)
    if parts is None:
        return Verification(Reason.MALFORMED)
    token, copy = parts
    pieces = token.split(".")
    if len(pieces) != 3:
        return Verification(Reason.MALFORMED)
    try:
        header = json.loads(_b64decode(pieces[0]))
        payload_bytes = _b64decode(pieces[1])
        signature = _b64decode(pieces[2])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return Verification(Reason.MALFORMED)
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        return Verification(Reason.NOT_A_CREDENTIAL)
    kid = header.get("kid")
    public = public_key_of(kid) if isinstance(kid, str) else None
    if public is None:
        return Verification(Reason.UNKNOWN_KEY, kid=kid if isinstance(kid, str) else "")
    try:
        public.verify(signature, f"{pieces[0]}.{pieces[1]}".encode("ascii"))
    except (InvalidSignature, ValueError):
        return Verification(Reason.BAD_SIGNATURE, kid=kid)
    try:
        claims = json.loads(payload_bytes)
    except (ValueError, UnicodeDecodeError):
        return Verification(Reason.NOT_A_CREDENTIAL, kid=kid)
    if not isinstance(claims, dict) or not _is_credential(claims):
        return Verification(Reason.NOT_A_CREDENTIAL, kid=kid)
    credential = {k: v for k, v in claims.items() if k not in _REGISTERED}
    if copy is not None:
        changed = _differences(credential, copy)
        if changed:
            return Verification(
                Reason.TAMPERED, credential, kid, {"fields": ", ".join(changed[:5])}
            )
    moment = now or datetime.now(UTC)
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is None:
        return Verification(Reason.NOT_A_CREDENTIAL, kid=kid)
    if valid_from > moment:
        return Verification(
            Reason.NOT_YET_VALID, credential, kid, {"date": valid_from.strftime("%d/%m/%Y")}
        )
    valid_until = _parse_time(credential.get("validUntil"))
    if credential.get("validUntil") is not None and valid_until is None:
        return Verification(Reason.NOT_A_CREDENTIAL, kid=kid)
    if valid_until is not None and valid_until <= moment:
        return Verification(
            Reason.EXPIRED, credential, kid, {"date": valid_until.strftime("%d/%m/%Y")}
        )
    return Verification(Reason.VALID, credential, kid)


def _is_credential(claims: dict[str, Any]) -> bool:
    types = claims.get("type")
    subject = claims.get("credentialSubject")
    context = claims.get("@context")
    return (
        isinstance(types, list)
        and "OpenBadgeCredential" in types
        and isinstance(context, list)
        and context[:1] == [VC_V2]
        and isinstance(claims.get("id"), str)
        and isinstance(subject, dict)
        and isinstance(subject.get("achievement"), dict)
        and isinstance(claims.get("issuer"), dict)
        and claims["issuer"].get("id") == issuer_id()
    )


def credential_uuid(credential: dict[str, Any]) -> uuid.UUID | None:
    value = credential.get("id")
    if not isinstance(value, str) or not value.startswith("urn:uuid:"):
        return None
    try:
        return uuid.UUID(value.removeprefix("urn:uuid:"))
    except ValueError:
        return None


def readable(token: str) -> dict[str, Any]:
    """The credential inside one of OUR stored tokens (no checks: it is ours)."""
    claims = json.loads(_b64decode(token.split(".")[1]))
    return {k: v for k, v in claims.items() if k not in _REGISTERED}
