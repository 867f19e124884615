"""Forms of the impact pages: they read the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from htxso.core.forms import BoundedIntegerField, bounded_integers
from htxso.geo.models import Province

#: An imported list file: plain text or CSV, at most this many bytes.
MAX_LIST_BYTES = 200_000


class MapFilterForm(forms.Form):
    """GET: which province's map (national staff choose; others have theirs)."""

    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, provinces: list[Province], national: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(p.code, p.name) for p in provinces]
        if national:
            choices = [("", _("The whole country (by province)")), *choices]
        self.fields["province"].choices = choices


@bounded_integers
class CohortForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and dashes, e.g. eu-youth-dx."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("National (the VCA)"),
    )
    before_round = BoundedIntegerField(
        label=_("Round before (T0 = 0)"), min_value=0, max_value=20, initial=0
    )
    after_round = BoundedIntegerField(
        label=_("Round after (T1 = 1)"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args: Any, provinces: list[Province], national: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        field.queryset = Province.objects.filter(code__in=[p.code for p in provinces])
        if not national:
            field.required = True
            field.empty_label = None


class MembersForm(forms.Form):
    members = forms.CharField(
        label=_("Registry ids or tax codes, one per line"),
        required=False,
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Paste a column from a spreadsheet; commas and spaces separate too."),
    )
    file = forms.FileField(
        label=_("Or import a list (.txt or .csv, first column)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.csv,text/plain,text/csv"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        text = data.get("members") or ""
        if upload:
            if upload.size > MAX_LIST_BYTES:
                self.add_error("file", _("The file is larger than 200 kB."))
                return data
            raw = upload.read(MAX_LIST_BYTES + 1)
            if b"\x00" in raw:
                self.add_error("file", _("This is not a text or CSV file."))
                return data
            try:
                decoded = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("Save the list as UTF-8 text or CSV."))
                return data
            cells = [line.split(",")[0].split(";")[0] for line in decoded.splitlines()]
            # a header row ("Mã số thuế") has no digit: left out
            first = [c for c in cells if any(ch.isdigit() for ch in c)]
            text = "\n".join([text, *first])
        data["raw"] = text
        return data
