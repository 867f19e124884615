"""Writes to people, memberships and the workforce.

A person is found again by citizen ID number: registering someone whose number is
already recorded reuses that person when the name matches (accents and case ignored),
and is refused with a clear message when it does not.  A person without a number is
new each time, except that the same name and birth date cannot be an active member (or
worker) of the same organisation twice — so a form sent twice registers one member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.codes import CodeError, validate_cccd
from htxso.core.errorlist import Errors, text
from htxso.core.text import fold

from .. import capital_owner
from ..data.ethnicities import ETHNICITIES
from ..models import (
    MemberKind,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Person,
    Sex,
    Worker,
    age_on,
)
from .organisations import amount, date_value, field_error, phone

ACTION_LABELS.update(
    {
        "membership.register": _("Member registered"),
        "membership.leave": _("Member left"),
        "worker.add": _("Worker added"),
        "worker.end": _("Worker's job ended"),
    }
)

ETHNICITY_CODES = frozenset(code for code, _name in ETHNICITIES)
#: Minimum age of a member (Art. 30); associates without capital may be 15–17.
MIN_MEMBER_AGE = 18
MIN_SERVICE_ASSOCIATE_AGE = 15
MAX_SALARY = 10**10


@dataclass(frozen=True)
class PersonData:
    """What a form or an import knows about a person."""

    full_name: str
    citizen_id: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    phone: str = ""


def _person_values(data: PersonData, errors: Errors) -> dict:
    values = {
        "full_name": text(errors, "full_name", data.full_name, max_length=150, required=True),
        "sex": data.sex or "",
        "birth_date": date_value(errors, "birth_date", data.birth_date),
        "ethnicity": data.ethnicity or "",
        "phone": phone(errors, "phone", data.phone),
        "citizen_id": None,
    }
    if values["sex"] and values["sex"] not in Sex.values:
        errors.add("sex", _("Choose female or male."), "invalid_choice")
    if values["ethnicity"] and values["ethnicity"] not in ETHNICITY_CODES:
        errors.add(
            "ethnicity", _("Choose an ethnic group from the official list of 54."), "invalid_choice"
        )
    if data.citizen_id:
        try:
            cid = validate_cccd(str(data.citizen_id)[:40], birth_date=values["birth_date"])
        except CodeError as exc:
            errors.add("citizen_id", exc.message, exc.code, exc.params)
        else:
            values["citizen_id"] = cid.number
            if values["sex"] and values["sex"] != cid.sex:
                errors.add(
                    "citizen_id",
                    _(
                        "This citizen ID number is for a %(sex)s person;"
                        " check the sex or the number."
                    ),
                    "cccd_sex_mismatch",
                    {"sex": Sex(cid.sex).label.lower()},
                )
    return values


def _resolve_person(
    *, organisation: Organisation, data: PersonData, errors: Errors
) -> tuple[Person | None, dict]:
    """The existing person with this citizen ID (if the name matches), or None and the
    values of a new person."""
    values = _person_values(data, errors)
    if errors or not values["citizen_id"]:
        return None, values
    existing = Person.objects.filter(citizen_id=values["citizen_id"]).first()
    if existing is None:
        return None, values
    if fold(existing.full_name) != fold(values["full_name"]):
        errors.add(
            "citizen_id",
            _(
                "A person with this citizen ID number is already recorded under another name."
                " Check the number, or enter the name exactly as recorded."
            ),
            "citizen_id_duplicate",
        )
    return existing, values


def _new_person(organisation: Organisation, values: dict) -> Person:
    person = Person(organisation=organisation, **values)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration took the number
        raise field_error(
            "citizen_id",
            _("A person with this citizen ID number is already recorded."),
            "citizen_id_duplicate",
        ) from exc
    return person


def _refuse_if_already_active(active, existing, values, message, code: str) -> None:
    """Refuse a second active membership or job for the same person (one person is
    matched by record, or by name and birth date when no citizen id was given)."""
    if (existing and active.filter(person=existing).exists()) or (
        not existing and not values["citizen_id"] and _same_person_active(active, values)
    ):
        raise field_error("__all__", message, code)


def _same_person_active(qs, values: dict) -> bool:
    """An active row of ``qs`` for a person with the same name and birth date."""
    return qs.filter(
        person__search_text=fold(values["full_name"]), person__birth_date=values["birth_date"]
    ).exists()


def member_register(
    *,
    actor: Actor,
    organisation: Organisation,
    person: PersonData,
    kind: str,
    joined_on: dt.date | None,
    capital: int | None = 0,
    certificate_no: str = "",
    certificate_date: dt.date | None = None,
) -> Membership:
    """Register a member: a new or existing person, the kind, join date and capital."""
    Organisation.policy.require(actor, "change", organisation)
    errors = Errors()
    if organisation.kind == OrganisationKind.UNION:
        errors.add(
            "__all__",
            _("The members of a union are cooperatives: add them under Unions."),
            "union_members_are_cooperatives",
        )
    if organisation.status == OrganisationStatus.DISSOLVED:
        errors.add("__all__", _("The organisation is dissolved."), "organisation_dissolved")
    if kind not in MemberKind.values:
        errors.add("kind", _("Choose a kind of member from the list."), "invalid_choice")
    joined = date_value(errors, "joined_on", joined_on, required=True)
    capital = amount(errors, "capital", capital if capital is not None else 0) or 0
    managed = capital_owner.capital_managed(organisation.pk)
    if managed and capital:
        # the register keeps the capital: a member joins with none, then contributes there
        raise capital_owner.refusal()
    if kind == MemberKind.SERVICE_ASSOCIATE and capital:
        errors.add(
            "capital",
            _("An associate member without capital contributes no capital; enter 0."),
            "service_associate_capital",
        )
    if (
        kind == MemberKind.CAPITAL_ASSOCIATE
        and not capital
        and not managed
        and "capital" not in errors.errors
    ):
        errors.add(
            "capital",
            _("An associate member with capital must contribute capital."),
            "capital_required",
        )
    cert_no = text(errors, "certificate_no", certificate_no, max_length=50)
    cert_date = date_value(errors, "certificate_date", certificate_date)
    existing, values = _resolve_person(organisation=organisation, data=person, errors=errors)
    birth = existing.birth_date if existing else values.get("birth_date")
    if joined and birth:
        age = age_on(birth, joined)
        minimum = (
            MIN_SERVICE_ASSOCIATE_AGE if kind == MemberKind.SERVICE_ASSOCIATE else MIN_MEMBER_AGE
        )
        if age is not None and age < minimum:
            errors.add(
                "joined_on",
                _("A member must be at least %(age)s years old on the day they join."),
                "member_too_young",
                {"age": minimum},
            )
    errors.raise_if_any()

    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        active = Membership.objects.filter(organisation=organisation, left_on__isnull=True)
        _refuse_if_already_active(
            active,
            existing,
            values,
            _("This person is already an active member of the organisation."),
            "member_already_registered",
        )
        target = existing or _new_person(organisation, values)
        membership = Membership(
            organisation=organisation,
            person=target,
            kind=kind,
            joined_on=joined,
            capital=capital,
            capital_certificate_no=cert_no,
            capital_certificate_date=cert_date,
        )
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:
            raise field_error(
                "__all__",
                _("This person is already an active member of the organisation."),
                "member_already_registered",
            ) from exc
        audit.record(
            actor=actor,
            action="membership.register",
            instance=membership,
            after=audit.snapshot(membership),
        )
    return membership


def member_leave(*, actor: Actor, membership: Membership, left_on: dt.date | None) -> Membership:
    Membership.policy.require(actor, "change", membership)
    errors = Errors()
    left = date_value(errors, "left_on", left_on, required=True)
    if membership.left_on is not None:
        errors.add("left_on", _("This member has already left."), "already_left")
    elif left and left < membership.joined_on:
        errors.add("left_on", _("The leaving date is before the joining date."), "dates_order")
    errors.raise_if_any()
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.left_on is not None:
            raise field_error("left_on", _("This member has already left."), "already_left")
        before = audit.snapshot(locked)
        locked.left_on = left
        locked.save(update_fields=["left_on", "updated_at"])
        audit.record(
            actor=actor,
            action="membership.leave",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked


def worker_add(
    *,
    actor: Actor,
    organisation: Organisation,
    person: PersonData,
    started_on: dt.date | None,
    position: str = "",
    is_manager: bool = False,
    monthly_income: int | None = None,
) -> Worker:
    Organisation.policy.require(actor, "change", organisation)
    errors = Errors()
    started = date_value(errors, "started_on", started_on, required=True)
    position = text(errors, "position", position, max_length=100)
    income = amount(errors, "monthly_income", monthly_income)
    if income and income > MAX_SALARY:
        errors.add("monthly_income", _("The amount is too large to be real."), "amount_absurd")
    existing, values = _resolve_person(organisation=organisation, data=person, errors=errors)
    errors.raise_if_any()
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        active = Worker.objects.filter(organisation=organisation, ended_on__isnull=True)
        _refuse_if_already_active(
            active,
            existing,
            values,
            _("This person already works for the organisation."),
            "worker_already_registered",
        )
        target = existing or _new_person(organisation, values)
        worker = Worker(
            organisation=organisation,
            person=target,
            position=position,
            is_manager=bool(is_manager),
            started_on=started,
            monthly_income=income,
        )
        try:
            with transaction.atomic():
                worker.save()
        except IntegrityError as exc:
            raise field_error(
                "__all__",
                _("This person already works for the organisation."),
                "worker_already_registered",
            ) from exc
        audit.record(
            actor=actor, action="worker.add", instance=worker, after=audit.snapshot(worker)
        )
    return worker


def worker_end(*, actor: Actor, worker: Worker, ended_on: dt.date | None) -> Worker:
    Worker.policy.require(actor, "change", worker)
    errors = Errors()
    ended = date_value(errors, "ended_on", ended_on, required=True)
    if worker.ended_on is not None:
        errors.add("ended_on", _("This job has already ended."), "already_ended")
    elif ended and ended < worker.started_on:
        errors.add("ended_on", _("The end date is before the start date."), "dates_order")
    errors.raise_if_any()
    with transaction.atomic():
        locked = Worker.objects.select_for_update().get(pk=worker.pk)
        before = audit.snapshot(locked)
        locked.ended_on = ended
        locked.save(update_fields=["ended_on", "updated_at"])
        audit.record(
            actor=actor,
            action="worker.end",
            instance=locked,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked
