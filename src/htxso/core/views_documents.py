"""Letter templates: VCA lists them, edits their text and downloads a preview .docx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from htxso.accounts.models import Role

from .access import access
from .documents.letters import letter_from_template, render_letter_docx
from .documents.placeholders import PLACEHOLDERS, sample_context, sample_letter_fields
from .documents.responses import download_response
from .documents.services import clean_template_fields, letter_template_update
from .documents.templating import TemplateTextError
from .forms_documents import FIELDS, LetterTemplateForm
from .models import LetterTemplate


def _docx_response(template: LetterTemplate) -> HttpResponse:
    letter = letter_from_template(template, sample_context(), **sample_letter_fields(template.code))
    return download_response(render_letter_docx(letter), f"mau-{template.code}-xem-thu.docx")


def _placeholder_help(template: LetterTemplate) -> list[tuple[str, object, str]]:
    allowed = set(template.allowed_placeholders or [])
    return [
        ("{{ " + key + " }}", label, sample)
        for key, label, sample in PLACEHOLDERS
        if key in allowed
    ]


@access(roles=[Role.VCA_ADMIN])
def template_list(request):
    templates = LetterTemplate.objects.select_related("updated_by").order_by("title", "code")
    return render(request, "documents/template_list.html", {"templates": templates})


@access(roles=[Role.VCA_ADMIN])
def template_edit(request, code: str):
    template = get_object_or_404(LetterTemplate, code=code)
    if request.method == "POST":
        form = LetterTemplateForm(request.POST, instance=LetterTemplate.objects.get(pk=template.pk))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in FIELDS}
            try:
                if request.POST.get("action") == "preview":
                    # the text as typed, not saved: a letter filled with sample values
                    values = clean_template_fields(template, fields)
                    draft = LetterTemplate(code=template.code, **{**fields, **values})
                    return _docx_response(draft)
                updated = letter_template_update(actor=request.user, template=template, **fields)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(
                    request, _("Template “%(title)s” saved.") % {"title": updated.title}
                )
                return redirect("documents:template_edit", code=updated.code)
    else:
        form = LetterTemplateForm(instance=template)
    return render(
        request,
        "documents/template_edit.html",
        {
            "template": template,
            "form": form,
            "placeholders": _placeholder_help(template),
            "example": "{{ deadline }}",
        },
    )


@access(roles=[Role.VCA_ADMIN])
def template_preview(request, code: str):
    template = get_object_or_404(LetterTemplate, code=code)
    try:
        return _docx_response(template)
    except TemplateTextError as exc:  # a template saved before a placeholder was retired
        messages.error(request, exc.message)
        return redirect("documents:template_edit", code=template.code)
