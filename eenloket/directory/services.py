"""Writes to the directory: people, staff, queues."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.core.exceptions import ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.models import Department, Organization, Person, Queue, Role, User
from eenloket.directory.phones import phone_display, phone_normalize

__all__ = [
    "login_create_for_person",
    "person_create",
    "person_update",
    "phone_display",
    "phone_normalize",
    "service_account_create",
    "staff_create",
    "user_set_role",
]

PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "mobile", "employee_number")


def _clean_person(
    *, organization: Organization, person: Person | None = None, **values: str
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: (values.get(key) or "").strip() for key in PERSON_FIELDS}
    if not cleaned["last_name"]:
        errors["last_name"] = [_("A last name is required.")]
    if cleaned["email"]:
        cleaned["email"] = cleaned["email"].lower()
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    for key in ("phone", "mobile"):
        try:
            cleaned[key] = phone_normalize(cleaned[key])
        except ValidationFailed:
            errors[key] = [_("Not a valid phone number.")]
    if cleaned["employee_number"]:
        clash = Person.objects.filter(
            organization=organization, employee_number=cleaned["employee_number"]
        )
        if person is not None:
            clash = clash.exclude(pk=person.pk)
        if clash.exists():
            errors["employee_number"] = [
                _("Another person of this organization has this employee number.")
            ]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return cleaned


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    organization: Organization,
    first_name: str = "",
    last_name: str,
    email: str = "",
    phone: str = "",
    mobile: str = "",
    employee_number: str = "",
    job_title: str = "",
    user: User | None = None,
) -> Person:
    cleaned = _clean_person(
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        mobile=mobile,
        employee_number=employee_number,
    )
    person = Person.objects.create(
        organization=organization,
        job_title=job_title.strip(),
        user=user,
        created_at=clock.now(),
        **cleaned,
    )
    audit_record(actor=actor, obj=person, action="created")
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, **values: str) -> Person:
    unknown = set(values) - {*PERSON_FIELDS, "job_title"}
    if unknown:
        raise TypeError(f"person_update() got unknown fields: {sorted(unknown)}")
    current = {key: getattr(person, key) for key in (*PERSON_FIELDS, "job_title")}
    cleaned = _clean_person(
        organization=person.organization, person=person, **{**current, **values}
    )
    cleaned["job_title"] = (values.get("job_title", current["job_title"]) or "").strip()
    changes = {key: (current[key], cleaned[key]) for key in cleaned}
    for key, value in cleaned.items():
        setattr(person, key, value)
    person.save()
    audit_record(actor=actor, obj=person, action="updated", changes=changes)
    return person


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    first_name: str,
    last_name: str,
    email: str,
    departments: Iterable[Department] = (),
    organization: Organization | None = None,
    phone: str = "",
    employee_number: str = "",
    job_title: str = "",
) -> User:
    """A staff login; with an organization it also gets a customer record (staff are customers
    of the other departments)."""
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(field_errors={"username": [_("This username is taken.")]})
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    user.departments.set(departments)
    if organization is not None:
        person_create(
            actor=actor,
            organization=organization,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            employee_number=employee_number,
            job_title=job_title,
            user=user,
        )
    audit_record(actor=actor, obj=user, action="created", changes={"role": ("", role)})
    return user


@transaction.atomic
def service_account_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    role: Role,
    departments: Iterable[Department] = (),
    organization: Organization | None = None,
) -> User:
    """A login without a password that a system acts as (an API key's user).

    With an organization it is that organization's contact: a customer record that sees every
    ticket of the organization, as a contact person does in the portal.
    """
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(field_errors={"username": [_("This username is taken.")]})
    user = User(username=username, first_name=name[:150], role=role)
    user.set_unusable_password()
    user.save()
    user.departments.set(departments)
    if organization is not None:
        person = person_create(actor=actor, organization=organization, last_name=name, user=user)
        person.sees_organization_tickets = True
        person.save(update_fields=["sees_organization_tickets"])
    audit_record(actor=actor, obj=user, action="created", changes={"role": ("", role)})
    return user


def queue_create(
    *, code: str, name: str, department: Department | None, is_default: bool = True
) -> Queue:
    line = Queue.Line.SECOND if department else Queue.Line.FIRST
    return Queue.objects.create(
        code=code, name=name, department=department, line=line, is_default=is_default
    )


@transaction.atomic
def login_create_for_person(
    *,
    actor: User | None,
    username: str,
    organization: Organization,
    first_name: str,
    last_name: str,
    email: str,
    employee_number: str = "",
    person: Person | None = None,
) -> User:
    """A login without a password for someone who logs in through their organization's
    identity provider: the existing person record gets it, or a new person is created."""
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(field_errors={"username": [_("This username is taken.")]})
    user = User(
        username=username,
        first_name=first_name[:150],
        last_name=last_name[:150],
        email=email,
        role=Role.CUSTOMER,
    )
    user.set_unusable_password()
    user.save()
    if person is None:
        person_create(
            actor=actor,
            organization=organization,
            first_name=first_name,
            last_name=last_name or username,
            email=email,
            employee_number=employee_number,
            user=user,
        )
    else:
        if person.user_id is not None:
            raise ValidationFailed(_("This person already has a login."))
        person.user = user
        person.save(update_fields=["user"])
        audit_record(actor=actor, obj=person, action="updated", changes={"user": ("", username)})
    audit_record(actor=actor, obj=user, action="created", changes={"role": ("", Role.CUSTOMER)})
    return user


@transaction.atomic
def user_set_role(
    *, actor: User | None, user: User, role: Role, departments: Iterable[Department] = ()
) -> User:
    """Give a login its role and department memberships (single sign-on maps them from the
    provider's groups). Only administrators may use the Django admin."""
    departments = list(departments)
    old_role = user.role
    old_departments = sorted(user.departments.values_list("code", flat=True))
    new_departments = sorted(d.code for d in departments)
    admin = role == Role.ADMINISTRATOR
    if (old_role, old_departments, user.is_staff, user.is_superuser) == (
        role,
        new_departments,
        admin,
        admin,
    ):
        return user
    user.role = role
    user.is_staff = user.is_superuser = admin
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    user.departments.set(departments)
    audit_record(
        actor=actor,
        obj=user,
        action="updated",
        changes={
            "role": (old_role, role),
            "departments": (",".join(old_departments), ",".join(new_departments)),
        },
    )
    return user
