"""Permission-test samples of the account-management pages (issue 12): the person managed
is member_a1 (a member of a1, Cao Bằng)."""

from __future__ import annotations


def _member(w):
    return {"pk": w.users["member_a1"].pk}


def _member_role(w):
    member = w.users["member_a1"]
    return {"pk": member.pk, "assignment_pk": member.role_assignments.get().pk}


SAMPLES = {
    "accounts_admin:user_detail": lambda w: (_member(w), None),
    "accounts_admin:role_add": lambda w: (_member(w), None),
    "accounts_admin:role_remove": lambda w: (_member_role(w), None),
    "accounts_admin:user_deactivate": lambda w: (_member(w), None),
    "accounts_admin:user_reactivate": lambda w: (_member(w), None),
    "accounts_admin:two_factor_reset": lambda w: (_member(w), None),
}
