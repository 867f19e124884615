"""Forms of the completion and certificates pages: they parse input; services validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, BoundedModelMultipleChoiceField, bounded_integers

from .badges import MAX_LENGTH
from .models import Enrolment

#: Largest credential file accepted by the check page (ours are a few kB).
MAX_FILE = 64 * 1024


@bounded_integers
class ResultForm(forms.Form):
    score = BoundedIntegerField(
        label=_("Assessment score (0–100)"), required=False, min_value=0, max_value=100
    )
    note = forms.CharField(label=_("Trainer's note"), required=False, max_length=500)


class DecisionForm(forms.Form):
    """A bulk decision on the chosen participants of one course."""

    COMPLETE, NOT_COMPLETED = "complete", "not_completed"
    decision = forms.ChoiceField(
        choices=[(COMPLETE, _("Completed")), (NOT_COMPLETED, _("Not completed"))],
        widget=forms.HiddenInput,
    )
    enrolments = BoundedModelMultipleChoiceField(
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one participant.")},
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["enrolments"].queryset = queryset


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CheckForm(forms.Form):
    """The public "check a credential" form: paste the text or choose the file."""

    text = forms.CharField(
        label=_("Paste the credential (.jwt text or the JSON file's content)"),
        required=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label=_("Or choose the downloaded file (.jwt or .json)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.json,application/json"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_FILE:
                raise forms.ValidationError(_("This file is too large to be a credential."))
            raw = upload.read(MAX_FILE + 1)
            try:
                data["text"] = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("This file is not a credential (it is not text).")
                ) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return data
