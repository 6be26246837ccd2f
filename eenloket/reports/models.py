"""Who gets the weekly summary mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummarySubscription(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="summary_subscription"
    )
    created_at = models.DateTimeField()
    last_sent_for = models.DateField(null=True, blank=True)  # the Monday of the week mailed

    class Meta:
        verbose_name = _("weekly summary subscription")
        verbose_name_plural = _("weekly summary subscriptions")

    def __str__(self) -> str:
        return str(self.user)


# Lower bounds (business seconds) of the time buckets: 0, 5 min, 15 min, 30 min, 1 h, 2 h,
# 4 h, 8 h, 2 days, 3 days, 5 days, 10 days, 20 days (a business day is nine hours).
BUCKETS = (0, 300, 900, 1800, 3600, 7200, 14400, 28800, 64800, 97200, 162000, 324000, 648000)
COUNT_FIELDS = (
    "opened",
    "first_contact",
    "resolved",
    "first_line_only",
    "reopened",
    "handed_over",
    "returned",
    "response_measured",
    "response_met",
    "resolution_measured",
    "resolution_met",
)
RESPONSE_BUCKETS = tuple(f"r{i}" for i in range(len(BUCKETS)))
RESOLUTION_BUCKETS = tuple(f"s{i}" for i in range(len(BUCKETS)))


class DailyFigures(models.Model):
    """The ticket figures of one day's cohort (tickets opened that local day) per department
    and priority, with business-time histograms. Rebuilt by `summary_refresh`."""

    day = models.DateField()
    department_id = models.BigIntegerField()
    priority = models.CharField(max_length=2)
    for _name in COUNT_FIELDS + RESPONSE_BUCKETS + RESOLUTION_BUCKETS:
        locals()[_name] = models.PositiveIntegerField(default=0)
    del _name

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "priority"], name="daily_figures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.priority}"


class DailyContacts(models.Model):
    """Tickets opened per local day and organization, service or channel."""

    day = models.DateField()
    dimension = models.CharField(max_length=20)  # "organization", "service" or "channel"
    # The organization's or service's id; for a channel its index in CHANNELS.
    key = models.BigIntegerField()
    department_id = models.BigIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["dimension", "day"], name="daily_contacts_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}: {self.count}"


class SummaryState(models.Model):
    """One row: the summary holds every day before `complete_until`."""

    complete_until = models.DateField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"until {self.complete_until}"
