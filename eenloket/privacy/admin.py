"""The privacy app in the Django admin, looked at only: rules are set on the Privacy pages
(/werkplek/privacy/), whose service checks them; runs and requests are the record."""

from django.contrib import admin

from eenloket.privacy.models import DataSubjectRequest, RetentionRule, RetentionRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(ReadOnly):
    list_display = ["kind", "organization", "period", "action", "updated_at", "updated_by"]
    list_filter = ["kind", "action"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnly):
    list_display = ["started_at", "trigger", "actor", "dry_run", "organization", "total"]
    list_filter = ["trigger", "dry_run"]


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnly):
    list_display = ["at", "kind", "person", "requested_by", "handled_by"]
    list_filter = ["kind"]
    exclude = ["file"]
