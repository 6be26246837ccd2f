from django.contrib import admin

from eenloket.reports.models import ReportCube, SummaryState, SummarySubscription


@admin.register(SummarySubscription)
class SummarySubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_sent_for")
    list_select_related = ("user",)


class Summary(admin.ModelAdmin):
    """Derived figures, rebuilt by `reports_refresh`: read only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportCube)
class ReportCubeAdmin(Summary):
    list_display = ("day", "grain", "department_id", "priority", "opened")
    list_filter = ("grain",)


@admin.register(SummaryState)
class SummaryStateAdmin(Summary):
    list_display = ("complete_until", "refreshed_at")
