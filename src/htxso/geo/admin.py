"""Read-only admin for the administrative units: they come from ``load_units`` only."""

from __future__ import annotations

from django.contrib import admin

from htxso.core.text import fold

from .models import (
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    UnitsDataset,
    Ward,
    WardMapping,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete: the rows are reloaded from the source package."""

    list_per_page = 100

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FoldedSearchAdmin(ReadOnlyAdmin):
    """Search ``search_text`` with the folded query, so accents are optional."""

    search_fields = ["=code", "search_text"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Province)
class ProvinceAdmin(FoldedSearchAdmin):
    list_display = ["code", "name", "division_type"]


@admin.register(Ward)
class WardAdmin(FoldedSearchAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province", "division_type"]
    list_select_related = ["province"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(FoldedSearchAdmin):
    list_display = ["code", "name", "division_type", "new_province"]
    list_filter = ["new_province"]
    list_select_related = ["new_province"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(FoldedSearchAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]


class WardMappingInline(admin.TabularInline):
    model = WardMapping
    fields = ["ward", "is_partial"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegacyWard)
class LegacyWardAdmin(FoldedSearchAdmin):
    list_display = ["code", "name", "division_type", "district"]
    list_filter = ["division_type", "district__province"]
    list_select_related = ["district"]
    inlines = [WardMappingInline]


@admin.register(WardMapping)
class WardMappingAdmin(ReadOnlyAdmin):
    list_display = ["legacy_ward", "ward", "is_partial"]
    list_filter = ["is_partial", "ward__province"]
    list_select_related = ["legacy_ward", "ward"]
    search_fields = ["=legacy_ward__code", "=ward__code", "legacy_ward__search_text"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(UnitsDataset)
class UnitsDatasetAdmin(ReadOnlyAdmin):
    list_display = ["key", "package_version", "data_version", "loaded_at"]
