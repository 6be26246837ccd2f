"""Reads from the catalogue."""

from datetime import timedelta

from django.db.models import Q, QuerySet

from eenloket.catalog.exceptions import SlaTargetMissing, UnknownService
from eenloket.catalog.models import RequestField, Service, SlaTarget


def service_list(*, query: str = "", department_id: int | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(is_active=True).select_related("department")
    if department_id:
        services = services.filter(department_id=department_id)
    for word in query.split():
        services = services.filter(
            Q(name_nl__icontains=word)
            | Q(name_en__icontains=word)
            | Q(description_nl__icontains=word)
            | Q(description_en__icontains=word)
        )
    return services.order_by("department__name_nl", "name_nl")


def service_get(*, service_id: int | str | None = None, code: str | None = None) -> Service:
    services = Service.objects.filter(is_active=True).select_related("department", "sla_policy")
    try:
        if code is not None:
            return services.get(code=code)
        return services.get(pk=int(service_id))
    except (Service.DoesNotExist, ValueError, TypeError):
        raise UnknownService() from None


def request_fields(service: Service) -> list[RequestField]:
    return list(RequestField.objects.filter(service=service).order_by("order", "id"))


def sla_targets(*, policy_id: int, priority: str) -> tuple[timedelta, timedelta]:
    """Response and resolution targets in business time."""
    target = SlaTarget.objects.filter(policy_id=policy_id, priority=priority).first()
    if target is None:
        raise SlaTargetMissing()
    return timedelta(minutes=target.response_minutes), timedelta(minutes=target.resolution_minutes)
