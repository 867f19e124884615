"""The platform's Ed25519 signing keys of Open Badges credentials.

* One key is active (it signs new credentials); rotating retires it and makes a new
  one, and retired keys keep verifying the credentials they signed.
* The private key is stored as encrypted PKCS#8 PEM (passphrase: the
  ``TRAINING_KEY_PASSPHRASE`` setting or environment variable, else one derived from
  ``SECRET_KEY`` with HKDF); it never leaves the server and no page or API shows it.
* The public keys are published as a JWKS (RFC 7517/8037: ``kty=OKP``, ``crv=Ed25519``)
  at ``/.well-known/htxso-keys.json`` (``jwks()``), each under its ``kid``.

``python -m htxso training_keys generate|rotate|list`` manages them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import secrets

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError

from .models import SigningKey

ACTION_LABELS.update(
    {
        "training.key_generate": gettext_lazy("Signing key of certificates made"),
        "training.key_rotate": gettext_lazy("Signing key of certificates rotated"),
    }
)

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: multicodec prefix of an Ed25519 public key (0xed, varint) in a Multikey.
_ED25519_PUB = b"\xed\x01"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def multibase(public: Ed25519PublicKey) -> str:
    """The public key as a Multikey value (``z`` + base58btc of 0xed01 + 32 bytes)."""
    return "z" + _b58(_ED25519_PUB + _raw_public(public))


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def passphrase() -> bytes:
    """The passphrase of the stored private keys."""
    given = getattr(settings, "TRAINING_KEY_PASSPHRASE", "") or os.environ.get(
        "TRAINING_KEY_PASSPHRASE", ""
    )
    if given:
        return given.encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"htxso-training-keys", info=b"pkcs8"
    ).derive(settings.SECRET_KEY.encode())
    return base64.b64encode(derived)


def _encrypt(private: Ed25519PrivateKey) -> str:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase()),
    ).decode("ascii")


@functools.lru_cache(maxsize=16)
def _load_private(kid: str, pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=passphrase())
    if not isinstance(key, Ed25519PrivateKey):  # pragma: no cover - we only store Ed25519
        raise TypeError("not an Ed25519 key")
    return key


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """The key's private half (decrypted once per process)."""
    return _load_private(key.kid, key.private_key_pem)


@functools.lru_cache(maxsize=64)
def _public_from_multibase(value: str) -> Ed25519PublicKey:
    number = 0
    for char in value[1:]:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes(34, "big")
    if not raw.startswith(_ED25519_PUB):
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key(key: SigningKey) -> Ed25519PublicKey:
    return _public_from_multibase(key.public_key_multibase)


def _new_kid(public: Ed25519PublicKey) -> str:
    day = timezone.localdate().strftime("%Y%m%d")
    return f"htxso-{day}-{hashlib.sha256(_raw_public(public)).hexdigest()[:8]}"


def _make(*, actor: Actor, action: str) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    kid = _new_kid(public)
    while SigningKey.objects.filter(kid=kid).exists():  # pragma: no cover - 1 in 2**32
        kid = f"{kid}-{secrets.token_hex(2)}"
    key = SigningKey.objects.create(
        kid=kid, public_key_multibase=multibase(public), private_key_pem=_encrypt(private)
    )
    audit.record(actor=actor, action=action, instance=key, after={"kid": kid})
    return key


def generate(*, actor: Actor) -> tuple[SigningKey, bool]:
    """The active key, made now when there is none: ``(key, made)``."""
    with transaction.atomic():
        current = SigningKey.objects.select_for_update().filter(active=True).first()
        if current is not None:
            return current, False
        return _make(actor=actor, action="training.key_generate"), True


def rotate(*, actor: Actor) -> SigningKey:
    """Retire the active key (it keeps verifying) and make a new active one."""
    with transaction.atomic():
        retired = list(SigningKey.objects.select_for_update().filter(active=True))
        now = timezone.now()
        for old in retired:
            old.active, old.retired_at = False, now
            old.save(update_fields=["active", "retired_at"])
        key = _make(actor=actor, action="training.key_rotate")
        return key


def active_key(*, actor: Actor) -> SigningKey:
    """The key that signs new credentials (the first one is made when needed)."""
    key = SigningKey.objects.filter(active=True).first()
    return key if key is not None else generate(actor=actor)[0]


def key_by_kid(kid: str) -> SigningKey | None:
    if not isinstance(kid, str) or not 0 < len(kid) <= 64:
        return None
    return SigningKey.objects.filter(kid=kid).first()


def jwk(key: SigningKey) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(_raw_public(public_key(key))),
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every key, active first then retired (newest first): old credentials verify."""
    keys = SigningKey.objects.order_by("-active", "-created_at", "-id")
    return {"keys": [jwk(k) for k in keys]}


def require_key_material() -> None:
    """Refuse clearly when a stored key cannot be decrypted (a changed passphrase)."""
    key = SigningKey.objects.filter(active=True).first()
    if key is None:
        return
    try:
        private_key(key)
    except (ValueError, TypeError) as exc:
        raise ServiceError(
            "signing_key_unreadable",
            gettext_lazy("The signing key cannot be read (was TRAINING_KEY_PASSPHRASE changed?)."),
        ) from exc
