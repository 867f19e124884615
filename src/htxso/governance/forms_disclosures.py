"""Forms of the disclosure pages: they read the input; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers

from .models.disclosures import DisclosureKind
from .services_disclosures import MAX_BYTES

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DisclosureForm(ServiceForm):
    kind = forms.ChoiceField(label=_("What is disclosed"), choices=DisclosureKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    event_on = forms.DateField(
        label=_("Date of the event (adopted, approved, signed)"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("The deadline to post is counted in working days from this date."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    file = forms.FileField(
        label=_("File (PDF or photo)"),
        required=False,
        help_text=_("Up to %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    post = forms.BooleanField(label=_("Post it to the members now"), required=False, initial=True)
    posted_on = forms.DateField(
        label=_("Posted on"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("Leave empty: today. A day in the past is not accepted."),
    )


@bounded_integers
class RequestForm(ServiceForm):
    disclosure = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("What do you ask for?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@bounded_integers
class AnswerForm(ServiceForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


@bounded_integers
class PeriodForm(forms.Form):
    """The province's table: which province (staff of several) and which year."""

    province = forms.CharField(required=False, max_length=2)
    year = BoundedIntegerField(required=False, min_value=2000, max_value=2100)
