"""core.policy: one rule answers lists, single objects, services and new rows alike.

The rule is exercised on the audit trail (``AuditEvent.policy``: readers — staff of the
province and the organisation's manager — see a row; nobody but the system changes it)
and on small policies built here over the same model.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from htxso.core import audit, roles
from htxso.core.actors import IMPORTER, OPERATOR, require_actor
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.core.policy import (
    Policy,
    allowed,
    get_allowed_or_404,
    holds,
    holds_at,
    reach_of,
    require_role,
)
from htxso.core.roles import Role, as_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    """One audit row for each of a1 (province 04) and b1 (province 66)."""
    rows = {}
    for key in ("a1", "b1"):
        org = world.orgs[key]
        rows[key] = audit.record(actor=OPERATOR, action="test.event", instance=org)
    return rows


def _seen(user):
    return set(
        AuditEvent.policy.queryset(user, "view")
        .filter(action="test.event")
        .values_list("organisation_id", flat=True)
    )


@pytest.mark.parametrize(
    "key,sees",
    [
        ("vca", {"a1", "b1"}),
        ("officer_a", {"a1"}),
        ("viewer_b", {"b1"}),
        ("manager_a1", {"a1"}),
        ("member_a1", set()),  # members are not readers of the trail
        ("trainer", set()),
        ("buyer", set()),
        ("norole", set()),
    ],
)
def test_list_and_single_object_agree(world, events, key, sees):
    user = world.users[key]
    assert _seen(user) == {world.orgs[k].pk for k in sees}
    for org_key, event in events.items():
        assert AuditEvent.policy.allows(user, "view", event) is (org_key in sees)


def test_anonymous_sees_nothing(events):
    from django.contrib.auth.models import AnonymousUser

    assert _seen(AnonymousUser()) == set()


def test_get_allowed_or_404_answers_404_for_missing_and_not_yours(world, events):
    officer = world.users["officer_a"]
    assert get_allowed_or_404(AuditEvent, officer, "view", pk=events["a1"].pk) == events["a1"]
    with pytest.raises(Http404):
        get_allowed_or_404(AuditEvent, officer, "view", pk=events["b1"].pk)
    with pytest.raises(Http404):
        get_allowed_or_404(AuditEvent, officer, "view", pk=10**9)
    with pytest.raises(Http404):  # past 64 bits: not a 500
        get_allowed_or_404(AuditEvent, officer, "view", pk=2**70)


def test_seen_but_not_allowed_answers_403(world, events):
    policy = Policy(view=roles.READERS, change=roles.REVIEWERS)
    policy.contribute_to_class(AuditEvent, "_test_policy")
    try:
        manager = world.users["manager_a1"]
        with pytest.raises(PermissionDenied):
            policy.get_or_404(manager, "change", pk=events["a1"].pk)
        with pytest.raises(Http404):
            policy.get_or_404(manager, "change", pk=events["b1"].pk)
        with pytest.raises(PermissionDenied):
            policy.check(manager, "change", events["a1"])
        # in a service the same answers are ServiceErrors with a kind
        with pytest.raises(ServiceError) as refused:
            policy.require(manager, "change", events["a1"])
        assert refused.value.kind is Kind.FORBIDDEN
        with pytest.raises(ServiceError) as hidden:
            policy.require(manager, "change", events["b1"])
        assert hidden.value.kind is Kind.NOT_FOUND
        policy.require(world.users["officer_a"], "change", events["a1"])
    finally:
        del AuditEvent._test_policy
        AuditEvent.policy.model = AuditEvent


def test_system_actor_passes_and_none_is_refused(events):
    assert _seen(IMPORTER) >= {events["a1"].organisation_id, events["b1"].organisation_id}
    AuditEvent.policy.require(IMPORTER, "view", events["b1"])
    with pytest.raises(TypeError):
        require_actor(None)
    with pytest.raises(TypeError):
        audit.record(actor=None, action="test.event")


def test_system_actor_is_named_in_the_trail(world):
    row = audit.record(actor=IMPORTER, action="test.event", instance=world.orgs["a1"])
    assert row.actor_id is None and row.actor_label == "system:import"


def test_hooks_add_rows_by_ownership(world, events):
    owner = world.users["buyer"]
    policy = Policy(
        view=roles.NOBODY, extra={"view": lambda user, scope: Q(actor_label=user.username)}
    )
    policy.contribute_to_class(AuditEvent, "_test_policy")
    try:
        mine = audit.record(actor=owner, action="test.mine")
        assert list(policy.queryset(owner, "view")) == [mine]
        assert policy.allows(owner, "view", mine)
        assert not policy.allows(world.users["trainer"], "view", mine)
    finally:
        del AuditEvent._test_policy
        AuditEvent.policy.model = AuditEvent


def test_rows_that_do_not_exist_yet(world):
    policy = Policy(view=roles.STAFF, publish=roles.REVIEWERS, apply=roles.MANAGERS)
    officer, viewer = world.users["officer_a"], world.users["viewer_a"]
    assert policy.allows_at(officer, "publish", province="04")
    assert not policy.allows_at(officer, "publish", province="66")
    assert not policy.allows_at(viewer, "publish", province="04")
    assert policy.allows_at(world.users["vca"], "publish", province="66")
    a1 = world.orgs["a1"].pk
    assert policy.allows_at(world.users["manager_a1"], "apply", organisation=a1)
    assert not policy.allows_at(world.users["manager_b1"], "apply", organisation=a1)
    with pytest.raises(ServiceError) as exc:
        policy.require_at(viewer, "publish", province="04", message="Không được")
    assert exc.value.kind is Kind.FORBIDDEN and exc.value.text == "Không được"
    assert reach_of(officer, roles.STAFF) == (False, frozenset({"04"}), frozenset())
    assert holds_at(viewer, roles.STAFF, province="04")
    assert not holds_at(viewer, roles.STAFF, province="66")


def test_role_rules(world):
    assert holds(world.users["vca"], roles.VCA)
    assert not holds(world.users["officer_a"], roles.VCA)
    require_role(world.users["vca"], roles.VCA)
    require_role(IMPORTER, roles.VCA)
    with pytest.raises(ServiceError) as exc:
        require_role(world.users["officer_a"], roles.VCA)
    assert exc.value.kind is Kind.FORBIDDEN


def test_a_role_typo_fails_at_import_time():
    with pytest.raises(ValueError, match="not a role"):
        as_roles(["vca_admin", "provice_officer"])
    with pytest.raises(ValueError):
        Policy(view=["coop_manger"])
    with pytest.raises(ValueError, match="at least who may view"):
        Policy(change=roles.EDITORS)
    with pytest.raises(ValueError, match="undeclared"):
        Policy(view=roles.STAFF, extra={"change": lambda u, s: Q()})
    assert as_roles(["vca_admin"]) == {Role.VCA_ADMIN}


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="no action 'approve'"):
        allowed(AuditEvent, world.users["vca"], "approve")
