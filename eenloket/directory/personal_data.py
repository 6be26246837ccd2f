"""The personal data the directory holds, published for the privacy app: the person record
and its login, their export and anonymization, and each organization's anonymous person."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from eenloket.directory.models import Organization, Person, User

ANONYMOUS_FIRST_NAME = "Anoniem"


def person_find(person_id: int) -> Person | None:
    return Person.objects.select_related("organization", "user").filter(pk=person_id).first()


def person_texts(person: Person) -> list[str]:
    """The strings that identify the person, to find them in free text elsewhere."""
    values = [person.email, person.phone, person.mobile, person.employee_number]
    if person.user_id:
        values += [person.user.username, person.user.email]
    return [value for value in values if value and len(value) >= 4]


def person_export(person: Person) -> dict[str, Any]:
    record = {
        "organization": person.organization.name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "mobile": person.mobile,
        "employee_number": person.employee_number,
        "job_title": person.job_title,
        "sees_organization_tickets": person.sees_organization_tickets,
        "active": person.is_active,
        "created_at": person.created_at.isoformat(),
        "login": None,
    }
    if person.user_id:
        user = person.user
        record["login"] = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
    return record


def person_user_id(person: Person) -> int | None:
    return person.user_id


def organization_ids() -> list[int]:
    return list(Organization.objects.order_by("pk").values_list("pk", flat=True))


def organization_names() -> dict[int, str]:
    return dict(Organization.objects.values_list("pk", "name"))


def anonymous_person_id(organization_id: int) -> int:
    """The person that anonymized tickets of an organization are moved to."""
    person = (
        Person.objects.filter(
            organization_id=organization_id,
            first_name=ANONYMOUS_FIRST_NAME,
            last_name="",
            email="",
            user__isnull=True,
            is_active=False,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person.objects.create(
            organization_id=organization_id, first_name=ANONYMOUS_FIRST_NAME, is_active=False
        )
    return person.pk


@transaction.atomic
def person_anonymize(person: Person) -> None:
    """Blank every detail of the person and of their login; the row stays, so that their
    tickets, calls and visits stay counted for their organization."""
    user_id = person.user_id
    Person.objects.filter(pk=person.pk).update(
        first_name=ANONYMOUS_FIRST_NAME,
        last_name="",
        email="",
        phone="",
        mobile="",
        employee_number="",
        job_title="",
        user=None,
        sees_organization_tickets=False,
        is_active=False,
    )
    if user_id is not None:
        user = User.objects.get(pk=user_id)
        user.username = f"verwijderd-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()


def person_search(*, query: str, limit: int = 20) -> list[Person]:
    """People by name, email, phone or employee number, inactive ones too (an erasure may be
    asked by someone who left), anonymized ones not."""
    query = query.strip()
    if not query:
        return []
    condition = Q(email__iexact=query) | Q(employee_number__iexact=query)
    condition |= Q(phone__contains=query) | Q(mobile__contains=query)
    words = Q()
    for word in query.split():
        words &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    condition |= words
    return list(
        Person.objects.filter(condition)
        .exclude(first_name=ANONYMOUS_FIRST_NAME, last_name="")
        .select_related("organization")
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def person_by_id_or_email(value: str) -> Person | None:
    """For the command line: a person id, or an email address that names one person."""
    value = value.strip()
    if value.isdigit():
        return person_find(int(value))
    people = list(Person.objects.filter(email__iexact=value)[:2])
    return people[0] if len(people) == 1 else None
