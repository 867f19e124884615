"""Permission-test samples for the invitations (read by tests/permissions/samples.py)."""

from __future__ import annotations

#: The raw token of the sample invitation (its hash is what the database keeps).
SAMPLE_TOKEN = "perm-sample-invitation-token-0001"


def sample_invitation(w):
    """A waiting SMS invitation of a1 to a member whose phone no world user has."""
    from htxso.core.actors import OPERATOR
    from htxso.core.roles import Role
    from htxso.invitations import services
    from htxso.invitations.models import Invitation, hash_token

    existing = Invitation.objects.filter(token_hash=hash_token(SAMPLE_TOKEN)).first()
    if existing is not None:
        return existing
    inv = services.invitation_create(
        actor=OPERATOR,
        role=Role.COOP_MEMBER,
        organisation=w.orgs["a1"],
        to_phone="0912345699",
        full_name="Mẫu Lời Mời",
    )
    Invitation.objects.filter(pk=inv.pk).update(token_hash=hash_token(SAMPLE_TOKEN))
    inv.refresh_from_db()
    return inv


def _org(w):
    return {"pk": w.orgs["a1"].pk}


SAMPLES = {
    "invitations:accept": lambda w: (
        (sample_invitation(w), {"token": SAMPLE_TOKEN})[1],
        None,
    ),
    "invitations:invitation_list": lambda w: (_org(w), None),
    "invitations:invite_members": lambda w: (_org(w), None),
    "invitations:invitation_cards": lambda w: (_org(w), None),
    "invitations:invitation_resend": lambda w: (
        {"pk": w.orgs["a1"].pk, "invitation_pk": sample_invitation(w).pk},
        None,
    ),
    "invitations:invitation_revoke": lambda w: (
        {"pk": w.orgs["a1"].pk, "invitation_pk": sample_invitation(w).pk},
        None,
    ),
}
