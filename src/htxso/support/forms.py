"""Forms of the service-request pages: they parse input; the services validate and save."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers

from .documents import MAX_BYTES
from .models import Outcome, RequestType, Status

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
MB = MAX_BYTES // (1024 * 1024)


class _FilesMixin(forms.Form):
    file = forms.FileField(
        label=_("Add a photo or a PDF"),
        required=False,
        help_text=_("Up to %(mb)s MB.") % {"mb": MB},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    @property
    def uploads(self) -> list[Any]:
        upload = self.cleaned_data.get("file")
        return [upload] if upload else []


@bounded_integers
class RequestForm(_FilesMixin, ServiceForm):
    org = BoundedIntegerField(min_value=1, widget=forms.HiddenInput)
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    request_type = forms.ChoiceField(label=_("What do you need?"), choices=RequestType.choices)
    title = forms.CharField(
        label=_("In a few words"),
        max_length=200,
        help_text=_("e.g. Bring our honey to the Hà Nội fair in March."),
    )
    description = forms.CharField(
        label=_("Describe your need"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you have already done, what is blocking, by when you need help."),
    )
    related_case = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)


class MessageForm(_FilesMixin, ServiceForm):
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(MessageForm):
    pass


class AskForm(ServiceForm):
    message = forms.CharField(
        label=_("What do you need from the cooperative?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The deadline stops until the cooperative answers."),
    )


class EscalateForm(ServiceForm):
    reason = forms.CharField(
        label=_("Why the VCA?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(ServiceForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Outcome.RESOLVED, Outcome.RESOLVED.label),
            (Outcome.NOT_POSSIBLE, Outcome.NOT_POSSIBLE.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What was done (the cooperative reads it)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@bounded_integers
class AssignForm(ServiceForm):
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, officers=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Nobody (common queue)")),
            *[(u.pk, u.full_name or u.get_username()) for u in officers],
        ]


class WithdrawForm(ServiceForm):
    reason = forms.CharField(
        label=_("Why (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RateForm(ServiceForm):
    rating = forms.TypedChoiceField(
        label=_("How was the service?"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


QUEUE_STATUSES = [
    ("", _("Open")),
    *Status.choices,
    ("all", _("All")),
]


class QueueFilterForm(forms.Form):
    """GET filters of the queue (values outside the choices are ignored)."""

    request_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *RequestType.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=QUEUE_STATUSES)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, officers=(), provinces=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *[(str(u.pk), u.full_name or u.get_username()) for u in officers],
        ]
        self.fields["province"].choices = [("", _("All provinces")), *provinces]

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.cleaned_data.get(name) or ("" if name != "overdue" else False)
        return self.cleaned_data.get(name)


@bounded_integers
class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2020, max_value=2100)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, provinces=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
