"""Reads from the catalogue."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from eenloket.catalog.exceptions import SlaTargetMissing, UnknownService
from eenloket.catalog.models import RequestField, Service, SlaPolicy, SlaTarget
from eenloket.core import refcache


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
    """The fields of the service's request form, in order (cached per process: read only)."""
    return list(_request_fields_by_service().get(service.pk, ()))


def sla_targets(*, policy_id: int, priority: str) -> tuple[timedelta, timedelta]:
    """Response and resolution targets in business time."""
    target = _sla_targets_cached().get((policy_id, priority))
    if target is None:
        raise SlaTargetMissing()
    return target


# --- reference data cached per process (see core/refcache.py) ----------------------------
# Returned instances are shared between requests: read them, never change them.


@refcache.reference("catalog.request_fields", models=[RequestField])
def _request_fields_by_service() -> dict[int, tuple[RequestField, ...]]:
    fields: dict[int, list[RequestField]] = {}
    for field in RequestField.objects.order_by("order", "id"):
        fields.setdefault(field.service_id, []).append(field)
    return {service_id: tuple(rows) for service_id, rows in fields.items()}


@refcache.reference("catalog.sla_targets", models=[SlaTarget])
def _sla_targets_cached() -> dict[tuple[int, str], tuple[timedelta, timedelta]]:
    return {
        (target.policy_id, target.priority): (
            timedelta(minutes=target.response_minutes),
            timedelta(minutes=target.resolution_minutes),
        )
        for target in SlaTarget.objects.all()
    }


# The department's name is shown with the service; its model is the directory's own.
_Department = Service._meta.get_field("department").related_model


@refcache.reference("catalog.services", models=[Service, SlaPolicy, _Department])
def services_cached() -> dict[int, Service]:
    """Every service (active or not) with its department and SLA policy, by id, in the
    order of service_list()."""
    services = Service.objects.select_related("department", "sla_policy")
    return {s.pk: s for s in services.order_by("department__name_nl", "name_nl")}


def services_active_cached() -> list[Service]:
    """The active services as service_list() gives them (without a query or a department)."""
    return [s for s in services_cached().values() if s.is_active]


def service_get_cached(*, service_id: int | str | None = None, code: str | None = None) -> Service:
    """service_get from the per-process cache: for opening tickets, which only read it."""
    try:
        if code is not None:
            service = next((s for s in services_cached().values() if s.code == code), None)
        else:
            service = services_cached().get(int(service_id))
    except (ValueError, TypeError):
        service = None
    if service is None or not service.is_active:
        raise UnknownService()
    return service


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
