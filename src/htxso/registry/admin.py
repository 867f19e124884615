from django.contrib import admin

from .models import (
    Membership,
    OcopProduct,
    Organisation,
    Person,
    UnionMembership,
    ValueChainLink,
    Worker,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "province", "status"]
    list_filter = ["kind", "status", "province"]
    search_fields = ["name", "tax_code", "search_text"]
    raw_id_fields = ["ward"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "birth_date"]
    search_fields = ["search_text", "citizen_id"]
    raw_id_fields = ["organisation", "user"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "kind", "joined_on", "left_on", "capital"]
    list_filter = ["kind"]
    search_fields = ["person__search_text", "organisation__search_text"]
    raw_id_fields = ["organisation", "person"]


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "position", "started_on", "ended_on"]
    search_fields = ["person__search_text", "organisation__search_text"]
    raw_id_fields = ["organisation", "person"]


@admin.register(OcopProduct)
class OcopProductAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "stars", "certified_on", "expires_on"]
    list_filter = ["stars", "level"]
    search_fields = ["name", "organisation__search_text"]
    raw_id_fields = ["organisation"]


@admin.register(ValueChainLink)
class ValueChainLinkAdmin(admin.ModelAdmin):
    list_display = ["product", "organisation", "partner_name", "role", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["product", "partner_name", "organisation__search_text"]
    raw_id_fields = ["organisation"]


@admin.register(UnionMembership)
class UnionMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "union", "joined_on", "left_on"]
    raw_id_fields = ["union", "member"]
