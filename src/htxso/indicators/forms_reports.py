"""Forms of the periodic reports: what pages read from ``request.POST``.  Services check
everything again; forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedModelMultipleChoiceField, bounded_integers

from . import selectors_reports
from .models import FigureUnit, OfficeKind, ReportingOffice, ReportKind, ReportSection

MAX_NARRATIVE_INPUT = 10000


class SubmissionForm(forms.Form):
    """One narrative per section and one field per figure of the template.  Figures are
    text fields (people write 1.250 or 12,5); the service parses them."""

    def __init__(self, *args: Any, sections: list[ReportSection], initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_values = initial_values or {}
        self.sections = sections
        for s in sections:
            name = f"narrative_{s.pk}"
            self.fields[name] = forms.CharField(
                label=_("Narrative"),
                required=False,
                max_length=MAX_NARRATIVE_INPUT,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=initial_values.get(name, ""),
            )
            for f in s.figures.all():
                fname = f"figure_{f.key}"
                self.fields[fname] = forms.CharField(
                    label=f.label,
                    required=False,
                    max_length=60,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    initial=initial_values.get(fname, ""),
                )

    def narratives(self) -> dict[str, str]:
        return {str(s.pk): self.cleaned_data.get(f"narrative_{s.pk}", "") for s in self.sections}

    def figures(self) -> dict[str, str]:
        return {
            f.key: self.cleaned_data.get(f"figure_{f.key}", "")
            for s in self.sections
            for f in s.figures.all()
        }

    def wants_submit(self) -> bool:
        return self.data.get("action") == "submit"


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the office"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@bounded_integers
class TemplateForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"))
    name = forms.CharField(label=_("Name"), max_length=400)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    due_day = forms.IntegerField(label=_("Due day"), min_value=1, max_value=31, initial=15)
    due_month = forms.IntegerField(label=_("Due month"), min_value=1, max_value=12, initial=6)
    compiling_office = forms.ModelChoiceField(
        label=_("Compiling office"), queryset=ReportingOffice.objects.none()
    )
    offices = BoundedModelMultipleChoiceField(
        label=_("Submitting offices"),
        queryset=ReportingOffice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(
        label=_("Sent to (one “Name <e-mail>” per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, provinces: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.pk, p.name) for p in provinces]  # type: ignore[attr-defined]
        offices = ReportingOffice.objects.filter(province__in=provinces).select_related("province")
        self.fields["compiling_office"].queryset = offices.filter(compiles=True)  # type: ignore[attr-defined]
        self.fields["offices"].queryset = offices.filter(compiles=False)  # type: ignore[attr-defined]


@bounded_integers
class TemplateEditForm(forms.Form):
    """The template's settings that may change (see ``services_reports``' rule)."""

    name = forms.CharField(label=_("Name"), max_length=400)
    due_day = forms.IntegerField(label=_("Due day"), min_value=1, max_value=31)
    due_month = forms.IntegerField(label=_("Due month"), min_value=1, max_value=12)
    offices = BoundedModelMultipleChoiceField(
        label=_("Submitting offices"),
        queryset=ReportingOffice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(
        label=_("Sent to (one “Name <e-mail>” per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, template: Any, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "name": template.name,
                "due_day": template.due_day,
                "due_month": template.due_month,
                "offices": list(template.offices.values_list("pk", flat=True)),
                "recipients": template.recipients,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = ReportingOffice.objects.filter(  # type: ignore[attr-defined]
            province_id=template.province_id, compiles=False
        )


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new template"), max_length=400)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    guidance = forms.CharField(
        label=_("Guidance for the offices"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    platform_figures = forms.MultipleChoiceField(
        label=_("Platform figures shown pre-filled"),
        required=False,
        choices=selectors_reports.figure_choices,
        widget=forms.CheckboxSelectMultiple,
    )


class FigureForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=400)
    unit = forms.ChoiceField(label=_("Unit"), choices=FigureUnit.choices)
    min_value = forms.DecimalField(
        label=_("Smallest value"), max_digits=20, decimal_places=2, initial=0
    )
    max_value = forms.DecimalField(
        label=_("Largest value"), max_digits=20, decimal_places=2, required=False
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    platform_key = forms.ChoiceField(
        label=_("Compare with platform figure"),
        required=False,
        choices=lambda: [("", "—"), *selectors_reports.figure_choices()],
    )


class CycleForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("2026S1 for the first half of 2026, 2026 for the year."),
    )


class OfficeForm(forms.Form):
    province_id = forms.ChoiceField(label=_("Province"))
    name = forms.CharField(label=_("Name"), max_length=400)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfficeKind.choices)
    ward_id = forms.CharField(label=_("Ward or commune code"), required=False, max_length=5)
    compiles = forms.BooleanField(label=_("Compiles the province's reports"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, provinces: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province_id"].choices = [(p.pk, p.name) for p in provinces]  # type: ignore[attr-defined]


class MembersForm(forms.Form):
    usernames = forms.CharField(
        label=_("Members (user names, one per line)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data.get("usernames", "")
        return [n.strip() for n in raw.replace(",", "\n").splitlines() if n.strip()][:100]
