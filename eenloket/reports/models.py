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
