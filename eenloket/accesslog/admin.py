from django.contrib import admin

from eenloket.accesslog.models import AccessEntry


@admin.register(AccessEntry)
class AccessEntryAdmin(admin.ModelAdmin):
    """Read only: the log is append-only (the workspace page searches and exports it)."""

    list_display = [
        "started_at",
        "actor_username",
        "actor_role",
        "action",
        "object_kind",
        "object_ref",
        "person_id",
        "channel",
        "result",
    ]
    list_filter = ["action", "result", "channel", "object_kind", "activity"]
    search_fields = ["=ticket_number", "=actor_username", "=trace_id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
