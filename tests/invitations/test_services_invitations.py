"""The invitation services: who may invite whom, sending, revoking, accepting."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from htxso.accounts.models import RoleAssignment, User
from htxso.core import messaging
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import ConsentRecord
from htxso.core.roles import Role
from htxso.invitations import services
from htxso.invitations.models import Invitation, InvitationState, hash_token

from .helpers import member

pytestmark = pytest.mark.django_db


def _token_from(message) -> str:
    return message.text.rsplit("/loi-moi/", 1)[1].strip("/ ")


def test_manager_invites_a_member_by_sms_and_only_a_hash_is_kept(world, sends):
    org = world.orgs["a1"]
    person = member(org, "Hoàng Thị Mai", "0912 345 601")
    inv = services.invitation_create(
        actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
    )
    assert inv.full_name == "Hoàng Thị Mai" and inv.to_phone == "+84912345601"
    assert inv.province_id == "04" and inv.current_state == InvitationState.PENDING
    assert messaging.outbox == []  # created, not sent
    with sends():
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
    (message,) = messaging.sent_to("+84912345601", "invitation")
    assert "mời bạn tham gia HTX Số" in message.text and org.name in message.text
    token = _token_from(message)
    inv.refresh_from_db()
    assert inv.token_hash == hash_token(token) and token not in str(inv.__dict__)
    assert inv.sent_count == 1 and inv.last_sent_at is not None
    assert services.invitation_for_token(token) == inv


def test_resend_issues_a_new_link_and_the_old_one_stops_working(world, sends):
    org = world.orgs["a1"]
    inv = services.invitation_create(
        actor=world.users["manager_a1"],
        role=Role.COOP_MEMBER,
        organisation=org,
        to_phone="0912345602",
        full_name="Bế Văn Tư",
    )
    with sends():
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
    first, second = (_token_from(m) for m in messaging.outbox)
    assert services.invitation_for_token(first) is None
    assert services.invitation_for_token(second) == inv


def test_send_limit(world):
    org = world.orgs["a1"]
    inv = services.invitation_create(
        actor=world.users["manager_a1"],
        role=Role.COOP_MEMBER,
        organisation=org,
        to_phone="0912345602",
        full_name="Bế Văn Tư",
    )
    for _ in range(services.MAX_SENDS):
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
    with pytest.raises(ServiceError) as exc:
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
    assert exc.value.code == "send_limit"


@pytest.mark.parametrize(
    ("who", "role", "org", "code"),
    [
        ("manager_a1", Role.COOP_MANAGER, "a1", "forbidden"),  # a manager grants members only
        ("manager_a1", Role.COOP_MEMBER, "b1", "forbidden"),  # another cooperative
        ("officer_a", Role.COOP_MEMBER, "b1", "forbidden"),  # another province
        ("member_a1", Role.COOP_MEMBER, "a1", "forbidden"),
        ("viewer_a", Role.COOP_MEMBER, "a1", "forbidden"),
    ],
)
def test_an_invitation_cannot_grant_more_than_its_inviter_may(world, who, role, org, code):
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users[who],
            role=role,
            organisation=world.orgs[org],
            to_phone="0912345603",
            full_name="Lục Văn Ba",
        )
    assert exc.value.code == code and exc.value.kind is Kind.FORBIDDEN
    assert not Invitation.objects.exists()


def test_officer_and_vca_grants(world):
    inv = services.invitation_create(
        actor=world.users["officer_a"],
        role=Role.COOP_MANAGER,
        organisation=world.orgs["a2"],
        to_phone="0912345603",
        full_name="Lục Văn Ba",
    )
    assert inv.province_id == "04"
    services.invitation_create(
        actor=world.users["vca"],
        role=Role.PROVINCE_OFFICER,
        province="66",
        to_email="can.bo@example.vn",
        full_name="Y Bih",
        channel="email",
    )
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["officer_a"],
            role=Role.PROVINCE_OFFICER,
            province="04",
            to_phone="0912345604",
            full_name="X",
        )
    assert exc.value.kind is Kind.FORBIDDEN


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("+33 6 12 34 56 78", "phone_foreign"),
        ("12345", "phone_invalid"),
        ("024 3825 1234", "phone_not_mobile"),
        ("9" * 40, "phone_invalid"),
    ],
)
def test_bad_phones(world, phone, code):
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["manager_a1"],
            role=Role.COOP_MEMBER,
            organisation=world.orgs["a1"],
            to_phone=phone,
            full_name="Lục Văn Ba",
        )
    assert exc.value.code == code and "to_phone" in exc.value.fields


def test_script_in_names_is_refused(world):
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["manager_a1"],
            role=Role.COOP_MEMBER,
            organisation=world.orgs["a1"],
            to_phone="0912345601",
            full_name="<script>alert(1)</script>",
        )
    assert exc.value.code == "name_invalid"


def test_linked_or_already_invited_people_are_refused(world):
    org = world.orgs["a1"]
    person = member(org, "Nông Thị Hoa", "0912345601")
    services.invitation_create(
        actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
    )
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
        )
    assert exc.value.code == "already_invited"
    other = member(org, "Nông Văn Sáu", "0912345602")
    other.user = world.users["member_a1"]
    other.save()
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=other
        )
    assert exc.value.code == "already_linked"


def test_a_person_of_another_register_is_not_found(world):
    foreign = member(world.orgs["b1"], "Y Bih", "0912345601")
    with pytest.raises(ServiceError) as exc:
        services.invitation_create(
            actor=world.users["manager_a1"],
            role=Role.COOP_MEMBER,
            organisation=world.orgs["a1"],
            person=foreign,
        )
    assert exc.value.kind is Kind.NOT_FOUND


def test_an_expired_invitation_makes_way_for_a_new_one(world):
    org = world.orgs["a1"]
    person = member(org, "Nông Thị Hoa", "0912345601")
    old = services.invitation_create(
        actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
    )
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    old.refresh_from_db()
    assert old.current_state == InvitationState.EXPIRED
    with pytest.raises(ServiceError) as exc:
        services.invitation_send(actor=world.users["manager_a1"], invitation=old)
    assert exc.value.code == "invitation_expired"
    services.invitation_create(
        actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
    )
    old.refresh_from_db()
    assert old.state == InvitationState.EXPIRED


def test_batch_invites_and_skips_with_reasons(world, sends):
    org = world.orgs["a1"]
    ok = member(org, "Hoàng Văn Một", "0912345601")
    no_phone = member(org, "Hoàng Văn Hai")
    landline = member(org, "Hoàng Văn Ba", "02063851234")
    linked = member(org, "Hoàng Văn Bốn", "0912345604")
    linked.user = world.users["member_a1"]
    linked.save()
    with sends():
        result = services.invite_members(
            actor=world.users["manager_a1"],
            organisation=org,
            people=[ok, no_phone, landline, linked],
        )
    assert [i.person for i in result.created] == [ok]
    reasons = {p.full_name: why for p, why in result.skipped}
    assert set(reasons) == {"Hoàng Văn Hai", "Hoàng Văn Ba", "Hoàng Văn Bốn"}
    assert len(messaging.sent_to("+84912345601", "invitation")) == 1
    again = services.invite_members(actor=world.users["manager_a1"], organisation=org, people=[ok])
    assert again.created == [] and len(again.skipped) == 1


def test_batch_cap(world):
    with pytest.raises(ServiceError) as exc:
        services.invite_members(
            actor=world.users["manager_a1"],
            organisation=world.orgs["a1"],
            people=[object()] * (services.MAX_BATCH + 1),
        )
    assert exc.value.code == "batch_too_large"


def _sent_invitation(world, person=None, phone="0912345601"):
    from django.test import TestCase

    org = world.orgs["a1"]
    person = person or member(org, "Hoàng Thị Mai", phone, capital=5_000_000, cert="GCN-01")
    inv = services.invitation_create(
        actor=world.users["manager_a1"], role=Role.COOP_MEMBER, organisation=org, person=person
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invitation_send(actor=world.users["manager_a1"], invitation=inv)
    return inv, _token_from(messaging.outbox[-1])


def test_accept_makes_the_account_links_the_row_gives_the_role_and_records_consent(world):
    inv, token = _sent_invitation(world)
    user = services.invitation_accept(
        invitation=services.invitation_for_token(token), password="Lua-nuong-Cao-Bang-2026"
    )
    assert user.phone == "+84912345601" and user.check_password("Lua-nuong-Cao-Bang-2026")
    inv.refresh_from_db()
    assert inv.state == InvitationState.ACCEPTED and inv.accepted_by == user
    assert inv.person.user == user
    assert RoleAssignment.objects.filter(
        user=user, role=Role.COOP_MEMBER, organisation=world.orgs["a1"]
    ).exists()
    assert ConsentRecord.objects.filter(user=user, purpose="invitation").exists()
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=inv, password="Lua-nuong-Cao-Bang-2026")
    assert exc.value.code == "invitation_used"


def test_accept_with_code_sign_in_has_no_password(world):
    _inv, token = _sent_invitation(world)
    user = services.invitation_accept(invitation=services.invitation_for_token(token))
    assert not user.has_usable_password()


def test_a_failed_accept_leaves_nothing_half_made(world):
    inv, _token = _sent_invitation(world)
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=inv, password="123")
    assert exc.value.code == "password_weak"
    inv.refresh_from_db()
    assert inv.state == InvitationState.PENDING and inv.person.user_id is None
    assert not User.objects.filter(phone="+84912345601").exists()


def test_revoked_and_other_person(world):
    inv, token = _sent_invitation(world)
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=inv, user=world.users["buyer"])
    assert exc.value.code == "invitation_other_person"
    services.invitation_revoke(actor=world.users["manager_a1"], invitation=inv)
    services.invitation_revoke(actor=world.users["manager_a1"], invitation=inv)  # no-op
    assert services.invitation_for_token(token).current_state == InvitationState.REVOKED
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(invitation=inv)
    assert exc.value.code == "invitation_revoked"


def test_manager_of_another_cooperative_cannot_send_or_revoke(world):
    inv, _token = _sent_invitation(world)
    for call in (services.invitation_send, services.invitation_revoke):
        with pytest.raises(ServiceError) as exc:
            call(actor=world.users["manager_b1"], invitation=inv)
        assert exc.value.kind is Kind.NOT_FOUND


def test_signed_in_invited_person_accepts_into_her_account(world):
    buyer = world.users["buyer"]
    buyer.phone = "+84912345601"
    buyer.save()
    inv, _token = _sent_invitation(world)
    assert services.invitation_accept(invitation=inv, user=buyer) == buyer
    inv.person.refresh_from_db()
    assert inv.person.user == buyer


def test_malformed_tokens_open_nothing():
    assert services.invitation_for_token("x" * 5000) is None
    assert services.invitation_for_token("") is None
    assert services.invitation_for_token("ảnh") is None


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_account(world):
    inv, _token = _sent_invitation(world)
    results: list = []
    barrier = threading.Barrier(2)

    def accept():
        from django.db import connection

        try:
            barrier.wait()
            results.append(
                services.invitation_accept(
                    invitation=Invitation.objects.get(pk=inv.pk), password="Lua-nuong-Cao-Bang-2026"
                )
            )
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    users = [r for r in results if isinstance(r, User)]
    assert len(users) == 1, results
    assert User.objects.filter(phone="+84912345601").count() == 1
    assert RoleAssignment.objects.filter(role=Role.COOP_MEMBER, user=users[0]).count() == 1
