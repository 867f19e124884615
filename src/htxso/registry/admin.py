from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "province", "status"]
    list_filter = ["kind", "status", "province"]
    search_fields = ["name", "tax_code", "search_text"]
    raw_id_fields = ["ward"]
    readonly_fields = ["created_at", "updated_at"]
