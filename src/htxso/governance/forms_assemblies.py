"""Input of the assemblies pages (``request.POST`` is read here only)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedModelMultipleChoiceField, bounded_integers

from .models.assemblies import AssemblyKind, AssemblyMode

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


@bounded_integers
class AssemblyEditForm(forms.Form):
    """What may change while the assembly is a draft or announced (kind, year and the
    delegate choice stay)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    mode = forms.ChoiceField(
        label=_("How members take part"), choices=AssemblyMode.choices, widget=forms.RadioSelect
    )
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"), input_formats=DATETIME_FORMATS, widget=DateTimeLocal()
    )
    place = forms.CharField(label=_("Meeting place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=200, assume_scheme="https"
    )


@bounded_integers
class AssemblyForm(AssemblyEditForm):
    """A new assembly: what may be edited later, plus its kind, year and delegate choice."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AssemblyKind.choices)
    year = forms.IntegerField(label=_("Financial year"), min_value=2000, max_value=2100)
    is_delegate = forms.BooleanField(
        label=_("Delegate assembly (only elected delegates vote)"), required=False
    )

    field_order = [
        "title",
        "kind",
        "year",
        "mode",
        "scheduled_at",
        "place",
        "online_link",
        "is_delegate",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the assembly cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Members of an announced assembly receive this reason."),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it removed?"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    description = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, Word, Excel or picture, up to 10 MB)"))


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("announce", "announce"),
            ("open", "open"),
            ("close", "close"),
            ("rotate", "rotate"),
        ]
    )


class NextCallForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time of the next call"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocal(),
    )


@bounded_integers
class DeskForm(forms.Form):
    membership = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DelegatesForm(forms.Form):
    members = BoundedModelMultipleChoiceField(
        label=_("Elected delegates"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    elected_on = forms.DateField(
        label=_("Elected on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    constituency = forms.CharField(
        label=_("Elected by (village, team)"), max_length=200, required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: m.person.full_name
        self.fields["elected_on"].initial = timezone.localdate()

    def clean_elected_on(self) -> dt.date:
        return self.cleaned_data["elected_on"]


class PetitionForm(forms.Form):
    title = forms.CharField(label=_("Item you ask to add"), max_length=300)
    reason = forms.CharField(
        label=_("Why"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PetitionAnswerForm(forms.Form):
    add = forms.ChoiceField(
        choices=[("yes", _("Add to the agenda")), ("no", _("Do not add"))],
        widget=forms.RadioSelect,
        label=_("Answer"),
    )
    reason = forms.CharField(
        label=_("Why not (required when not added)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
