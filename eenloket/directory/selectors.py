"""Reads from the directory, scoped by the actor."""

import functools
import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from eenloket.accesslog import services as access
from eenloket.core import refcache
from eenloket.core.exceptions import NotFound
from eenloket.directory.exceptions import InvalidPhoneNumber, PersonNotFound, QueueMissing
from eenloket.directory.models import Department, Organization, Person, Queue, User
from eenloket.directory.phones import phone_normalize
from eenloket.directory.roles import DESK_WIDE_ROLES, STAFF_ROLES, TICKET_ROLES


def person_search(*, actor: User, query: str, limit: int = 10) -> QuerySet[Person]:
    """Find a caller by name, email, phone number or employee number (staff only)."""
    if not actor.is_desk_staff:
        return Person.objects.none()
    query = query.strip()
    people = Person.objects.filter(is_active=True).select_related("organization")
    if not query:
        return people.none()
    conditions = Q(employee_number__iexact=query)
    if "@" in query:
        conditions |= Q(email__istartswith=query)
    if re.fullmatch(r"[\d\s()+\-.]{6,}", query):
        try:
            number = phone_normalize(query)
        except InvalidPhoneNumber:  # a partial number is no error while typing
            number = ""
        if number:
            conditions |= Q(phone=number) | Q(mobile=number)
    words = query.split()
    name_condition = Q()
    for word in words:
        name_condition &= Q(first_name__istartswith=word) | Q(last_name__icontains=word)
    conditions |= name_condition
    return people.filter(conditions).order_by("last_name", "first_name", "id")[:limit]


def person_get(*, actor: User, person_id: int, related: bool = True) -> Person:
    """A person the actor may see; `related=False` leaves the organization and the login
    unread (half the cost, for a caller that needs the person's own columns only)."""
    people = Person.objects.select_related("organization", "user") if related else Person.objects
    if not actor.is_desk_staff:
        people = people.filter(user=actor)
    try:
        person = people.get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        access.access_refused(kind=access.ObjectKind.PERSON, ref=person_id)
        raise PersonNotFound() from None
    access.access_note(kind=access.ObjectKind.PERSON, ref=person.pk, person_id=person.pk)
    return person


def person_names(*, ids) -> dict[int, str]:
    """Full names by id, one query (for lists that refer to people by id, like the access log)."""
    return {
        person.pk: person.full_name
        for person in Person.objects.filter(pk__in=set(ids)).only("first_name", "last_name")
    }


def person_for_user(user: User) -> Person | None:
    return Person.objects.select_related("organization").filter(user=user).first()


def person_find_by_email(email: str) -> Person | None:
    return (
        Person.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower(), is_active=True)
        .select_related("organization")
        .order_by("id")
        .first()
    )


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True).order_by("name")


def organizations_visible_to(actor: User) -> QuerySet[Organization]:
    """The organizations a login may read: staff all of them, a customer only their own (one
    municipality has no business listing the others a shared services center serves)."""
    organizations = organization_list()
    if actor.is_desk_staff:
        return organizations
    return organizations.filter(people__user=actor)


