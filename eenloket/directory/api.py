"""The directory router of /api/v1/: people, organizations, departments and queues."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from eenloket.accesslog.services import access_note_people
from eenloket.core.exceptions import NotFound
from eenloket.directory.exceptions import InvalidPhoneNumber
from eenloket.directory.phones import phone_normalize
from eenloket.directory.selectors import (
    department_list,
    organization_get,
    organizations_visible_to,
    person_get,
    person_search,
    queue_list,
)
from eenloket.integrations.api_common import ERRORS

router = Router(tags=["directory"])


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    email_domain: str
    phone: str


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    mobile: str
    employee_number: str
    job_title: str
    organization: OrganizationOut
    is_active: bool


class DepartmentOut(Schema):
    id: int
    code: str
    name: str


class QueueOut(Schema):
    id: int
    code: str
    name: str
    line: str
    department: DepartmentOut | None


class PeopleQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Name, email, phone or number.")
    email: str | None = Field(None, max_length=254, description="Exact email address.")
    phone: str | None = Field(None, max_length=40, description="A phone or mobile number.")
    employee_number: str | None = Field(None, max_length=30)
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/people",
    response={200: list[PersonOut], **ERRORS},
    summary="Find customers by name, email, phone or employee number (staff)",
)
def people_find(request, query: Query[PeopleQuery]):
    text = query.email or query.phone or query.employee_number or query.q or ""
    if query.phone:
        try:
            text = phone_normalize(query.phone) or query.phone
        except InvalidPhoneNumber:
            return []
    people = list(person_search(actor=request.user, query=text, limit=query.limit))
    # The search also matches names and prefixes; a lookup by one key wants exact matches.
    if query.email:
        people = [p for p in people if p.email.lower() == query.email.strip().lower()]
    if query.phone:
        people = [p for p in people if text in (p.phone, p.mobile)]
    if query.employee_number:
        wanted = query.employee_number.strip().lower()
        people = [p for p in people if p.employee_number.lower() == wanted]
    access_note_people(people=people)
    return people


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="A person")
def person_read(request, person_id: int):
    return person_get(actor=request.user, person_id=person_id)


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    summary="Customer organizations (staff: all; a customer: their own)",
)
def organizations(request):
    return list(organizations_visible_to(request.user))


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    summary="A customer organization",
)
def organization_read(request, organization_id: int):
    return organization_get(actor=request.user, organization_id=organization_id)


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS}, summary="Departments")
def departments(request):
    return list(department_list())


@router.get("/queues", response={200: list[QueueOut], **ERRORS}, summary="Work queues (staff only)")
def queues(request):
    if not request.user.is_desk_staff:
        return []
    return list(queue_list())


@router.get("/queues/{queue_id}", response={200: QueueOut, **ERRORS}, summary="A work queue")
def queue_read(request, queue_id: int):
    queue = queue_list().filter(pk=queue_id).first()
    if queue is None or not request.user.is_desk_staff:
        raise NotFound()
    return queue
