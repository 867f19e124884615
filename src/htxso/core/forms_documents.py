"""The letter-template editor's form (validation of placeholders is in the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LetterTemplate

FIELDS = (
    "title",
    "subject",
    "body",
    "receivers",
    "signer_authority",
    "signer_title",
    "signer_name",
)


class LetterTemplateForm(forms.ModelForm):
    #: Which submit button was pressed: save the template, or download a preview of it.
    action = forms.ChoiceField(
        choices=[("save", "save"), ("preview", "preview")], required=False, initial="save"
    )

    class Meta:
        model = LetterTemplate
        fields = FIELDS
        labels = {
            "title": _("Name of the template"),
            "subject": _("Subject (after “V/v”)"),
            "body": _("Body of the letter"),
            "receivers": _("Copies to (“Nơi nhận”)"),
            "signer_authority": _("Signing on behalf of"),
            "signer_title": _("Title of the signer"),
            "signer_name": _("Name of the signer"),
        }
        help_texts = {
            "title": _("Shown in the list of templates; not printed in the letter."),
            "subject": _(
                "Printed under the number as “V/v …”: write it in lower case, without "
                "“V/v” and without a final full stop."
            ),
            "body": _(
                "Leave one blank line between paragraphs. A line starting with “-” is an "
                "item of a list. End the last paragraph with “./.” as letters do."
            ),
            "receivers": _("One per line, each starting with “-”; the last one “- Lưu: VT.”"),
            "signer_authority": _(
                "For example “TM. BAN THƯỜNG VỤ” or “KT. CHỦ TỊCH”; may be empty."
            ),
            "signer_title": _("For example “CHỦ TỊCH” or “PHÓ CHỦ TỊCH”."),
            "signer_name": _("Leave empty to write the name by hand after signing."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 200}),
            "subject": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
            "body": forms.Textarea(attrs={"rows": 18, "maxlength": 20000, "spellcheck": "false"}),
            "receivers": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "signer_authority": forms.TextInput(attrs={"maxlength": 120}),
            "signer_title": forms.TextInput(attrs={"maxlength": 120}),
            "signer_name": forms.TextInput(attrs={"maxlength": 120}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            field = self.fields[name]
            described = f"id_{name}_help"
            field.widget.attrs.setdefault("aria-describedby", described)
            if name in ("subject", "body", "receivers"):
                field.widget.attrs["data-slot-target"] = ""  # placeholders go here