def organization_get(*, actor: User, organization_id: int) -> Organization:
    try:
        return organizations_visible_to(actor).get(pk=organization_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def department_list() -> QuerySet[Department]:
    return Department.objects.order_by("name_nl")


def queue_list() -> QuerySet[Queue]:
    return Queue.objects.select_related("department").order_by("line", "name")


def queue_first_line() -> Queue:
    queue = next((q for q in queues_cached() if q.line == Queue.Line.FIRST and q.is_default), None)
    if queue is None:
        raise QueueMissing("There is no default first-line queue.")
    return queue


def queue_of_department(department: Department) -> Queue:
    department_id = getattr(department, "pk", department)
    queue = next(
        (q for q in queues_cached() if q.department_id == department_id and q.is_default), None
    )
    if queue is None:
        raise QueueMissing()
    return queue


def queue_ids_of_departments(department_ids: list[int]) -> QuerySet:
    """The ids of the departments' queues, as a subquery (always current: it decides scope)."""
    return Queue.objects.filter(department_id__in=department_ids).values("id")


# --- reference data cached per process (see core/refcache.py) ----------------------------
# Returned lists and instances are shared between requests: read them, never change them.


@refcache.reference("directory.queues", models=[Queue, Department])
def queues_cached() -> list[Queue]:
    """Every queue with its department, in the order of queue_list()."""
    return list(queue_list())


@refcache.reference("directory.departments", models=[Department])
def departments_cached() -> list[Department]:
    """Every department, in the order of department_list()."""
    return list(department_list())


@refcache.reference("directory.organizations", models=[Organization])
def organizations_cached() -> dict[int, Organization]:
    """Every organization (active or not) by id, by name."""
    return {o.pk: o for o in Organization.objects.order_by("name")}


def organizations_active_cached() -> list[Organization]:
    """The active organizations by name, as organization_list() gives them."""
    return [o for o in organizations_cached().values() if o.is_active]


@refcache.reference("directory.staff", models=[User])
def staff_choices_cached() -> list[tuple[int, str]]:
    """(id, name) of every active colleague who works tickets, as staff_list() orders them."""
    return [(user.pk, user.get_full_name() or user.username) for user in staff_list()]


def queue_get(queue_id: int) -> Queue:
    try:
        return Queue.objects.select_related("department").get(pk=queue_id)
    except (Queue.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def staff_who_can_work(*, department_id: int | None) -> QuerySet[User]:
    """Active colleagues who may be assigned a ticket in a queue of this department
    (None: the first-line queue): the whole desk, plus the department's specialists."""
    can_work = Q(role__in=DESK_WIDE_ROLES)
    if department_id:
        can_work |= Q(departments__id=department_id)
    return (
        User.objects.filter(can_work, is_active=True, role__in=TICKET_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def staff_list() -> QuerySet[User]:
    """Every active colleague who works tickets, for the workspace's assignee filter."""
    return User.objects.filter(is_active=True, role__in=TICKET_ROLES).order_by(
        "first_name", "last_name", "username"
    )


def active_staff() -> QuerySet[User]:
    """Active staff of every role, by name: owners of change actions, members of groups."""
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by(
        "first_name", "last_name", "username"
    )


def person_by_employee_number(employee_number: str) -> Person | None:
    """The one active person with this employee number; None when none or several match
    (numbers are unique per organization, not across them)."""
    number = (employee_number or "").strip()
    if not number:
        return None
    found = list(Person.objects.filter(employee_number__iexact=number, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def people_by_phone(*, number: str, limit: int = 5, details: bool = True) -> list[Person]:
    """Active people with this E.164 number as phone or mobile (caller identification).

    `details=False`: only their ids and organization ids are loaded (the exchange's events
    store no more); the other fields load when first used."""
    if not number:
        return []
    if not details:
        return _people_by_phone_ids(number, limit)
    return list(
        Person.objects.filter(Q(phone=number) | Q(mobile=number), is_active=True)
        .select_related("organization")
        .order_by("last_name", "first_name", "id")[:limit]
    )


@functools.cache
def _people_by_phone_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    column = {f.name: q(f.column) for f in Person._meta.concrete_fields}
    return (
        f"SELECT {column['id']}, {column['organization']} FROM {q(Person._meta.db_table)} "  # noqa: S608
        f"WHERE ({column['phone']} = %s OR {column['mobile']} = %s) "
        f"AND {column['is_active']} = %s "
        f"ORDER BY {column['last_name']}, {column['first_name']}, {column['id']} LIMIT %s"
    )


def _people_by_phone_ids(number: str, limit: int) -> list[Person]:
    """people_by_phone's query written out, ids only: composed by the ORM it was most of the
    work of a telephone exchange's newCall event."""
    with connection.cursor() as cursor:
        cursor.execute(_people_by_phone_sql(connection.vendor), [number, number, True, limit])
        rows = cursor.fetchall()
    return [Person.from_db(connection.alias, ["id", "organization_id"], row) for row in rows]


def organizations_by_phone(*, number: str) -> list[Organization]:
    """Organizations whose switchboard number is this E.164 number."""
    if not number:
        return []
    return list(Organization.objects.filter(is_active=True, phone_e164=number))


def known_phone_numbers(*, limit: int = 50) -> list[str]:
    """Some E.164 numbers of active people (the call simulator rings from them)."""
    return list(
        Person.objects.filter(is_active=True)
        .exclude(phone="")
        .order_by("id")
        .values_list("phone", flat=True)[:limit]
    )


def person_in_organization(
    *, organization: Organization, email: str = "", employee_number: str = ""
) -> Person | None:
    """The active person of this organization with this employee number or, failing that,
    this email address (for single sign-on: a provider speaks only for its organization)."""
    people = Person.objects.filter(organization=organization, is_active=True).select_related("user")
    number = (employee_number or "").strip()
    if number:
        found = people.filter(employee_number=number).first()
        if found is not None:
            return found
    address = (email or "").strip().lower()
    if address:
        return (
            people.annotate(email_lower=Lower("email"))
            .filter(email_lower=address)
            .order_by("id")
            .first()
        )
    return None


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()
