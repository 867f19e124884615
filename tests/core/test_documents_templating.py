"""Placeholders in letter templates: filled, never executed, errors precise."""

from __future__ import annotations

import pytest
from django.utils import translation

from htxso.core.documents.templating import (
    TemplateTextError,
    check_template_text,
    placeholders_in,
    render_template_text,
)


def test_fills_with_or_without_spaces():
    text = "Hạn {{ deadline }} – {{deadline}} – {{  deadline  }}."
    assert render_template_text(text, {"deadline": "04/4/2024"}) == (
        "Hạn 04/4/2024 – 04/4/2024 – 04/4/2024."
    )


def test_values_are_not_filled_again_nor_executed():
    context = {"a": "{{ b }}", "b": "x"}
    assert render_template_text("{{ a }}", context) == "{{ b }}"
    # Django template syntax is plain text here
    assert render_template_text("{% load static %} {# c #}", {}) == "{% load static %} {# c #}"


def test_placeholders_in():
    assert placeholders_in("{{ a }} {{b}} {{ a }} {{ 1x }} {{ c.d }}") == {"a", "b"}
    assert placeholders_in("") == set()


def test_unknown_placeholder_names_it_and_lists_the_allowed():
    with pytest.raises(TemplateTextError) as err:
        render_template_text("Kính gửi {{ provnce }}", {"province": "", "deadline": ""})
    assert err.value.code == "unknown_placeholder"
    message = str(err.value)
    assert "provnce" in message and "{{ deadline }}, {{ province }}" in message


def test_unknown_placeholder_message_in_vietnamese():
    with translation.override("vi"), pytest.raises(TemplateTextError) as err:
        check_template_text("{{ x }}", ["deadline"])
    assert "Không có chỗ điền {{ x }}" in str(err.value)
    assert "{{ deadline }}" in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["Hạn {{ deadline", "Hạn deadline }}", "{{ a }} }}", "{ { a }} {{", "{{{ a }}"],
)
def test_unbalanced_braces(text):
    with pytest.raises(TemplateTextError) as err:
        render_template_text(text, {"a": "1", "deadline": "2"})
    assert err.value.code in ("unbalanced_braces", "bad_placeholder")


@pytest.mark.parametrize("text", ["{{ a.b }}", "{{ 12 }}", "{{ a|upper }}", "{{}}", "{{ a b }}"])
def test_malformed_placeholders(text):
    with pytest.raises(TemplateTextError) as err:
        render_template_text(text, {"a": "1"})
    assert err.value.code == "bad_placeholder"


def test_single_braces_are_text():
    assert render_template_text("{a} {{ a }}", {"a": "1"}) == "{a} 1"
