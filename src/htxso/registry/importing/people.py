"""Member and worker rows: the person (by citizen ID, else name and birth date in the
organisation) and their active membership or job, created or updated."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.codes import CodeError, validate_cccd
from htxso.core.text import fold

from .. import capital_owner
from ..models import MemberKind, Membership, Person, Worker
from . import choices
from .audit_rows import bulk_audit
from .engine import CREATE, KEEP, UPDATE, Context, Item
from .targets import OrganisationLookup
from .values import WARNING, Problem

PERSON_WRITABLE = ("full_name", "sex", "birth_date", "citizen_id", "phone")


class _PeopleHandler:
    model = Membership
    writable: tuple[str, ...] = ()
    start_field = "joined_on"
    end_field = "left_on"
    action = "registry.membership.import"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.orgs = OrganisationLookup(ctx)
        self.seen: dict[tuple, int] = {}

    def check(self, item: Item) -> None:
        v = item.values
        item.label = v.get("full_name") or ""
        item.key = v.get("citizen_id") or ""
        self.orgs.check(item)
        if v.get("citizen_id"):
            try:
                v["citizen_id"] = validate_cccd(v["citizen_id"], birth_date=v.get("birth_date"))
            except CodeError as exc:
                item.problems.append(Problem.of(exc))
        if v.get("sex"):
            sex = choices.read_sex(v["sex"])
            if sex is None:
                item.problems.append(
                    Problem.new(
                        "sex_unknown",
                        _("Unknown sex %(value)s: left empty."),
                        severity=WARNING,
                        value=v["sex"],
                    )
                )
            v["sex"] = sex
        start, end = v.get(self.start_field), v.get(self.end_field)
        if start and end and end < start:
            item.problems.append(
                Problem.new("dates_order", _("The end date is before the start date."))
            )
        self.check_more(item)
        if item.has_error or not v.get("full_name"):
            return
        key = (
            v.get("org_tax_code"),
            v.get("citizen_id") or (fold(v["full_name"]), v.get("birth_date")),
        )
        first = self.seen.setdefault(key, item.row)
        if first != item.row:
            item.problems.append(
                Problem.new(
                    "person_duplicate_in_file",
                    _("The same person is also on row %(row)s of this file."),
                    row=first,
                )
            )

    def check_more(self, item: Item) -> None:
        return None

    def plan(self, items: list[Item]) -> None:
        self.orgs.resolve(items)
        items = [i for i in items if not i.has_error]
        if not items:
            return
        ids = [i.values["citizen_id"] for i in items if i.values.get("citizen_id")]
        by_cccd = {p.citizen_id: p for p in Person.objects.filter(citizen_id__in=ids)}
        org_ids = {i.values["organisation_id"] for i in items}
        names = {fold(i.values["full_name"]) for i in items}
        by_name = {
            (p.organisation_id, p.search_text, p.birth_date): p
            for p in Person.objects.filter(organisation_id__in=org_ids, search_text__in=names)
        }
        persons = {}
        for item in items:
            v = item.values
            person = by_cccd.get(v.get("citizen_id")) or by_name.get(
                (v["organisation_id"], fold(v["full_name"]), v.get("birth_date"))
            )
            persons[item.row] = person
        person_ids = [p.pk for p in persons.values() if p is not None]
        active = {
            (r.organisation_id, r.person_id): r
            for r in self.model.objects.filter(
                organisation_id__in=org_ids,
                person_id__in=person_ids,
                **{f"{self.end_field}__isnull": True},
            )
        }
        for item in items:
            person = persons[item.row]
            item.values["_person"] = person
            record = active.get((item.values["organisation_id"], person.pk)) if person else None
            if record is None:
                item.action = CREATE
                continue
            item.target_id = record.pk
            item.values["_record"] = record
            changes = {
                k: item.values[k]
                for k in self.writable
                if item.values.get(k) is not None and item.values[k] != getattr(record, k)
            }
            item.action = UPDATE if changes else KEEP
            item.changes = {"before": {k: getattr(record, k) for k in changes}, "after": changes}

    def values_for(self, item: Item) -> dict:
        return {k: item.values[k] for k in self.writable if item.values.get(k) is not None}

    def apply(self, items: list[Item]) -> None:
        new_people = []
        for item in items:
            if item.action == CREATE and item.values["_person"] is None:
                v = item.values
                person = Person(
                    organisation_id=v["organisation_id"],
                    **{k: v[k] for k in PERSON_WRITABLE if v.get(k) is not None},
                )
                person.search_text = fold(person.full_name)
                v["_person"] = person
                new_people.append(person)
        Person.objects.bulk_create(new_people, batch_size=500)
        journal = self.ctx.journal
        journal.created(Person, [p.pk for p in new_people])
        creates = [
            self.model(
                organisation_id=i.values["organisation_id"],
                person=i.values["_person"],
                **self.values_for(i),
            )
            for i in items
            if i.action == CREATE
        ]
        self.model.objects.bulk_create(creates, batch_size=500)
        journal.created(self.model, [r.pk for r in creates])
        now = timezone.now()
        updates = []
        for item in items:
            if item.action == UPDATE:
                record = item.values["_record"]
                for k, val in item.changes["after"].items():
                    setattr(record, k, val)
                record.updated_at = now
                updates.append(record)
        if updates:
            fields = [*self.writable, "updated_at"]
            journal.before_update(self.model, [r.pk for r in updates], fields)
            self.model.objects.bulk_update(updates, fields, batch_size=500)
        province = self.ctx.province.pk if self.ctx.province else None
        bulk_audit(
            actor=self.ctx.actor,
            action=self.action,
            model=self.model,
            journal=journal,
            rows=[
                (r.pk, str(r.person.full_name), province, r.organisation_id, None, None)
                for r in [*creates, *updates]
            ],
        )

    def finish(self, summary) -> None:
        return None


class MemberHandler(_PeopleHandler):
    model = Membership
    writable = ("kind", "joined_on", "left_on", "capital")
    action = "registry.membership.import"

    def check_more(self, item: Item) -> None:
        v = item.values
        text = v.pop("member_kind", None)
        kind = choices.read_member_kind(text) if text else MemberKind.OFFICIAL
        if kind is None:
            item.problems.append(
                Problem.new(
                    "member_kind_unknown",
                    _("Unknown kind of member %(value)s: write chính thức or liên kết."),
                    value=text,
                )
            )
        v["kind"] = kind
        if kind == MemberKind.SERVICE_ASSOCIATE and v.get("capital"):
            item.problems.append(
                Problem.new(
                    "service_associate_capital",
                    _("An associate member without capital cannot have contributed capital."),
                )
            )

    def plan(self, items: list[Item]) -> None:
        super().plan(items)
        self._keep_managed_capital(items)

    def _keep_managed_capital(self, items: list[Item]) -> None:
        """A cooperative whose capital register has started keeps its capital there:
        the row's capital is not written (a warning), the rest of the row is imported —
        as an unknown value is left empty with a warning."""
        ready = [i for i in items if not i.has_error and i.values.get("capital") is not None]
        managed = capital_owner.managed_among(i.values["organisation_id"] for i in ready)
        for item in ready:
            if item.values["organisation_id"] not in managed:
                continue
            if item.action == CREATE and not item.values["capital"]:
                continue
            if item.action in (UPDATE, KEEP) and "capital" not in item.changes.get("after", {}):
                continue
            item.values.pop("capital")
            if item.action == UPDATE:
                item.changes["before"].pop("capital", None)
                item.changes["after"].pop("capital", None)
                if not item.changes["after"]:
                    item.action = KEEP
            item.problems.append(
                Problem.new(
                    capital_owner.CODE,
                    _(
                        "The capital is recorded in the cooperative's capital register: the"
                        " capital of this row was not imported."
                    ),
                    severity=WARNING,
                )
            )


class WorkerHandler(_PeopleHandler):
    model = Worker
    writable = ("position", "is_manager", "started_on", "ended_on", "monthly_income")
    start_field = "started_on"
    end_field = "ended_on"
    action = "registry.worker.import"
