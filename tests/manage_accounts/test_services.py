"""The account-management services: scope, grants, audit (real database)."""

from __future__ import annotations

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from htxso.accounts import services as account_services
from htxso.accounts.models import Role, RoleAssignment
from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.geo.models import Province
from htxso.invitations import services_accounts as accounts
from htxso.invitations.models import Invitation

from .helpers import events, fresh, two_province_member

pytestmark = pytest.mark.django_db


def keys(w, users):
    by_pk = {u.pk: k for k, u in w.users.items()}
    return {by_pk.get(u.pk, u.username) for u in users}


# --------------------------------------------------------------------------- scope


def test_vca_sees_everyone_officer_his_province_manager_his_organisation(world):
    w = world
    assert keys(w, accounts.visible_users(w.users["vca"])) == set(w.users)
    assert keys(w, accounts.visible_users(w.users["officer_a"])) == {
        "officer_a",
        "viewer_a",
        "manager_a1",
        "member_a1",
    }
    assert keys(w, accounts.visible_users(w.users["officer_b"])) == {
        "officer_b",
        "viewer_b",
        "manager_b1",
    }
    assert keys(w, accounts.visible_users(w.users["manager_a1"])) == {"manager_a1", "member_a1"}
    for key in ("viewer_a", "member_a1", "trainer", "buyer", "norole"):
        assert not accounts.visible_users(w.users[key]).exists(), key


def test_a_person_of_two_provinces_shows_each_officer_only_his_roles(world):
    w = world
    both = two_province_member(w)
    for officer, org in (("officer_a", "a1"), ("officer_b", "b1")):
        actor = w.users[officer]
        assert accounts.visible_users(actor).filter(pk=both.pk).exists()
        seen = list(accounts.visible_assignments(actor).filter(user=both))
        assert [a.organisation for a in seen] == [w.orgs[org]]
        # the account as a whole is not one officer's
        assert not accounts.manages_whole(actor, both)
    assert accounts.manages_whole(w.users["vca"], both)


def test_search_is_accent_free_and_contacts_only_for_staff(world):
    w = world
    both = two_province_member(w)
    officer = w.users["officer_a"]
    qs = accounts.visible_users(officer).order_by("pk")
    assert accounts.search_ids(officer, qs, "nguyen thi hai", contacts=True) == [both.pk]
    assert accounts.search_ids(officer, qs, "NGUYỄN Hai", contacts=True) == [both.pk]
    assert accounts.search_ids(officer, qs, "0912 345 678", contacts=True) == [both.pk]
    assert accounts.search_ids(officer, qs, "+84 912345678", contacts=True) == [both.pk]
    assert accounts.search_ids(officer, qs, "member_a1@example", contacts=True) == [
        w.users["member_a1"].pk
    ]
    # a manager finds people by name, never by phone or e-mail
    assert accounts.search_ids(officer, qs, "0912345678", contacts=False) == []
    assert accounts.search_ids(officer, qs, "<script>alert(1)</script>", contacts=True) == []


# --------------------------------------------------------------------------- roles


def test_officer_gives_a_manager_role_in_his_province_audited(world):
    w = world
    officer, member = w.users["officer_a"], w.users["member_a1"]
    assignment = accounts.account_role_add(
        actor=officer, user=member, role=Role.COOP_MANAGER, organisation=w.orgs["a2"]
    )
    assert assignment.organisation == w.orgs["a2"]
    row = events("role.assign", actor=officer).get()
    assert row.after["user"] == member.pk and row.province_id == "04"
    assert row.organisation_id == w.orgs["a2"].pk


@pytest.mark.parametrize(
    ("actor", "role", "where"),
    [
        ("officer_a", Role.COOP_MEMBER, {"organisation": "b1"}),  # another province
        ("officer_a", Role.PROVINCE_OFFICER, {"province": "04"}),  # beyond his grant
        ("officer_a", Role.VCA_ADMIN, {}),
        ("manager_a1", Role.COOP_MANAGER, {"organisation": "a1"}),
        ("manager_a1", Role.COOP_MEMBER, {"organisation": "a2"}),
    ],
)
def test_a_role_beyond_the_grant_is_refused_and_nothing_changes(world, actor, role, where):
    w = world
    kwargs = {}
    if "organisation" in where:
        kwargs["organisation"] = w.orgs[where["organisation"]]
    if "province" in where:
        kwargs["province"] = Province.objects.get(pk=where["province"])
    before = RoleAssignment.objects.count()
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_add(
            actor=w.users[actor], user=w.users["member_a1"], role=role, **kwargs
        )
    assert caught.value.code == "role_not_grantable"
    assert caught.value.kind is Kind.FORBIDDEN
    assert RoleAssignment.objects.count() == before
    assert not events("role.assign").exclude(actor=None).exists()


def test_officer_cannot_give_a_role_to_someone_outside_his_province(world):
    w = world
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_add(
            actor=w.users["officer_a"],
            user=w.users["manager_b1"],
            role=Role.COOP_MEMBER,
            organisation=w.orgs["a1"],
        )
    assert caught.value.kind is Kind.NOT_FOUND


def test_the_same_role_twice_is_a_conflict_not_a_duplicate(world):
    w = world
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_add(
            actor=w.users["officer_a"],
            user=w.users["member_a1"],
            role=Role.COOP_MEMBER,
            organisation=w.orgs["a1"],
        )
    assert caught.value.code == "role_already_held"
    assert RoleAssignment.objects.filter(user=w.users["member_a1"]).count() == 1


def test_manager_gives_and_takes_away_a_member_role(world):
    w = world
    manager, person = w.users["manager_a1"], w.users["member_a1"]
    accounts.account_role_remove(
        actor=manager, assignment=person.role_assignments.get(role=Role.COOP_MEMBER)
    )
    assert not person.role_assignments.exists()
    assert events("role.revoke", actor=manager).get().before["user"] == person.pk


def test_officer_cannot_take_away_a_role_he_may_not_give(world):
    w = world
    viewer_role = w.users["viewer_a"].role_assignments.get()
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_remove(actor=w.users["officer_a"], assignment=viewer_role)
    assert caught.value.code == "role_not_removable"
    assert RoleAssignment.objects.filter(pk=viewer_role.pk).exists()
    # another province's role: not even seen
    b_role = w.users["manager_b1"].role_assignments.get()
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_remove(actor=w.users["officer_a"], assignment=b_role)
    assert caught.value.kind is Kind.NOT_FOUND


def test_the_last_active_vca_administrator_keeps_the_role(world):
    w = world
    vca = w.users["vca"]
    own = vca.role_assignments.get(role=Role.VCA_ADMIN)
    with pytest.raises(ServiceError) as caught:
        accounts.account_role_remove(actor=vca, assignment=own)
    assert caught.value.code == "last_vca_admin"
    with pytest.raises(ServiceError) as caught:
        accounts.account_deactivate(actor=OPERATOR, user=vca)
    assert caught.value.code == "last_vca_admin"
    assert fresh(vca).is_active and RoleAssignment.objects.filter(pk=own.pk).exists()
    # an inactive second administrator does not count
    second = account_services.user_create(actor=OPERATOR, username="vca2", password=None)
    account_services.role_assign(actor=OPERATOR, user=second, role=Role.VCA_ADMIN)
    second.is_active = False
    second.save()
    with pytest.raises(ServiceError):
        accounts.account_role_remove(actor=vca, assignment=own)
    # an active one does
    second.is_active = True
    second.save()
    accounts.account_role_remove(actor=vca, assignment=own)
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()


# ---------------------------------------------------------------- the account


