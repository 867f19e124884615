"""Forms of the plans part: they read the input; the services judge it (amounts are
text — "15.000.000" is how people write them — parsed and checked by the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    strategy = forms.CharField(
        label=_("Strategy"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    budget = forms.CharField(
        label=_("Budget (VND)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    budget_note = forms.CharField(
        label=_("Where the money comes from"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    risks = forms.CharField(
        label=_("Risks and how to handle them"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(label=_("Show this plan to the youth network"), required=False)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action to take"), max_length=400)
    owner = forms.CharField(label=_("Who is responsible"), required=False, max_length=300)
    start = forms.CharField(label=_("Start"), max_length=20, widget=_DateInput())
    end = forms.CharField(label=_("End"), max_length=20, widget=_DateInput())
    cost = forms.CharField(
        label=_("Cost (VND)"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


@bounded_integers
class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Progress (%)"), widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})
    )
    note = forms.CharField(label=_("What was done"), required=False, max_length=1000)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Comment to the youths"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VisitForm(forms.Form):
    visited_on = forms.CharField(label=_("Visited on"), max_length=20, widget=_DateInput())
    note = forms.CharField(
        label=_("What was seen and advised"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProfileForm(forms.Form):
    public_profile = forms.BooleanField(
        label=_("Show my profile to the youth network"), required=False
    )
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScopeForm(forms.Form):
    """The network's reach: the person's province or the whole nation."""

    scope = forms.ChoiceField(
        choices=[("province", _("My province")), ("nation", _("The nation"))], required=False
    )

    def chosen(self) -> str:
        if self.is_valid():
            return self.cleaned_data.get("scope") or "province"
        return "province"
