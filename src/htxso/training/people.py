"""One person, counted once: find the registry person a participant already is, or create
them, and note likely duplicates for the staff's review.

Matching, in order:

1. **Citizen ID (CCCD)**, 12 digits: the person with this number is the participant (a
   different name under the same number is refused — a typo must not attach an
   enrolment to someone else).
2. **Folded name + year of birth + phone** (E.164), all three given: the person with the
   same three is reused (``"Nguyễn  Văn A"`` and ``"nguyen van a"`` fold alike).
3. Otherwise a new person is created; when a **likely duplicate** exists — the same folded
   name and year with a different or missing phone, or the same phone and year with a
   near name — a :class:`~htxso.training.models.DuplicateCandidate` (pair ordered, once)
   is recorded for review.

A record merged into another (``merged_into``) is never matched: its survivor is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.accounts.phones import parse_vn_phone
from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.errors import ServiceError
from htxso.core.text import fold
from htxso.registry.models import Organisation, Person

from .models import DuplicateCandidate

CCCD_RE = re.compile(r"^\d{12}$")
#: Oldest and youngest plausible participant (years of birth outside are typos).
MIN_BIRTH_YEAR = 1900
#: How many near-name people are compared at most (same phone and year: a household).
NEAR_LIMIT = 50

audit.ACTION_LABELS.update(
    {
        "training.person_create": _("Training participant recorded"),
        "training.person_complete": _("Participant's missing details filled in"),
        "training.duplicate_found": _("Possible duplicate person found"),
    }
)


def _bad(code: str, message: Any, field: str, params: dict | None = None) -> ServiceError:
    return ServiceError(code, message, params, fields={field: [message % (params or {})]})


def clean_citizen_id(raw: str | None) -> str | None:
    """Digits of a CCCD (spaces and dots removed), or ``None`` when empty; a
    ServiceError ``citizen_id_invalid`` when it is not 12 digits."""
    text = re.sub(r"[\s.\-]", "", raw or "")
    if not text:
        return None
    if not CCCD_RE.match(text):
        raise _bad(
            "citizen_id_invalid",
            _("A citizen ID number (CCCD) has exactly 12 digits."),
            "citizen_id",
        )
    return text


def clean_phone(raw: str | None) -> str:
    """The E.164 form of a Vietnamese phone number, or ``""`` when none is given."""
    if not (raw or "").strip():
        return ""
    return parse_vn_phone(raw or "", mobile=False)


def clean_birth_year(birth_year: int | None, birth_date: dt.date | None) -> int | None:
    if birth_date is not None:
        if birth_year is not None and birth_year != birth_date.year:
            raise _bad(
                "birth_year_mismatch",
                _("The year of birth does not match the date of birth."),
                "birth_year",
            )
        birth_year = birth_date.year
    if birth_year is None:
        return None
    this_year = timezone.localdate().year
    if not (MIN_BIRTH_YEAR <= int(birth_year) <= this_year):
        raise _bad(
            "birth_year_invalid",
            _("The year of birth must be between %(low)s and %(high)s."),
            "birth_year",
            {"low": MIN_BIRTH_YEAR, "high": this_year},
        )
    return int(birth_year)


def survivor(person: Person) -> Person:
    """The record kept for ``person`` (itself unless it was merged; chains followed)."""
    seen = {person.pk}
    while person.merged_into_id is not None:
        nxt = Person.objects.get(pk=person.merged_into_id)
        if nxt.pk in seen:  # pragma: no cover - a cycle is never written
            break
        seen.add(nxt.pk)
        person = nxt
    return person


def _born(year: int) -> Q:
    return Q(birth_year=year) | Q(birth_year__isnull=True, birth_date__year=year)


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of two short strings, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def near_names(a: str, b: str) -> bool:
    """Folded names that are probably one name: equal, the same words in another order,
    or at most two letters apart (``nguyen van an`` / ``nguyen van anh``)."""
    if a == b or sorted(a.split()) == sorted(b.split()):
        return True
    return _distance(a, b) <= 2


def _fill_missing(person: Person, values: dict[str, Any]) -> list[str]:
    """Fill the person's empty fields from ``values`` (never overwrite); the changed names."""
    changed = []
    for name, value in values.items():
        if value in (None, "") or getattr(person, name) not in (None, ""):
            continue
        if name == "citizen_id" and Person.objects.filter(citizen_id=value).exists():
            continue
        if name == "user_id" and Person.objects.filter(user_id=value).exists():
            continue
        setattr(person, name, value)
        changed.append(name)
    return changed


def record_candidate(
    *, actor: Actor, a: Person, b: Person, reason: str, province: str | None
) -> DuplicateCandidate | None:
    """Note that ``a`` and ``b`` may be one person (ordered pair, recorded once)."""
    if a.pk == b.pk:
        return None
    first, second = (a, b) if a.pk < b.pk else (b, a)
    if DuplicateCandidate.objects.filter(first=first, second=second).exists():
        return None
    try:
        with transaction.atomic():
            cand = DuplicateCandidate.objects.create(
                first=first, second=second, reason=reason[:200], province_id=province
            )
    except IntegrityError:  # recorded by a concurrent enrolment
        return None
    audit.record(actor=actor, action="training.duplicate_found", instance=cand)
    return cand


