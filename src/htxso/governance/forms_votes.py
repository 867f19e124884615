"""Forms of the votes pages: they parse input; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers

from .models import MatterKind, VoteChoice


class VoteForm(forms.Form):
    """The member's one tap: the button pressed carries the choice."""

    choice = forms.ChoiceField(choices=VoteChoice.choices)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The code you were shown after voting, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ResolutionForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text put to the vote"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    matter = forms.ChoiceField(
        label=_("Kind of matter"),
        choices=MatterKind.choices,
        help_text=_("The kind of matter decides the majority needed (Law on Cooperatives 2023)."),
    )
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)


class ResolutionActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("open", "open"),
            ("close", "close"),
            ("publish", "publish"),
            ("confirm", "confirm"),
        ]
    )


@bounded_integers
class PaperForm(ServiceForm):
    ballots_issued = BoundedIntegerField(label=_("Paper ballots handed out"), min_value=0)
    yes = BoundedIntegerField(label=_("Agree"), min_value=0)
    no = BoundedIntegerField(label=_("Disagree"), min_value=0)
    abstain = BoundedIntegerField(label=_("No opinion"), min_value=0)
    invalid = BoundedIntegerField(label=_("Invalid ballots"), min_value=0, initial=0)
    teller_1 = forms.CharField(label=_("First teller"), max_length=150)
    teller_2 = forms.CharField(label=_("Second teller"), max_length=150)
