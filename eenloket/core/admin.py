from django.contrib import admin

from eenloket.core.calendars import forget_calendar
from eenloket.core.models import AuditEvent, BusinessCalendar, Closure, OpeningHours, ScheduledSlot


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "holiday_country", "updated_at"]
    inlines = [OpeningHoursInline, ClosureInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_calendar(form.instance.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records: they are looked at, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "object_type",
        "object_id",
        "action",
        "field",
        "old_value",
        "new_value",
    ]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"


@admin.register(ScheduledSlot)
class ScheduledSlotAdmin(ReadOnlyAdmin):
    list_display = ["job", "slot", "claimed_at", "worker"]
    list_filter = ["job"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["calendar", "weekday", "opens", "closes"]
    list_filter = ["calendar"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["calendar", "date", "reason"]
    list_filter = ["calendar"]
