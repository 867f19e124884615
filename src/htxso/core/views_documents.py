"""Letter templates: VCA lists them, edits their text and downloads a preview .docx."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .access import access
from .actors import require_actor
from .documents.letters import letter_from_template, render_letter_docx
from .documents.placeholders import PLACEHOLDERS, sample_context, sample_letter_fields
from .documents.responses import download_response
from .documents.services import clean_template_fields, letter_template_update
from .documents.templating import TemplateTextError
from .errors import ServiceError
from .forms import show_service_error
from .forms_documents import FIELDS, LetterTemplateForm
from .models import LetterTemplate
from .roles import VCA


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


@access(roles=VCA)
def template_list(request: HttpRequest) -> HttpResponse:
    templates = LetterTemplate.objects.select_related("updated_by").order_by("title", "code")
    return render(request, "documents/template_list.html", {"templates": templates})


@access(roles=VCA)
def template_edit(request: HttpRequest, code: str) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, code=code)
    if request.method == "POST":
        form = LetterTemplateForm(request.POST, instance=LetterTemplate.objects.get(pk=template.pk))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in FIELDS}
            try:
                if form.cleaned_data["action"] == "preview":
                    # the text as typed, not saved: a letter filled with sample values
                    values = clean_template_fields(template, fields)
                    draft = LetterTemplate(code=template.code, **{**fields, **values})
                    return _docx_response(draft)
                updated = letter_template_update(
                    actor=require_actor(request.user), template=template, **fields
                )
            except ServiceError as exc:
                show_service_error(request, exc, form)
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


@access(roles=VCA)
def template_preview(request: HttpRequest, code: str) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, code=code)
    try:
        return _docx_response(template)
    except TemplateTextError as exc:  # a template saved before a placeholder was retired
        messages.error(request, exc.message)
        return redirect("documents:template_edit", code=template.code)