def test_deactivate_and_reactivate_audited_and_sign_in_refused(world, client):
    w = world
    officer, member = w.users["officer_a"], w.users["member_a1"]
    assert accounts.account_deactivate(actor=officer, user=member) is True
    assert accounts.account_deactivate(actor=officer, user=member) is False  # double submit
    assert not fresh(member).is_active
    row = events("account.deactivate").get()
    assert row.actor == officer and row.object_id == str(member.pk)
    assert row.before == {"is_active": True} and row.after == {"is_active": False}
    response = client.post(
        "/dang-nhap/", {"username": "u_member_a1", "password": "Mat-khau-rat-dai-2026"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert accounts.account_reactivate(actor=officer, user=member) is True
    assert events("account.reactivate", actor=officer).count() == 1
    assert fresh(member).is_active


def test_nobody_deactivates_himself(world):
    w = world
    for key in ("vca", "officer_a", "manager_a1"):
        with pytest.raises(ServiceError) as caught:
            accounts.account_deactivate(actor=w.users[key], user=w.users[key])
        assert caught.value.code == "cannot_deactivate_self"
    assert not events("account.deactivate").exists()


def test_officer_deactivates_only_accounts_wholly_within_his_grant(world):
    w = world
    officer = w.users["officer_a"]
    for target in (w.users["viewer_a"], two_province_member(w)):
        with pytest.raises(ServiceError) as caught:
            accounts.account_deactivate(actor=officer, user=target)
        assert caught.value.code == "account_not_manageable"
        assert fresh(target).is_active
    with pytest.raises(ServiceError) as caught:
        accounts.account_deactivate(actor=officer, user=w.users["manager_b1"])
    assert caught.value.kind is Kind.NOT_FOUND


def test_two_factor_reset_removes_the_devices_tells_the_owner_audited(
    world, django_capture_on_commit_callbacks
):
    w = world
    viewer = w.users["viewer_a"]
    TOTPDevice.objects.create(user=viewer, name="HTX Số", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert accounts.account_two_factor_reset(actor=w.users["vca"], user=viewer) is True
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    assert events("two_factor.disable", actor=w.users["vca"]).count() == 1
    assert [m.to for m in mail.outbox] == [[viewer.email]]
    assert accounts.account_two_factor_reset(actor=w.users["vca"], user=viewer) is False


def test_two_factor_reset_is_for_staff_within_their_grant(world):
    w = world
    member = w.users["member_a1"]
    TOTPDevice.objects.create(user=member, name="x", confirmed=True)
    with pytest.raises(ServiceError) as caught:
        accounts.account_two_factor_reset(actor=w.users["manager_a1"], user=member)
    assert caught.value.kind is Kind.FORBIDDEN
    viewer = w.users["viewer_a"]
    TOTPDevice.objects.create(user=viewer, name="x", confirmed=True)
    with pytest.raises(ServiceError) as caught:
        accounts.account_two_factor_reset(actor=w.users["officer_a"], user=viewer)
    assert caught.value.code == "account_not_manageable"
    assert TOTPDevice.objects.filter(user__in=[member, viewer]).count() == 2
    assert accounts.account_two_factor_reset(actor=w.users["officer_a"], user=member)


def test_the_trail_shows_each_officer_his_province(world):
    w = world
    both = two_province_member(w)
    accounts.account_role_add(
        actor=w.users["officer_a"], user=both, role=Role.COOP_MANAGER, organisation=w.orgs["a2"]
    )
    accounts.account_role_add(
        actor=w.users["officer_b"], user=both, role=Role.COOP_MANAGER, organisation=w.orgs["b1"]
    )
    seen_a = {
        (e.action, e.province_id) for e in accounts.account_events(w.users["officer_a"], both)
    }
    seen_b = {
        (e.action, e.province_id) for e in accounts.account_events(w.users["officer_b"], both)
    }
    assert ("role.assign", "04") in seen_a and ("role.assign", "66") not in seen_a
    assert ("role.assign", "66") in seen_b and ("role.assign", "04") not in seen_b
    assert ("user.create", None) in seen_a  # the account itself
    # the VCA: the account's creation, its two member roles, the two manager roles
    assert len(list(accounts.account_events(w.users["vca"], both))) == 5


# ------------------------------------------------------------------ invite staff


def test_vca_invites_a_provincial_officer_by_sms(world, django_capture_on_commit_callbacks):
    from htxso.core import messaging

    w = world
    with django_capture_on_commit_callbacks(execute=True):
        invitation = accounts.staff_invite(
            actor=w.users["vca"],
            role=Role.PROVINCE_OFFICER,
            full_name="Lò Văn Mời",
            phone="+84987654321",
            province=Province.objects.get(pk="04"),
        )
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert (invitation.role, invitation.province_id, invitation.inviter) == (
        Role.PROVINCE_OFFICER,
        "04",
        w.users["vca"],
    )
    assert messaging.sent_to("+84987654321", "invitation")


def test_officer_invites_a_manager_of_his_province_only(world):
    w = world
    officer = w.users["officer_a"]
    accounts.staff_invite(
        actor=officer,
        role=Role.COOP_MANAGER,
        full_name="Hoàng Văn Quản",
        phone="0912 000 111",
        organisation=w.orgs["a1"],
    )
    for role, where in (
        (Role.COOP_MANAGER, {"organisation": w.orgs["b1"]}),
        (Role.DEPARTMENT_VIEWER, {"province": Province.objects.get(pk="04")}),
        (Role.COOP_MEMBER, {"organisation": w.orgs["a1"]}),  # members: from the register
    ):
        with pytest.raises(ServiceError) as caught:
            accounts.staff_invite(
                actor=officer, role=role, full_name="X", phone="0912000222", **where
            )
        assert caught.value.kind is Kind.FORBIDDEN, role
    assert Invitation.objects.count() == 1
