from django.contrib import admin

from eenloket.channels.counter.models import (
    Appointment,
    CounterDesk,
    CounterTopic,
    Visit,
    VisitSequence,
)


@admin.register(CounterTopic)
class CounterTopicAdmin(admin.ModelAdmin):
    list_display = ["letter", "name_nl", "name_en", "calendar", "appointment_capacity", "is_active"]
    filter_horizontal = ["services"]
    autocomplete_fields = ["default_service"]


@admin.register(CounterDesk)
class CounterDeskAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "is_active"]
    filter_horizontal = ["topics"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visits and appointments change through the counter pages only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["number", "day", "topic", "status", "arrived_at", "desk", "ticket_number"]
    list_filter = ["status", "topic", "day"]
    list_select_related = ["topic", "desk"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "starts_at", "topic", "person", "status"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic", "person"]
    search_fields = ["code"]


@admin.register(VisitSequence)
class VisitSequenceAdmin(ReadOnlyAdmin):
    list_display = ["topic", "day", "last"]
