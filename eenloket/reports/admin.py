from django.contrib import admin

from eenloket.reports.models import SummarySubscription


@admin.register(SummarySubscription)
class SummarySubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_sent_for")
    list_select_related = ("user",)
