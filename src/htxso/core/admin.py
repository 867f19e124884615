from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, LetterTemplate


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "province"]
    list_filter = ["action", "province"]
    search_fields = ["object_repr", "actor_label", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Read-only here: letter templates are edited at /van-ban/mau/, which validates the
    placeholders and records the change in the audit trail."""

    list_display = ["code", "title", "updated_at", "updated_by"]
    search_fields = ["code", "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
