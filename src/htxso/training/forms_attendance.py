"""Input of the attendance pages (``request.POST`` is read here only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers


@bounded_integers
class RosterTickForm(forms.Form):
    """The trainer ticks one participant on the roster (the phone's queue sends the same
    fields to the batch API when it was offline)."""

    enrolment = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    #: The phone's id of this tick (a resent tick adds nothing).
    client_id = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class CheckinForm(forms.Form):
    """The participant's one tap ("Check in"); the code is in the URL."""

    confirm = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """A button that needs no input (open/close check-in, undo, make a link)."""

    confirm = forms.BooleanField(
        required=False, initial=True, widget=forms.HiddenInput, label=_("Confirm")
    )
