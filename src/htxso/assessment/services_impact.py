"""Every write of the impact part: cohorts and their members.

* ``cohort_create`` — the VCA creates national cohorts (no province) or a province's;
  a province's officer creates cohorts of his province.
* ``cohort_add_members`` — cooperatives named by their registry id or tax code (one
  per line, or a pasted/imported list).  All or nothing: one unknown code, one
  cooperative of another province for an officer, or of another province than a
  province cohort's, refuses the whole list with every problem named, and nothing
  changes.  Members already in the cohort are counted, not added twice.
* ``cohort_remove_member``.

Each runs in one transaction with one audit row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from htxso.core import audit, roles
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errorlist import Errors, text
from htxso.core.errors import Kind, ServiceError, conflict, refused
from htxso.core.policy import holds_at, reach_of
from htxso.core.schemas import MAX_INT64
from htxso.geo.models import Province
from htxso.registry.models import Organisation

from .models import Cohort, CohortMember

ACTION_LABELS.update(
    {
        "cohort.create": _("DX cohort created"),
        "cohort.members_add": _("Cooperatives added to a DX cohort"),
        "cohort.member_remove": _("Cooperative removed from a DX cohort"),
    }
)

#: The most cooperatives one list may add.
MAX_LIST = 2000
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
_SPLIT = re.compile(r"[\s,;]+")
_TAX = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


def cohort_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    description: str = "",
    province: Province | None = None,
    before_round: int = 0,
    after_round: int = 1,
) -> Cohort:
    errors = Errors()
    code = (code or "").strip().lower()
    if not _CODE.fullmatch(code):
        errors.add(
            "code",
            _("Use 2–40 lower-case letters, digits and dashes, e.g. eu-youth-dx."),
            "code_invalid",
        )
    name = text(errors, "name", name, max_length=200, required=True)
    description = text(errors, "description", description, max_length=2000, multiline=True)
    if not (0 <= before_round < after_round <= 20):
        errors.add("after_round", _("The round after must come after the round before."), "rounds")
    errors.raise_if_any()
    if province is None:
        everywhere, _p, _o = reach_of(actor, roles.REVIEWERS)
        if not everywhere:
            raise refused(_("Only the VCA creates national cohorts; choose your province."))
    elif not holds_at(actor, roles.REVIEWERS, province=province.code):
        raise refused(_("You may create cohorts of your own province only."))
    with transaction.atomic():
        if Cohort.objects.filter(code=code).exists():
            raise conflict(_("A cohort with this code exists already."), "cohort_code_taken")
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(
                    code=code,
                    name=name,
                    description=description,
                    province=province,
                    before_round=before_round,
                    after_round=after_round,
                    created_by=actor,
                )
        except IntegrityError:
            raise conflict(
                _("A cohort with this code exists already."), "cohort_code_taken"
            ) from None
        audit.record(
            actor=actor,
            action="cohort.create",
            instance=cohort,
            after={"code": code, "name": name, "province": province.code if province else None},
            province=province.code if province else None,
        )
    return cohort


@dataclass
class AddResult:
    added: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)


def parse_list(raw: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Split a pasted list into ``(token, kind, value)`` with kind ``id`` or ``tax``;
    returns the items and the tokens that are neither (with their problem)."""
    items: list[tuple[str, str, str]] = []
    bad: list[str] = []
    seen: set[tuple[str, str]] = set()
    for token in _SPLIT.split(raw or ""):
        token = token.strip().strip("\ufeff")
        if not token:
            continue
        compact = token.replace(".", "").replace(" ", "")
        m = _TAX.fullmatch(compact)
        if m:
            value = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
            key = ("tax", value)
        elif compact.isdigit() and compact.isascii():
            if int(compact) < 1 or int(compact) > MAX_INT64:
                bad.append(token)
                continue
            key = ("id", str(int(compact)))
        else:
            bad.append(token)
            continue
        if key not in seen:
            seen.add(key)
            items.append((token, key[0], key[1]))
    return items, bad


def cohort_add_members(*, actor: Actor, cohort: Cohort, raw: str) -> AddResult:
    """Add the cooperatives of a list (registry ids or tax codes, one per line)."""
    Cohort.policy.require(actor, "view", cohort)
    everywhere, provinces, _o = reach_of(actor, roles.REVIEWERS)
    if not everywhere and not provinces:
        raise refused(_("Your role may not do this."))
    items, bad = parse_list(raw)
    problems: list[str] = [
        str(_("“%(token)s” is not a registry id or a tax code.") % {"token": t[:40]})
        for t in bad[:20]
    ]
    if not items and not bad:
        raise ServiceError("list_empty", _("Enter at least one registry id or tax code."))
    if len(items) > MAX_LIST:
        raise ServiceError(
            "list_too_long",
            _("At most %(n)s cooperatives at a time."),
            {"n": MAX_LIST},
            kind=Kind.TOO_LARGE,
        )
    ids = [int(v) for _t, k, v in items if k == "id"]
    taxes = [v for _t, k, v in items if k == "tax"]
    found = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=ids).only("pk", "province_id", "kind", "name")
    }
    by_tax = {
        o.tax_code: o
        for o in Organisation.objects.filter(tax_code__in=taxes).only(
            "pk", "province_id", "kind", "name", "tax_code"
        )
    }
    chosen: dict[int, Organisation] = {}
    outside = False
    for token, kind, value in items:
        org = found.get(int(value)) if kind == "id" else by_tax.get(value)
        if org is None:
            problems.append(str(_("“%(token)s”: no such organisation.") % {"token": token[:40]}))
        elif cohort.province_id and org.province_id != cohort.province_id:
            outside = True
            problems.append(
                str(
                    _("“%(token)s” (%(name)s) is not in the cohort's province.")
                    % {"token": token[:40], "name": org.name}
                )
            )
        elif not everywhere and org.province_id not in provinces:
            outside = True
            problems.append(
                str(
                    _("“%(token)s” is in another province: you add your province's only.")
                    % {"token": token[:40]}
                )
            )
        else:
            chosen[org.pk] = org
    if problems:
        raise ServiceError(
            "member_outside_province" if outside else "members_invalid",
            _("Nothing was added: %(problems)s"),
            {"problems": " ".join(problems[:20])},
            fields={"members": problems[:20]},
            details={"problems": problems[:50]},
        )
    result = AddResult()
    with transaction.atomic():
        existing = set(
            CohortMember.objects.filter(cohort=cohort, organisation_id__in=chosen).values_list(
                "organisation_id", flat=True
            )
        )
        new = [pk for pk in chosen if pk not in existing]
        CohortMember.objects.bulk_create(
            [CohortMember(cohort=cohort, organisation_id=pk, added_by=actor) for pk in new],
            ignore_conflicts=True,
        )
        result.added, result.already = new, sorted(existing)
        if new:
            audit.record(
                actor=actor,
                action="cohort.members_add",
                instance=cohort,
                after={"added": new[:500], "count": len(new)},
                province=cohort.province_id,
            )
    return result


def cohort_remove_member(*, actor: Actor, member: CohortMember) -> None:
    CohortMember.policy.require(actor, "change", member)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="cohort.member_remove",
            instance=member.cohort,
            before={"organisation": member.organisation_id},
            province=member.cohort.province_id,
        )
        member.delete()
