"""Writes of the documents service: editing letter templates (VCA only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.core import audit, roles
from htxso.core.actors import SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import ServiceError
from htxso.core.models import LetterTemplate
from htxso.core.policy import require_role
from htxso.core.text import TextError, clean_text

from .templating import TemplateTextError, check_template_text

if TYPE_CHECKING:
    from htxso.core.actors import Actor

# core.audit types ACTION_LABELS dict[str, str]; its labels are lazy strings (StrOrPromise)
ACTION_LABELS.update({"letter_template.update": gettext_lazy("Letter template changed")})

#: Editable text fields: (name, multiline, may hold placeholders, required).
TEXT_FIELDS = {
    "title": (False, False, True),
    "subject": (False, True, True),
    "body": (True, True, True),
    "receivers": (True, True, False),
    "signer_authority": (False, False, False),
    "signer_title": (False, False, False),
    "signer_name": (False, False, False),
}
EDITABLE_FIELDS = (*TEXT_FIELDS, "allowed_placeholders")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def clean_template_fields(template: LetterTemplate, fields: dict) -> dict:
    """Cleaned values, or a ServiceError with one message per bad field."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"letter_template_update: unknown fields {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    values: dict = {}
    allowed = fields.get("allowed_placeholders", template.allowed_placeholders)
    if not isinstance(allowed, list | tuple) or not all(
        isinstance(k, str) and _KEY.match(k) for k in allowed
    ):
        errors["allowed_placeholders"] = [
            _("Placeholders must be names made of letters, digits and “_”.")
        ]
        allowed = []
    else:
        values["allowed_placeholders"] = sorted(set(allowed), key=list(allowed).index)
    for name, (multiline, placeholders, required) in TEXT_FIELDS.items():
        if name not in fields:
            continue
        field = LetterTemplate._meta.get_field(name)
        max_length = getattr(field, "max_length", None) or 20000
        try:
            value = clean_text(fields[name], max_length=max_length, multiline=multiline)
        except TextError as exc:
            errors[name] = [str(exc)]
            continue
        if required and not value:
            errors[name] = [_("This field is required.")]
            continue
        if placeholders:
            try:
                check_template_text(value, allowed)
            except TemplateTextError as exc:
                errors[name] = [exc.text]
                continue
        elif "{{" in value or "}}" in value:
            errors[name] = [_("Placeholders cannot be used in this field.")]
            continue
        values[name] = value
    if errors:
        raise ServiceError("template_invalid", _("Correct the fields marked below."), fields=errors)
    return values


def letter_template_update(
    *, actor: Actor, template: LetterTemplate, **fields: Any
) -> LetterTemplate:
    """Change a letter template.  Every placeholder of the subject, body and receivers
    must be one of ``allowed_placeholders``; nothing is saved otherwise."""
    require_role(actor, roles.VCA)
    values = clean_template_fields(template, fields)
    with transaction.atomic():
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        before = audit.snapshot(template)
        changed = {k: v for k, v in values.items() if getattr(template, k) != v}
        if not changed:
            return template
        for key, value in changed.items():
            setattr(template, key, value)
        template.updated_by = None if isinstance(actor, SystemActor) else actor  # type: ignore[assignment]  # Actor's user is settings.AUTH_USER_MODEL
        template.save()
        after = audit.snapshot(template)
        assert before is not None and after is not None  # None only for no instance
        audit.record(
            actor=actor,
            action="letter_template.update",
            instance=template,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return template
