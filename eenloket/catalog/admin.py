from django.contrib import admin

from eenloket.catalog.models import RequestField, Service, SlaPolicy, SlaTarget


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "calendar"]
    inlines = [SlaTargetInline]


class RequestFieldInline(admin.TabularInline):
    model = RequestField
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "department", "kind", "routing", "sla_policy", "is_active"]
    list_filter = ["department", "kind", "routing", "is_active"]
    search_fields = ["name_nl", "name_en", "code"]
    list_select_related = ["department", "sla_policy"]
    inlines = [RequestFieldInline]


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["policy", "priority", "response_minutes", "resolution_minutes"]
    list_filter = ["policy"]


@admin.register(RequestField)
class RequestFieldAdmin(admin.ModelAdmin):
    list_display = ["service", "key", "label_nl", "field_type", "required", "order"]
    list_filter = ["field_type"]
    list_select_related = ["service"]
    search_fields = ["service__name_nl", "key"]
