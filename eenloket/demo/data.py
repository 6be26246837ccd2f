"""Load the demo: a Drechtsteden-like shared services center with months of history.

`load_reference_data()` puts in what the desk runs on (calendars, SLA policies, the eleven
customer organizations, eight departments, queues, the service catalogue with request forms,
a few hundred people and the staff logins); `load_demo()` adds tickets replayed through the
real ticket services. Both are idempotent: a second run finds what is there and adds nothing.

People and logins go through `directory.services`; the catalogue and calendars have no write
services (they are maintained in the admin), so they are written here as rows.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time

from django.db import transaction

from eenloket.catalog.models import RequestField, Service, SlaPolicy, SlaTarget
from eenloket.core import clock, refcache
from eenloket.core.calendars import forget_calendar, schedule_for_calendar
from eenloket.core.models import AuditEvent, BusinessCalendar, Closure, OpeningHours
from eenloket.core.services import audit_record
from eenloket.demo import catalogue as cat
from eenloket.demo.history import AMSTERDAM, World, replay
from eenloket.demo.knowledge import load_knowledge
from eenloket.demo.people import DEMO_LOGINS, FIRST_NAMES, JOB_TITLES, KLANT, LAST_NAMES, STAFF
from eenloket.demo.surveys import load_survey_history
from eenloket.demo.transition import load_transition
from eenloket.directory.models import Department, Organization, Person, Queue, User
from eenloket.directory.roles import Role
from eenloket.directory.services import person_create, person_update, queue_create, staff_create
from eenloket.tickets.models import Attachment, Handover, Ticket, TicketEntry

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "load_demo", "load_reference_data"]

Progress = Callable[[str], None]

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password
# Marks that the history was loaded; a second `load_demo` then reuses it.
HISTORY_MARKER = "demo_history_loaded"
PEOPLE_SEED = 2026


def _quiet(message: str) -> None:
    """The default progress reporter: says nothing."""


# --- reference data ----------------------------------------------------------------------


def _calendars() -> dict[str, BusinessCalendar]:
    calendars = {}
    for name, rows in cat.CALENDARS.items():
        calendar, _ = BusinessCalendar.objects.get_or_create(
            name=name, defaults={"timezone": "Europe/Amsterdam", "holiday_country": "NL"}
        )
        if not calendar.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    calendar=calendar,
                    weekday=day,
                    opens=clock_time.fromisoformat(opens),
                    closes=clock_time.fromisoformat(closes),
                )
                for day, opens, closes in rows
            )
        calendars[name] = calendar
    office = calendars[cat.OFFICE]
    if not office.closures.filter(reason=cat.TEAM_DAY_REASON).exists():
        # A team day on a Friday some six weeks back, so the history shows a closed day.
        today = clock.now().astimezone(AMSTERDAM).date()
        day = today - timedelta(weeks=6)
        day -= timedelta(days=(day.weekday() - 4) % 7)
        Closure.objects.get_or_create(
            calendar=office, date=day, defaults={"reason": cat.TEAM_DAY_REASON}
        )
    return calendars


def _policies(calendars: dict[str, BusinessCalendar]) -> dict[str, SlaPolicy]:
    policies = {}
    for name, (calendar, description, targets) in cat.SLA_POLICIES.items():
        policy, _ = SlaPolicy.objects.get_or_create(
            name=name, defaults={"calendar": calendars[calendar], "description": description}
        )
        present = set(policy.targets.values_list("priority", flat=True))
        SlaTarget.objects.bulk_create(
            SlaTarget(policy=policy, priority=p, response_minutes=r, resolution_minutes=s)
            for p, (r, s) in targets.items()
            if p not in present
        )
        policies[name] = policy
    return policies


def _organizations() -> dict[str, Organization]:
    organizations = {}
    for org in cat.ORGANIZATIONS:
        organizations[org.key], _ = Organization.objects.get_or_create(
            name=org.name,
            defaults={"short_name": org.short_name, "email_domain": org.domain, "phone": org.phone},
        )
    return organizations


def _departments() -> dict[str, Department]:
    departments = {}
    for code, name_nl, name_en in cat.DEPARTMENTS:
        customer_nl, customer_en = cat.CUSTOMER_NAMES.get(code, ("", ""))
        departments[code], _ = Department.objects.get_or_create(
            code=code,
            defaults={
                "name_nl": name_nl,
                "name_en": name_en,
                "customer_name_nl": customer_nl,
                "customer_name_en": customer_en,
            },
        )
    return departments


def _queues(departments: dict[str, Department]) -> int:
    code, name = cat.FIRST_LINE_QUEUE
    if not Queue.objects.filter(code=code).exists():
        queue_create(code=code, name=name, department=None)
    for department in departments.values():
        if not Queue.objects.filter(code=department.code).exists():
            queue_create(
                code=department.code,
                name=f"Tweede lijn {department.name_nl}",
                department=department,
            )
    return Queue.objects.filter(code__in=[code, *departments]).count()


def _services(departments: dict[str, Department], policies: dict[str, SlaPolicy]) -> int:
    existing = set(Service.objects.values_list("code", flat=True))
    for spec in cat.SERVICES:
        if spec.code in existing:
            continue
        service = Service.objects.create(
            code=spec.code,
            name_nl=spec.name_nl,
            name_en=spec.name_en,
            description_nl=spec.description_nl,
            description_en=spec.description_en,
            department=departments[spec.department],
            kind=spec.kind,
            default_impact=spec.impact,
            default_urgency=spec.urgency,
            sla_policy=policies[spec.policy],
            routing=spec.routing,
        )
        RequestField.objects.bulk_create(
            RequestField(
                service=service,
                key=field.key,
                label_nl=field.label_nl,
                label_en=field.label_en,
                field_type=field.type,
                required=field.required,
                choices=list(field.choices),
                min_value=field.min_value,
                max_value=field.max_value,
                order=order,
            )
            for order, field in enumerate(spec.fields)
        )
    return Service.objects.filter(code__in=[s.code for s in cat.SERVICES]).count()


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == " ").replace(" ", "")


def _email(first: str, last: str, domain: str, taken: set[str]) -> str:
    base = f"{_ascii(first)}.{_ascii(last)}"
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


def _landline(rng: random.Random, area: str) -> str:
    digits = 10 - len(area)  # Dutch numbers have ten digits with the area code
    return f"{area}-{rng.randint(2, 9)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


def _mobile(rng: random.Random) -> str:
    return f"06-{rng.randint(1, 5)}{rng.randrange(10**7):07d}"


def _people(organizations: dict[str, Organization], count: int) -> None:
    """`count` customers spread over the organizations by size; the same ones on every run."""
    rng = random.Random(PEOPLE_SEED)
    orgs = list(cat.ORGANIZATIONS)
    weights = [org.weight for org in orgs]
    existing = {
        (org_id, number)
        for org_id, number in Person.objects.exclude(employee_number="").values_list(
            "organization_id", "employee_number"
        )
    }
    taken = {email.lower() for email in Person.objects.values_list("email", flat=True)}
    serial: dict[str, int] = {}
    for _ in range(count):
        org = rng.choices(orgs, weights=weights)[0]
        serial[org.key] = serial.get(org.key, 0) + 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = f"{org.prefix}{10000 + serial[org.key] * 7}"
        phone = _landline(rng, org.area_code) if rng.random() < 0.7 else ""
        mobile = _mobile(rng) if rng.random() < 0.6 else ""
        title = rng.choice(JOB_TITLES)
        organization = organizations[org.key]
        if (organization.pk, number) in existing:
            continue
        person_create(
            actor=None,
            organization=organization,
            first_name=first,
            last_name=last,
            email=_email(first, last, org.domain, taken),
            phone=phone,
            mobile=mobile,
            employee_number=number,
            job_title=title,
        )


def _staff(organizations: dict[str, Organization], departments: dict[str, Department]) -> int:
    domains = {org.key: org.domain for org in cat.ORGANIZATIONS}
    for member in STAFF:
        if User.objects.filter(username=member.username).exists():
            continue
        home = cat.DORDRECHT_KEY if member.username == KLANT else cat.SSC_KEY
        user = staff_create(
            actor=None,
            username=member.username,
            password=DEMO_PASSWORD,
            role=Role(member.role),
            first_name=member.first_name,
            last_name=member.last_name,
            email=f"{_ascii(member.first_name)}.{_ascii(member.last_name)}@{domains[home]}",
            departments=[departments[code] for code in member.departments],
            organization=organizations[home],
        )
        if member.username == KLANT:
            person = Person.objects.get(user=user)
            person_update(
                actor=None,
                person=person,
                phone="078-7708342",
                mobile="06-41873520",
                employee_number="DOR20417",
            )
            # person_update leaves the job title alone; it is not one of its fields.
            Person.objects.filter(pk=person.pk).update(job_title="Medewerker vergunningen")
    return User.objects.filter(username__in=[m.username for m in STAFF]).count()


def load_reference_data(*, progress: Progress = _quiet, people: int = 300) -> dict[str, int]:
    """Idempotent: calendars, SLA policies, the 11 organizations, 8 departments, queues,
    >= 40 services with request forms, a few hundred people, staff logins. Returns counts per
    kind."""
    with transaction.atomic():
        progress("Calendars and service levels ...")
        calendars = _calendars()
        policies = _policies(calendars)
        progress("Organizations, departments and queues ...")
        organizations = _organizations()
        departments = _departments()
        queues = _queues(departments)
        progress("The service catalogue ...")
        services = _services(departments, policies)
        progress("People ...")
        _people(organizations, people)
        progress("Staff logins ...")
        staff = _staff(organizations, departments)
    # A calendar row may have changed under a cached schedule (and reference data likewise).
    forget_calendar()
    refcache.forget()
    return {
        "calendars": len(calendars),
        "sla_policies": len(policies),
        "organizations": len(organizations),
        "departments": len(departments),
        "queues": queues,
        "services": services,
        "request_fields": RequestField.objects.filter(
            service__code__in=[s.code for s in cat.SERVICES]
        ).count(),
        "people": Person.objects.filter(organization__in=organizations.values()).count(),
        "staff": staff,
    }


# --- the history -------------------------------------------------------------------------


def demo_world(now: datetime) -> World:
    """The loaded reference data, as the history replay needs it."""
    services = {s.code: s for s in Service.objects.filter(code__in=cat.SERVICE_BY_CODE)}
    targets = {}
    for code, service in services.items():
        targets[code] = {
            t.priority: (t.response_minutes, t.resolution_minutes)
            for t in SlaTarget.objects.filter(policy_id=service.sla_policy_id)
        }
    users = {u.username: u for u in User.objects.filter(username__in=[m.username for m in STAFF])}
    specialists: dict[str, list[User]] = {}
    for member in STAFF:
        for code in member.departments:
            specialists.setdefault(code, []).append(users[member.username])
    agents = [users[m.username] for m in STAFF if m.role == Role.FIRST_LINE]
    demo_orgs = [org.name for org in cat.ORGANIZATIONS]
    customers = list(
        Person.objects.filter(
            organization__name__in=demo_orgs, user__isnull=True, is_active=True
        ).order_by("organization__name", "employee_number", "id")
    )
    office = BusinessCalendar.objects.get(name=cat.OFFICE)
    return World(
        schedule=schedule_for_calendar(office.pk),
        now=now,
        services=services,
        departments={d.code: d for d in Department.objects.filter(code__in=cat.DEPARTMENT_CODES)},
        targets=targets,
        customers=customers,
        agents=agents,
        specialists=specialists,
        klant=users[KLANT],
        klant_person=Person.objects.get(user=users[KLANT]),
        hr_specialist=users["specialist-hr"],
        hr_specialist_person=Person.objects.get(user=users["specialist-hr"]),
    )


def _history_queue() -> Queue:
    return Queue.objects.get(code=cat.FIRST_LINE_QUEUE[0])


def _history_loaded() -> bool:
    queue = _history_queue()
    return AuditEvent.objects.filter(
        object_type=queue._meta.label_lower, object_id=str(queue.pk), action=HISTORY_MARKER
    ).exists()


def _phone(progress: Progress) -> dict[str, int]:
    from eenloket.channels.phone.demo import load_phone_demo
    from eenloket.tickets.choices import Channel

    demo_organizations = [org.name for org in cat.ORGANIZATIONS]
    return load_phone_demo(
        tickets=list(
            Ticket.objects.filter(channel=Channel.PHONE, organization__name__in=demo_organizations)
            .select_related("requester")
            .order_by("opened_at")
        ),
        people=list(
            Person.objects.filter(organization__name__in=demo_organizations, is_active=True)
            .exclude(phone="")
            .order_by("id")[:120]
        ),
        agents=list(User.objects.filter(role=Role.FIRST_LINE, is_active=True).order_by("username")),
        progress=progress,
    )


def _counter(progress: Progress) -> dict[str, int]:
    from eenloket.channels.counter.demo import load_counter_demo

    people = list(Person.objects.filter(user__username=KLANT)) + list(
        Person.objects.filter(user__isnull=True, employee_number__gt="").order_by("id")[:8]
    )
    return load_counter_demo(
        agent=User.objects.get(username="servicedesk"), people=people, progress=progress
    )


def load_demo(
    *, progress: Progress = _quiet, tickets: int = 500, seed: int = 2026
) -> dict[str, int]:
    """Idempotent: load_reference_data() and then ~`tickets` tickets with believable
    timelines, unless demo tickets already exist (running it again reuses the data). Returns
    counts (organizations, departments, services, people, staff, tickets, entries, ...)."""
    counts = load_reference_data(progress=progress)
    counts["articles"] = load_knowledge(progress=progress)
    if _history_loaded():
        progress("The demo tickets are there already; reusing them.")
    else:
        progress(f"Replaying {tickets} tickets through the ticket services ...")
        now = clock.now()
        with transaction.atomic():
            replay(demo_world(now), tickets=tickets, seed=seed, progress=progress)
            load_survey_history(now=now, seed=seed, progress=progress)
            with clock.frozen_at(now):
                audit_record(actor=None, obj=_history_queue(), action=HISTORY_MARKER)
    progress("The transition: departments, ADKAR rounds, communication plan ...")
    transition_counts = load_transition(now=clock.now())
    counts.update(_counter(progress))
    counts.update(_phone(progress))
    demo_tickets = Ticket.objects.filter(
        organization__name__in=[org.name for org in cat.ORGANIZATIONS]
    )
    return {
        **counts,
        **transition_counts,
        "tickets": demo_tickets.count(),
        "entries": TicketEntry.objects.filter(ticket__in=demo_tickets).count(),
        "handovers": Handover.objects.filter(ticket__in=demo_tickets).count(),
        "attachments": Attachment.objects.filter(entry__ticket__in=demo_tickets).count(),
    }
