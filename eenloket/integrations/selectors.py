"""Reads of the integrations app."""

from django.db.models import QuerySet

from eenloket.integrations.models import ApiKey, WebhookDelivery


def apikey_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("department", "organization").order_by("name", "id")


def webhook_deliveries(*, limit: int = 100) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.select_related("subscription")[:limit])
