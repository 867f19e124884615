from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "email", "preferred_language", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]  # set on UserAdmin; stubs: Optional
        (_("HTX Số"), {"fields": ("full_name", "phone", "preferred_language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username", "key_prefix", "name"]
