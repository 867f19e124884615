"""Forms of the personal-data pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.models import ConsentPurpose

from .models import TEXT_MAX, CorrectionField


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("What is wrong"), choices=CorrectionField.choices)
    text = forms.CharField(
        label=_("What is wrong, and the right value"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 1,000 characters. Do not send papers here: the reviewer may ask."),
    )


class DeletionForm(forms.Form):
    text = forms.CharField(
        label=_("Anything the reviewer should know (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand: this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Done / approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or note (the person reads it)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)
