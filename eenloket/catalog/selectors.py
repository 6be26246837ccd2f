"""Reads from the catalogue."""

from dataclasses import dataclass
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


# --- the customer portal -----------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueGroup:
    """The services of one department, under the heading customers understand."""

    heading: str
    services: list[Service]


def service_catalogue(*, query: str = "") -> list[CatalogueGroup]:
    """Active services grouped by department in the customer's words, both sorted in the
    current language. With `query`, only services whose name, description or department
    heading holds every word (so "salaris" finds HR's services). One query."""
    services = Service.objects.filter(is_active=True).select_related("department")
    for word in query.split():
        services = services.filter(
            Q(name_nl__icontains=word)
            | Q(name_en__icontains=word)
            | Q(description_nl__icontains=word)
            | Q(description_en__icontains=word)
            | Q(department__customer_name_nl__icontains=word)
            | Q(department__customer_name_en__icontains=word)
            | Q(department__name_nl__icontains=word)
            | Q(department__name_en__icontains=word)
        )
    groups: dict[int, CatalogueGroup] = {}
    for service in services:
        group = groups.setdefault(
            service.department_id, CatalogueGroup(service.department.customer_name, [])
        )
        group.services.append(service)
    for group in groups.values():
        group.services.sort(key=lambda service: service.name.casefold())
    return sorted(groups.values(), key=lambda group: group.heading.casefold())
