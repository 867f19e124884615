"""Samples of the accounts, home and geo pages and API (see tests/permissions/samples.py)."""

from __future__ import annotations


def _token_of_officer_a(w):
    from htxso.accounts import services

    officer = w.users["officer_a"]
    token, _raw = services.api_token_create(actor=officer, user=officer, name="t")
    return token


SAMPLES = {
    "registry:organisation_detail": lambda w: ({"pk": w.orgs["a1"].pk}, None),
    "accounts:password_reset_confirm": lambda w: ({"uidb64": "MQ", "token": "abc-def"}, None),
    # officer_a's token: everybody else gets 404
    "accounts:api_token_revoke": lambda w: ({"pk": _token_of_officer_a(w).pk}, None),
}

API_SAMPLES = {
    "/api/v1/geo/provinces/{code}/wards": lambda w: {"code": "04"},
    "/api/v1/registry/organisations/{org_id}": lambda w: {"org_id": w.orgs["a1"].pk},
}
