"""The account-management pages, through the test client (real database, audit rows)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from htxso.accounts.models import Role, RoleAssignment
from htxso.core.models import AuditEvent
from htxso.invitations.models import Invitation

from .helpers import events, fresh, two_province_member

pytestmark = pytest.mark.django_db

HUGE = 2**63 + 5


def signed_in(client, user):
    client.force_login(user)
    return client


def page(client, name, **kwargs):
    return client.get(reverse(f"accounts_admin:{name}", kwargs=kwargs))


def text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- the list


def test_officer_lists_his_provinces_people_with_only_his_roles(world, client):
    w = world
    both = two_province_member(w)
    response = page(signed_in(client, w.users["officer_a"]), "user_list")
    body = text(response)
    assert response.status_code == 200
    for key in ("officer_a", "viewer_a", "manager_a1", "member_a1"):
        assert f"Người dùng {key}" in body
    for key in ("officer_b", "viewer_b", "manager_b1", "trainer", "buyer", "norole", "vca"):
        assert f"Người dùng {key}" not in body
    assert both.full_name in body
    assert "HTX Cà phê Ea Tu" not in body  # her b1 role is not officer_a's to see
    assert "0912 345 678" in body  # staff see phones


def test_manager_sees_his_people_with_masked_phones(world, client):
    w = world
    member = w.users["member_a1"]
    member.phone = "+84912345678"
    member.save()
    body = text(page(signed_in(client, w.users["manager_a1"]), "user_list"))
    assert "Người dùng member_a1" in body and "Người dùng officer_a" not in body
    assert "0912 345 678" not in body and "091•••••78" in body
    assert "member_a1@example.vn" not in body


def test_search_filter_and_empty_state(world, client):
    w = world
    two_province_member(w)
    client = signed_in(client, w.users["officer_a"])
    url = reverse("accounts_admin:user_list")
    body = text(client.get(url, {"q": "nguyen thi hai"}))
    assert "Nguyễn Thị Hai Tỉnh" in body and "Người dùng member_a1" not in body
    body = text(client.get(url, {"role": Role.COOP_MANAGER.value}))
    assert "Người dùng manager_a1" in body and "Người dùng member_a1" not in body
    response = client.get(url, {"q": "nguyen thi hai", "role": "x" * 500, "status": "?"})
    assert "Nguyễn Thị Hai Tỉnh" in text(response)  # a bad filter is dropped, not the search
    assert "Người dùng member_a1" not in text(response)
    response = client.get(url, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text(response)
    response = client.get(url, {"q": "khong ai ten nay"})
    assert "Không có tài khoản nào khớp" in text(response) or "No account matches" in text(response)
    assert client.get(url, {"page": "99999999999999999999999"}).status_code == 200


def test_a_name_with_script_is_shown_as_text(world, client):
    w = world
    member = w.users["member_a1"]
    member.full_name = '<script>alert("x")</script>'
    member.save()
    body = text(page(signed_in(client, w.users["officer_a"]), "user_list"))
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_list_pages(world, client):
    from htxso.accounts import services
    from htxso.core.actors import OPERATOR

    w = world
    for n in range(30):
        user = services.user_create(
            actor=OPERATOR, username=f"xa_{n:02}", password=None, full_name=f"Xã viên {n:02}"
        )
        services.role_assign(
            actor=OPERATOR, user=user, role=Role.COOP_MEMBER, organisation=w.orgs["a2"]
        )
    client = signed_in(client, w.users["officer_a"])
    first = text(client.get(reverse("accounts_admin:user_list")))
    second = text(client.get(reverse("accounts_admin:user_list"), {"page": 2}))
    assert "Trang 1 trên 2" in first
    assert ("Xã viên 00" in first) != ("Xã viên 00" in second)


# --------------------------------------------------------------------------- one user


def test_user_page_shows_roles_status_two_factor_and_trail(world, client):
    w = world
    member = w.users["member_a1"]
    response = page(signed_in(client, w.users["officer_a"]), "user_detail", pk=member.pk)
    body = text(response)
    assert response.status_code == 200
    assert "HTX Nông nghiệp Hợp Giang" in body
    assert reverse("accounts_admin:user_deactivate", kwargs={"pk": member.pk}) in body
    assert (
        reverse(
            "accounts_admin:role_remove",
            kwargs={"pk": member.pk, "assignment_pk": member.role_assignments.get().pk},
        )
        in body
    )


@pytest.mark.parametrize(
    ("key", "target", "status"),
    [
        ("officer_a", "manager_b1", 404),
        ("officer_b", "member_a1", 404),
        ("manager_a1", "officer_a", 404),
        ("officer_a", "norole", 404),
        ("viewer_a", "member_a1", 403),
        ("member_a1", "member_a1", 403),
    ],
)
def test_other_provinces_people_are_not_found(world, client, key, target, status):
    w = world
    response = page(signed_in(client, w.users[key]), "user_detail", pk=w.users[target].pk)
    assert response.status_code == status


def test_integers_past_2_63_are_not_found(world, client):
    w = world
    client = signed_in(client, w.users["vca"])
    member = w.users["member_a1"]
    assert client.get(f"/quan-ly/tai-khoan/{HUGE}/").status_code == 404
    assert client.post(f"/quan-ly/tai-khoan/{HUGE}/khoa/").status_code == 404
    url = f"/quan-ly/tai-khoan/{member.pk}/vai-tro/{HUGE}/go/"
    assert client.post(url).status_code in (302, 404)
    response = client.post(
        reverse("accounts_admin:role_add", kwargs={"pk": member.pk}),
        {"role": Role.COOP_MANAGER.value, "organisation": str(HUGE)},
    )
    assert response.status_code == 200
    assert RoleAssignment.objects.filter(user=member).count() == 1


def test_officer_adds_then_removes_a_role_audited(world, client):
    w = world
    officer, member = w.users["officer_a"], w.users["member_a1"]
    client = signed_in(client, officer)
    url = reverse("accounts_admin:role_add", kwargs={"pk": member.pk})
    data = {"role": Role.COOP_MANAGER.value, "organisation": w.orgs["a2"].pk}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assignment = RoleAssignment.objects.get(user=member, role=Role.COOP_MANAGER)
    assert events("role.assign", actor=officer).count() == 1
    # double submit: one role, one audit row, a message
    again = client.post(url, data)
    assert again.status_code == 200
    assert "already holds" in text(again) or "đã có vai trò" in text(again)
    assert RoleAssignment.objects.filter(user=member, role=Role.COOP_MANAGER).count() == 1
    assert events("role.assign", actor=officer).count() == 1
    remove = reverse(
        "accounts_admin:role_remove", kwargs={"pk": member.pk, "assignment_pk": assignment.pk}
    )
    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 302  # double submit: nothing to take away
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert events("role.revoke", actor=officer).count() == 1


def test_a_role_beyond_the_grant_answers_403_with_a_message(world, client):
    w = world
    member = w.users["member_a1"]
    client = signed_in(client, w.users["officer_a"])
    url = reverse("accounts_admin:role_add", kwargs={"pk": member.pk})
    for data in (
        {"role": Role.PROVINCE_OFFICER.value, "province": "04"},
        {"role": Role.COOP_MANAGER.value, "organisation": w.orgs["b1"].pk},
        {"role": Role.VCA_ADMIN.value},
    ):
        response = client.post(url, data)
        assert response.status_code == 403, data
        body = text(response)
        assert "You may not give this role here." in body or "Bạn không được" in body
    assert RoleAssignment.objects.filter(user=member).count() == 1
    assert not events("role.assign").exclude(actor=None).exists()


def test_officer_cannot_take_away_a_role_beyond_his_grant(world, client):
    w = world
    viewer = w.users["viewer_a"]
    client = signed_in(client, w.users["officer_a"])
    assignment = viewer.role_assignments.get()
    url = reverse(
        "accounts_admin:role_remove", kwargs={"pk": viewer.pk, "assignment_pk": assignment.pk}
    )
    response = client.post(url)
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not events("role.revoke").exists()


def test_deactivate_self_and_last_vca_are_refused_with_a_message(world, client):
    w = world
    vca = w.users["vca"]
    client = signed_in(client, vca)
    response = client.post(
        reverse("accounts_admin:user_deactivate", kwargs={"pk": vca.pk}), follow=True
    )
    assert response.status_code == 200
    assert fresh(vca).is_active
    own = vca.role_assignments.get()
    response = client.post(
        reverse("accounts_admin:role_remove", kwargs={"pk": vca.pk, "assignment_pk": own.pk}),
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("VCA" in m for m in messages), messages
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.filter(action__in=["role.revoke", "account.deactivate"]).exists()


def test_officer_deactivates_and_reactivates_a_member(world, client):
    w = world
    officer, member = w.users["officer_a"], w.users["member_a1"]
    client = signed_in(client, officer)
    off = reverse("accounts_admin:user_deactivate", kwargs={"pk": member.pk})
    assert client.post(off).status_code == 302
    assert client.post(off).status_code == 302  # double submit
    assert not fresh(member).is_active
    assert events("account.deactivate", actor=officer).count() == 1
    body = text(client.get(reverse("accounts_admin:user_detail", kwargs={"pk": member.pk})))
    assert reverse("accounts_admin:user_reactivate", kwargs={"pk": member.pk}) in body
    assert (
        client.post(reverse("accounts_admin:user_reactivate", kwargs={"pk": member.pk})).status_code
        == 302
    )
    assert fresh(member).is_active
    # a person whose roles reach another province: refused with its reason
    both = two_province_member(w)
    response = client.post(reverse("accounts_admin:user_deactivate", kwargs={"pk": both.pk}))
    assert response.status_code == 403 and fresh(both).is_active


def test_get_on_an_action_is_not_allowed(world, client):
    w = world
    client = signed_in(client, w.users["vca"])
    member = w.users["member_a1"]
    assert (
        client.get(reverse("accounts_admin:user_deactivate", kwargs={"pk": member.pk})).status_code
        == 405
    )
    assert fresh(member).is_active


# ------------------------------------------------------------------ invite staff


def test_vca_invites_staff_through_the_page(world, client, django_capture_on_commit_callbacks):
    from htxso.core import messaging

    w = world
    client = signed_in(client, w.users["vca"])
    url = reverse("accounts_admin:staff_invite")
    assert client.get(url).status_code == 200
    data = {
        "role": Role.DEPARTMENT_VIEWER.value,
        "province": "66",
        "full_name": "  Y   Bhin Niê ",
        "phone": "0987 654 321",
        "channel": "sms",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.full_name, invitation.province_id, invitation.to_phone) == (
        "Y Bhin Niê",
        "66",
        "+84987654321",
    )
    assert messaging.sent_to("+84987654321", "invitation")


@pytest.mark.parametrize(
    ("data", "field", "status"),
    [
        ({"full_name": "<script>alert(1)</script>"}, "full_name", 200),
        ({"phone": "+1 202 555 0100"}, "phone", 200),
        ({"phone": "12"}, "phone", 200),
        ({"phone": "", "channel": "sms"}, "phone", 200),
        ({"role": Role.DEPARTMENT_VIEWER.value, "province": "04"}, None, 403),
        ({"organisation": "b1"}, None, 403),
    ],
)
def test_officer_invite_bad_input(world, client, data, field, status):
    w = world
    client = signed_in(client, w.users["officer_a"])
    base = {
        "role": Role.COOP_MANAGER.value,
        "organisation": w.orgs["a1"].pk,
        "full_name": "Hoàng Văn Quản",
        "phone": "0912 000 111",
        "channel": "sms",
    }
    base.update(data)
    if base.get("organisation") == "b1":
        base["organisation"] = w.orgs["b1"].pk
    response = client.post(reverse("accounts_admin:staff_invite"), base)
    assert response.status_code == status
    if field:
        assert response.context["form"].errors[field]
    assert not Invitation.objects.exists()


def test_manager_may_not_invite_staff(world, client):
    w = world
    client = signed_in(client, w.users["manager_a1"])
    assert client.get(reverse("accounts_admin:staff_invite")).status_code == 403
    assert "moi-nhan-vien" not in text(client.get(reverse("accounts_admin:user_list")))
