"""Tickets are looked at in the admin, never edited there: every change goes through
tickets.services, which keeps the timeline, the audit trail and the SLA right."""

from django.contrib import admin

from eenloket.core.admin import ReadOnlyAdmin
from eenloket.tickets.models import Attachment, Handover, Ticket, TicketEntry, TicketNumberSequence


class TicketEntryInline(admin.TabularInline):
    model = TicketEntry
    fields = ["at", "kind", "is_public", "author", "author_person", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "title",
        "status",
        "priority",
        "queue",
        "organization",
        "channel",
        "opened_at",
        "resolution_due_at",
    ]
    list_filter = ["status", "channel", "priority", "line", "department"]
    search_fields = ["number", "title"]
    list_select_related = ["queue", "organization"]
    date_hierarchy = "opened_at"
    show_full_result_count = False
    inlines = [TicketEntryInline]


@admin.register(TicketEntry)
class TicketEntryAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "at", "author", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["ticket", "author"]
    show_full_result_count = False


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "from_queue", "to_queue", "at", "returned_at"]
    list_select_related = ["ticket", "from_queue", "to_queue"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "content_type", "size", "entry"]


@admin.register(TicketNumberSequence)
class TicketNumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]
