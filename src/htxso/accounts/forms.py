from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Both are case-sensitive; after several failed "
            "attempts the account is locked for a while."
        ),
        "inactive": _("This account has been deactivated. Contact your provincial alliance."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].label = _("Password")


class OtpCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What this token is for, e.g. “provincial reporting script”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365)
