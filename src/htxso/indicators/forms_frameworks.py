"""Forms of the frameworks pages: they parse the input; the services check the rules
(formula of the registry, period codes, sizes, plain text) and save."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, ServiceForm, bounded_integers
from htxso.geo.models import Province

from . import formulas
from .models import Comparison, Disaggregation, Level, ResultNode, Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _province_field(provinces: list[Province], *, label: Any, empty: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *[(p.code, p.name) for p in provinces]],
    )


@bounded_integers
class FrameworkForm(ServiceForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. eu-youth-dx."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    province = forms.ChoiceField(label=_("Province"), required=False)
    programme_label = forms.CharField(
        label=_("Programme or project"), max_length=255, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(
        self,
        *args: Any,
        provinces: list[Province],
        national: bool,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        empty = _("National (programme or project)") if national else _("Choose a province")
        self.fields["province"] = _province_field(provinces, label=_("Province"), empty=empty)
        if editing:
            del self.fields["code"]
            del self.fields["province"]


@bounded_integers
class NodeForm(ServiceForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. 1 or 1.2"))
    title = forms.CharField(
        label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    parent = BoundedIntegerField(label=_("Under"), required=False, min_value=1, widget=forms.Select)
    order = BoundedIntegerField(label=_("Order"), required=False, min_value=0, max_value=32767)

    def __init__(self, *args: Any, nodes: list[ResultNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].widget.choices = [
            ("", _("(top)")),
            *[(n.pk, f"{n.code} {n.title[:60]}") for n in nodes],
        ]


class JSONParamsField(forms.CharField):
    """The formula's parameters as a JSON object."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            raise ValidationError(
                _('Write the parameters as a JSON object, e.g. {"funded_by": "EU"}.'),
                code="invalid_json",
            ) from None
        if not isinstance(data, dict):
            raise ValidationError(
                _('Write the parameters as a JSON object, e.g. {"funded_by": "EU"}.'),
                code="invalid_json",
            )
        return data

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False) if value else ""
        return value


@bounded_integers
class IndicatorForm(ServiceForm):
    code = forms.CharField(
        label=_("Code"), max_length=60, help_text=_("Lower-case letters, digits and hyphens.")
    )
    name = forms.CharField(label=_("Name"), max_length=500)
    definition = forms.CharField(
        label=_("Definition"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    # a free choice: the service names an unknown key precisely
    formula = forms.CharField(label=_("Formula"), max_length=60, widget=forms.Select)
    params = JSONParamsField(
        label=_("Parameters (JSON)"),
        max_length=2000,
        required=False,
        help_text=_('e.g. {"funded_by": "EU"}; leave empty for none.'),
    )
    denominator_label = forms.CharField(
        label=_("Denominator"),
        max_length=255,
        required=False,
        help_text=_("What a share is out of; empty = the formula's own."),
    )
    disaggregations = forms.MultipleChoiceField(
        label=_("Disaggregations"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dhis2_code = forms.CharField(
        label=_("DHIS2 code"), max_length=50, required=False, help_text=_("Empty = not exported.")
    )
    baseline_value = forms.CharField(label=_("Baseline value"), max_length=40, required=False)
    baseline_period = forms.CharField(
        label=_("Baseline period"),
        max_length=10,
        required=False,
        help_text=_("e.g. 2024 or 2024S2"),
    )
    node = BoundedIntegerField(label=_("Result"), required=False, min_value=1, widget=forms.Select)
    order = BoundedIntegerField(label=_("Order"), required=False, min_value=0, max_value=32767)

    def __init__(self, *args: Any, nodes: list[ResultNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formula"].widget.choices = formulas.choices()
        self.fields["node"].widget.choices = [
            ("", _("(none)")),
            *[(n.pk, f"{n.code} {n.title[:60]}") for n in nodes],
        ]


@bounded_integers
class TargetForm(ServiceForm):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year (2030) or a half-year (2026S1 for January–June)."),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    comparison = forms.ChoiceField(label=_("Comparison"), choices=Comparison.choices)
    value = forms.CharField(label=_("Target value"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, provinces: list[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if provinces:
            self.fields["province"] = _province_field(
                provinces, label=_("Province"), empty=_("The whole framework")
            )
        else:
            del self.fields["province"]


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(required=True)


class RecomputeForm(forms.Form):
    period = forms.CharField(max_length=10)
    province = forms.CharField(max_length=2, required=False)


class DashboardFilterForm(forms.Form):
    """The dashboard's period and province (GET)."""

    period = forms.CharField(label=_("Period"), max_length=10, required=False)
    province = forms.CharField(label=_("Province"), max_length=2, required=False)
