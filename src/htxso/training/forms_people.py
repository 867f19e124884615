"""Forms of the people part: deciding a likely duplicate, filtering the figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import bounded_integers

from .models import Audience, CourseKind
from .services_people import DIFFERENT, SAME

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


@bounded_integers
class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(SAME, _("Same person: merge")), (DIFFERENT, _("Different people"))],
        widget=forms.RadioSelect,
    )


@bounded_integers
class FiguresForm(forms.Form):
    """The figures' filters (GET); an invalid filter is ignored, not an error page."""

    kind = forms.ChoiceField(label=_("Kind of course"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    funded_by = forms.CharField(label=_("Funded by (contains)"), max_length=100, required=False)
    date_from = forms.DateField(
        label=_("Courses starting from"), required=False, input_formats=DATE_FORMATS
    )
    date_to = forms.DateField(label=_("until"), required=False, input_formats=DATE_FORMATS)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *CourseKind.choices]
        self.fields["audience"].choices = [("", _("All audiences")), *Audience.choices]
        self.fields["province"].choices = [("", _("All you may see")), *provinces]
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update({"placeholder": "dd/mm/yyyy"})

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {}) or {}
        return {k: v for k, v in data.items() if v not in (None, "") and k in self.fields}
