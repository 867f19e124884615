"""Forms of the courses pages: they read input; the services validate and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import (
    BoundedIntegerField,
    BoundedModelMultipleChoiceField,
    ServiceForm,
)

from .models import Audience, CourseKind, CourseStatus, SessionMode
from .services_courses import CourseFields, SessionFields

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CourseStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *CourseKind.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("All")), *Audience.choices]
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "kind": "", "audience": ""}
        return {k: self.cleaned_data.get(k) or "" for k in ("status", "kind", "audience")}


class CourseForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    funded_by = forms.CharField(
        label=_("Funded by"),
        required=False,
        max_length=200,
        help_text=_("The programme or project that pays, e.g. the EU youth-DX project."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False, choices=())
    capacity = BoundedIntegerField(
        label=_("Capacity (places)"), required=False, min_value=1, max_value=100_000
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    min_attendance_percent = BoundedIntegerField(
        label=_("Minimum attendance (%)"), min_value=0, max_value=100, initial=80
    )
    pass_score = BoundedIntegerField(
        label=_("Pass score of the final assessment (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty when there is no assessment."),
    )
    requires_store = forms.BooleanField(
        label=_("Completion needs an open store with a listed product on the market"),
        required=False,
    )

    def __init__(self, *args: Any, provinces=(), national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, name) for code, name in provinces]
        if national:
            choices = [("", _("National (VCA)")), *choices]
        self.fields["province"].choices = choices
        self.fields["province"].required = not national

    def fields_value(self) -> CourseFields:
        d = self.cleaned_data
        return CourseFields(
            title=d["title"],
            description=d.get("description") or "",
            kind=d["kind"],
            audience=d["audience"],
            funded_by=d.get("funded_by") or "",
            province=d.get("province") or None,
            capacity=d.get("capacity"),
            starts_on=d.get("starts_on"),
            ends_on=d.get("ends_on"),
            min_attendance_percent=d.get("min_attendance_percent"),
            pass_score=d.get("pass_score"),
            requires_store=bool(d.get("requires_store")),
        )


class ModuleForm(ServiceForm):
    title = forms.CharField(label=_("Module"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_value=999, max_digits=4, decimal_places=1
    )


class SessionForm(ServiceForm):
    title = forms.CharField(label=_("Session title"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=DATE)
    start = forms.TimeField(label=_("Starts at (Vietnam time)"), widget=TIME)
    end = forms.TimeField(label=_("Ends at (Vietnam time)"), widget=TIME)
    mode = forms.ChoiceField(label=_("Where"), choices=SessionMode.choices)
    ward = forms.ChoiceField(label=_("Ward / commune of the hall"), required=False, choices=())
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("e.g. Hall of the commune People's Committee."),
    )
    online_link = forms.CharField(
        label=_("Link of the online meeting"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    capacity = BoundedIntegerField(
        label=_("Places in the hall"), required=False, min_value=1, max_value=100_000
    )

    def __init__(self, *args: Any, wards=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", _("Choose a ward")), *wards]

    def fields_value(self) -> SessionFields:
        d = self.cleaned_data
        tz = timezone.get_default_timezone()
        starts = ends = None
        if d.get("day") and d.get("start") and d.get("end"):
            starts = timezone.make_aware(dt.datetime.combine(d["day"], d["start"]), tz)
            ends = timezone.make_aware(dt.datetime.combine(d["day"], d["end"]), tz)
        return SessionFields(
            title=d["title"],
            starts_at=starts,
            ends_at=ends,
            mode=d["mode"],
            ward=d.get("ward") or "",
            place=d.get("place") or "",
            online_link=d.get("online_link") or "",
            capacity=d.get("capacity"),
        )


class TrainersForm(ServiceForm):
    trainers = BoundedModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, queryset=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = queryset
        self.fields["trainers"].label_from_instance = lambda u: u.full_name or u.get_username()


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CourseStatus.choices)


class RemoveForm(forms.Form):
    item = BoundedIntegerField(min_value=1)


class EnrolSelfForm(ServiceForm):
    full_name = forms.CharField(label=_("Your full name"), max_length=150, required=False)
    birth_year = BoundedIntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Prefer not to say")), ("female", _("Female")), ("male", _("Male"))],
    )
    remote = forms.BooleanField(label=_("I will follow online"), required=False)


class MembersForm(ServiceForm):
    org = BoundedIntegerField(min_value=1, widget=forms.HiddenInput)
    people = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(p.pk, p.full_name) for p, done in members if not done]


class ImportForm(ServiceForm):
    file = forms.FileField(
        label=_("List of participants (xlsx or csv)"),
        help_text=_(
            "Columns: Họ và tên (required), Năm sinh, Giới tính, Số điện thoại, CCCD, "
            "Mã số thuế HTX. At most 500 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ConfirmImportForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