def _likely_duplicates(person: Person) -> list[tuple[Person, str]]:
    """Other live records that may be ``person`` and why (at most a few queries)."""
    if person.birth_year is None:
        return []
    live = Person.objects.filter(merged_into__isnull=True).exclude(pk=person.pk)
    found: dict[int, tuple[Person, str]] = {}
    for other in live.filter(_born(person.birth_year), search_text=person.search_text)[:NEAR_LIMIT]:
        found[other.pk] = (other, "same_name_year")
    if person.phone:
        for other in live.filter(_born(person.birth_year), phone=person.phone)[:NEAR_LIMIT]:
            if other.pk not in found and near_names(other.search_text, person.search_text):
                found[other.pk] = (other, "same_phone_year_near_name")
    out = []
    for other, why in found.values():
        if other.citizen_id and person.citizen_id and other.citizen_id != person.citizen_id:
            continue  # two different citizen ids: two people
        out.append((other, why))
    return out


REASONS = {
    "same_name_year": _("Same name and year of birth, different or missing phone"),
    "same_phone_year_near_name": _("Same phone and year of birth, similar name"),
}


@transaction.atomic
def find_or_create_person(
    *,
    actor: Actor,
    full_name: str,
    birth_year: int | None = None,
    birth_date: dt.date | None = None,
    phone: str = "",
    citizen_id: str | None = None,
    sex: str = "",
    ethnicity: str = "",
    organisation: Organisation | None = None,
    user: Any = None,
    province: str | None = None,
) -> Person:
    """The registry person this participant is (see the module's docstring).

    The caller has checked that ``actor`` may enrol the participant.  ``province`` (the
    course's) decides whose staff review a likely duplicate; without it the
    organisation's province, else the VCA's queue.  Bad input raises a ServiceError
    (``name_required``, ``citizen_id_invalid``, ``citizen_id_other_name``,
    ``phone_invalid``/``phone_foreign``, ``birth_year_invalid``, ``birth_year_mismatch``).
    """
    name = " ".join((full_name or "").split())[:150]
    folded = fold(name)
    if not folded:
        raise _bad("name_required", _("Enter the participant's full name."), "full_name")
    cccd = clean_citizen_id(citizen_id)
    e164 = clean_phone(phone)
    year = clean_birth_year(birth_year, birth_date)
    details = {
        "citizen_id": cccd,
        "birth_date": birth_date,
        "birth_year": year,
        "phone": e164,
        "sex": sex or "",
        "ethnicity": ethnicity or "",
        "organisation_id": organisation.pk if organisation is not None else None,
        "user_id": getattr(user, "pk", None),
    }

    def reuse(found: Person) -> Person:
        found = survivor(found)
        locked = Person.objects.select_for_update().get(pk=found.pk)
        before = audit.snapshot(locked)
        changed = _fill_missing(locked, details)
        if changed:
            locked.save()
            audit.record(
                actor=actor,
                action="training.person_complete",
                instance=locked,
                before=before,
                after=audit.snapshot(locked),
            )
        return locked

    # 0. the participant's own account already has a person
    if user is not None and getattr(user, "pk", None) is not None:
        mine = Person.objects.filter(user=user).first()
        if mine is not None:
            return reuse(mine)
    # 1. the citizen id
    if cccd:
        found = Person.objects.filter(citizen_id=cccd).first()
        if found is not None:
            if found.search_text != folded:
                raise _bad(
                    "citizen_id_other_name",
                    _(
                        "A person with this citizen ID number is recorded under another name."
                        " Check the number, or enter the name exactly as recorded."
                    ),
                    "citizen_id",
                )
            return reuse(found)
    # 2. name + year + phone, all given
    if year is not None and e164:
        exact = (
            Person.objects.filter(search_text=folded, phone=e164)
            .filter(_born(year))
            .order_by("merged_into_id", "pk")
        )
        for found in exact:
            if cccd and found.citizen_id and found.citizen_id != cccd:
                continue
            return reuse(found)
    # 3. a new person, and the likely duplicates noted
    person = Person(
        full_name=name,
        birth_date=birth_date,
        birth_year=year,
        phone=e164,
        citizen_id=cccd,
        sex=sex or "",
        ethnicity=ethnicity or "",
        organisation=organisation,
        user=user if user is not None and not Person.objects.filter(user=user).exists() else None,
    )
    person.save()
    audit.record(
        actor=actor, action="training.person_create", instance=person, after=audit.snapshot(person)
    )
    where = province or (organisation.province_id if organisation is not None else None)
    for other, why in _likely_duplicates(person):
        record_candidate(
            actor=actor,
            a=person,
            b=other,
            reason=why,
            province=where or (other.organisation.province_id if other.organisation else None),
        )
    return person
