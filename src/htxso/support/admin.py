"""Admin of the support centre's data: SLAs per type and the calendar's changes (the
requests themselves are handled on the centre's pages, not here)."""

from django.contrib import admin

from .models import CalendarDay, SlaRule


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    list_display = ("request_type", "first_response_days", "resolution_days", "updated_at")
    list_editable = ("first_response_days", "resolution_days")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "day"
