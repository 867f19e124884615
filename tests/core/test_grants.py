"""Who may give which role where (core.roles.GRANTS through core.policy.may_grant)."""

import pytest

from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError
from htxso.core.policy import grantable_roles, may_grant, require_grant
from htxso.core.roles import Role

pytestmark = pytest.mark.django_db


def test_vca_grants_every_role_anywhere(world):
    vca = world.users["vca"]
    assert may_grant(vca, Role.PROVINCE_OFFICER, province="66")
    assert may_grant(vca, Role.TRAINER)
    assert may_grant(vca, Role.COOP_MANAGER, province="66", organisation=world.orgs["b1"].pk)
    assert grantable_roles(vca) == frozenset(Role)


def test_officer_grants_cooperative_roles_in_own_province_only(world):
    officer = world.users["officer_a"]
    a1, b1 = world.orgs["a1"], world.orgs["b1"]
    assert may_grant(officer, Role.COOP_MANAGER, province="04", organisation=a1.pk)
    assert may_grant(officer, Role.COOP_MEMBER, province="04", organisation=a1.pk)
    assert not may_grant(officer, Role.COOP_MANAGER, province="66", organisation=b1.pk)
    assert not may_grant(officer, Role.PROVINCE_OFFICER, province="04")
    assert not may_grant(officer, Role.DEPARTMENT_VIEWER, province="04")
    assert not may_grant(officer, Role.VCA_ADMIN)
    assert grantable_roles(officer) == {Role.COOP_MANAGER, Role.COOP_MEMBER}


def test_manager_grants_members_of_own_organisation_only(world):
    manager = world.users["manager_a1"]
    a1, a2 = world.orgs["a1"], world.orgs["a2"]
    assert may_grant(manager, Role.COOP_MEMBER, province="04", organisation=a1.pk)
    assert not may_grant(manager, Role.COOP_MEMBER, province="04", organisation=a2.pk)
    assert not may_grant(manager, Role.COOP_MANAGER, province="04", organisation=a1.pk)


def test_a_role_needs_its_place(world):
    vca = world.users["vca"]
    assert not may_grant(vca, Role.PROVINCE_OFFICER)
    assert not may_grant(vca, Role.COOP_MEMBER, province="04")


@pytest.mark.parametrize("key", ["viewer_a", "member_a1", "trainer", "buyer", "norole"])
def test_others_grant_nothing(world, key):
    user = world.users[key]
    assert not grantable_roles(user)
    assert not may_grant(user, Role.COOP_MEMBER, province="04", organisation=world.orgs["a1"].pk)
    with pytest.raises(ServiceError) as caught:
        require_grant(user, Role.BUYER)
    assert caught.value.code == "forbidden"


def test_system_actor_grants_anything():
    assert may_grant(OPERATOR, Role.VCA_ADMIN)
