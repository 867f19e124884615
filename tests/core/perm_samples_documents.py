"""Permission-test samples for the letter-template pages (VCA only, no object scoping)."""

from __future__ import annotations

SAMPLES = {
    "documents:template_edit": lambda w: ({"code": "call_province"}, None),
    "documents:template_preview": lambda w: ({"code": "call_national"}, None),
}
