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


# Lower bounds (business seconds) of the histogram buckets of the time to first response and
# to resolution: exactly zero (solved at first contact), then a minute wide below three
# minutes, then each bucket at most 0.67 times as wide as its lower bound, up to 60 business
# days (a business day is nine hours); the last bucket ends at the largest value seen
# (`response_max`, `resolution_max`).
BUCKETS = (
    *(0, 1, 60, 120, 180, 300, 450, 600, 900, 1200, 1800, 2700),  # up to 45 minutes
    *(3600, 5400, 7200, 10800, 14400, 21600),  # 1 to 6 hours
    *(32400, 48600, 64800, 97200, 129600, 162000, 226800),  # 1 to 7 business days
    *(324000, 486000, 648000, 972000, 1296000, 1944000),  # 10 to 60 business days
)
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
MAX_FIELDS = ("response_max", "resolution_max")
TIME_FIELDS = RESPONSE_BUCKETS + RESOLUTION_BUCKETS + MAX_FIELDS

# The grains of the cube: the dimensions a row groups the day's cohort by. A query is answered
# from the smallest grain that holds its filters and groupings (see summary.grain_for).
# "counts" grains carry COUNT_FIELDS, "times" grains also the histograms, "opened" grains
# only the number of tickets (the contact tables).
GRAINS: dict[str, tuple[tuple[str, ...], str]] = {
    "d": (("department_id", "priority"), "times"),
    "c": (("department_id", "channel"), "times"),
    "s": (("department_id", "service_id"), "times"),
    "oc": (("organization_id", "channel"), "opened"),
    "o": (("department_id", "organization_id"), "times"),
    "dc": (("department_id", "priority", "channel"), "counts"),
    "cs": (("department_id", "channel", "service_id"), "opened"),
    "do": (("department_id", "priority", "organization_id"), "counts"),
    "os": (("department_id", "organization_id", "service_id"), "opened"),
    "full": (("department_id", "priority", "organization_id", "channel", "service_id"), "times"),
}
DIMENSION_FIELDS = ("department_id", "priority", "organization_id", "channel", "service_id")


class ReportCube(models.Model):
    """The ticket figures of one day's cohort (tickets opened that local day), summed per
    grain (see GRAINS): a dimension the grain leaves out is NULL. Rebuilt by
    `summary_refresh`; every filter combination of the dashboards is answered from here."""

    day = models.DateField()
    grain = models.CharField(max_length=4)
    department_id = models.BigIntegerField(null=True)
    priority = models.CharField(max_length=2, null=True)
    organization_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=10, null=True)
    service_id = models.BigIntegerField(null=True)
    for _name in COUNT_FIELDS + TIME_FIELDS:
        # NULL where the grain does not carry the figure: it costs no space in PostgreSQL.
        locals()[_name] = models.PositiveIntegerField(null=True)
    del _name

    class Meta:
        verbose_name = _("dashboard summary row")
        verbose_name_plural = _("dashboard summary rows")
        indexes = [
            models.Index(fields=["grain", "day"], name="cube_day"),
            models.Index(fields=["grain", "department_id", "day"], name="cube_department"),
            models.Index(fields=["grain", "organization_id", "day"], name="cube_organization"),
            models.Index(fields=["grain", "channel", "day"], name="cube_channel"),
            models.Index(fields=["grain", "service_id", "day"], name="cube_service"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.grain}"


class SummaryState(models.Model):
    """One row: the summary holds every day before `complete_until`."""

    complete_until = models.DateField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"until {self.complete_until}"
