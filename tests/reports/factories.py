"""A small hand-made desk history with known answers for every KPI (see test_selectors).

Period under test: Monday 13 to Sunday 19 April 2026; the previous period is the week before.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import count
from zoneinfo import ZoneInfo

from eenloket.surveys.models import (
    PulseAnswer,
    PulseRound,
    SurveyInvitation,
    SurveyResponse,
)
from eenloket.tickets.models import Handover, Ticket
from tests import factories as f

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 4, 20, 10, 0, tzinfo=AMS)
_numbers = count(1)


def at(day: int, hour: int = 10, month: int = 4) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=AMS)


def make_ticket(desk, *, service, opened_at, **fields) -> Ticket:
    defaults = {
        "number": f"M2026-9{next(_numbers):04d}",
        "title": "Vraag",
        "requester": desk.person,
        "organization": desk.organization,
        "service": service,
        "department": service.department,
        "queue": desk.first_line_queue,
        "channel": "phone",
        "status": "new",
        "line": "first",
        "impact": "low",
        "urgency": "medium",
        "priority": "P3",
        "opened_at": opened_at,
        "updated_at": opened_at,
    }
    defaults.update(fields)
    if defaults["status"] in ("resolved", "closed") and "resolved_at" not in fields:
        defaults["resolved_at"] = opened_at + dt.timedelta(
            seconds=defaults.get("resolution_business_seconds") or 0
        )
    return Ticket.objects.create(**defaults)


def invite(ticket, *, grade=None, answered=None, comment=""):
    invitation = SurveyInvitation.objects.create(
        ticket=ticket,
        person=ticket.requester,
        nonce="n" * 32,
        created_at=ticket.resolved_at,
        closes_at=ticket.resolved_at + dt.timedelta(days=14),
        organization_id=ticket.organization_id,
        department_id=ticket.department_id,
        service_id=ticket.service_id,
        channel=ticket.channel,
    )
    if grade is not None:
        SurveyResponse.objects.create(
            invitation=invitation,
            ticket=ticket,
            organization_id=ticket.organization_id,
            department_id=ticket.department_id,
            service_id=ticket.service_id,
            channel=ticket.channel,
            grade=grade,
            answered=answered,
            comment=comment,
            resolved_at=ticket.resolved_at,
            created_at=ticket.resolved_at,
            updated_at=ticket.resolved_at,
        )
    return invitation


@dataclass
class History:
    t1: Ticket
    t2: Ticket
    t3: Ticket
    t4: Ticket
    t5: Ticket
    t6: Ticket
    other_organization: object


def make_history(desk) -> History:
    zwijndrecht = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    other_person = f.PersonFactory(organization=zwijndrecht)
    # T1: IT, phone, solved at first contact, closed.
    t1 = make_ticket(
        desk,
        service=desk.laptop,
        opened_at=at(14),
        status="closed",
        first_contact_resolution=True,
        first_response_at=at(14),
        response_business_seconds=0,
        resolution_business_seconds=0,
    )
    # T2: IT, portal, handed over (not returned), resolved late.
    t2 = make_ticket(
        desk,
        service=desk.laptop,
        opened_at=at(14, 11),
        channel="portal",
        status="resolved",
        line="second",
        queue=desk.it_queue,
        handover_count=1,
        first_response_at=at(14, 12),
        response_business_seconds=3600,
        resolution_business_seconds=7200,
        resolution_breached=True,
    )
    Handover.objects.create(
        ticket=t2,
        from_queue=desk.first_line_queue,
        to_queue=desk.it_queue,
        at=at(14, 11),
        question="q",
        tried="t",
        needed="n",
    )
    # T3: HR straight to the department, email, reopened once, resolved in time.
    t3 = make_ticket(
        desk,
        service=desk.payslip,
        opened_at=at(15),
        channel="email",
        status="resolved",
        line="second",
        queue=desk.hr_queue,
        priority="P4",
        reopen_count=1,
        first_response_at=at(15, 11),
        response_business_seconds=1800,
        resolution_business_seconds=36000,
    )
    # T4: IT, phone, P2, handed over and returned, still in progress, resolution late.
    t4 = make_ticket(
        desk,
        service=desk.laptop,
        opened_at=at(14),
        status="in_progress",
        priority="P2",
        handover_count=1,
        first_response_at=at(14, 11),
        response_business_seconds=600,
        resolution_breached=True,
    )
    Handover.objects.create(
        ticket=t4,
        from_queue=desk.first_line_queue,
        to_queue=desk.it_queue,
        at=at(14, 12),
        question="q",
        tried="t",
        needed="n",
        returned_at=at(15),
        return_reason="Eerste lijn",
    )
    # T5: HR, counter, another organization, never answered: response late.
    t5 = make_ticket(
        desk,
        service=desk.payslip,
        opened_at=at(17, 14),
        channel="counter",
        priority="P4",
        requester=other_person,
        organization=zwijndrecht,
        queue=desk.hr_queue,
        line="second",
        response_breached=True,
    )
    # T6: the previous week, phone, solved at first contact.
    t6 = make_ticket(
        desk,
        service=desk.laptop,
        opened_at=at(8),
        status="closed",
        first_contact_resolution=True,
        first_response_at=at(8),
        response_business_seconds=0,
        resolution_business_seconds=0,
    )
    invite(t1, grade=8, answered=True)
    invite(t2, grade=4, answered=False, comment="Duurde te lang")
    invite(t3)
    invite(t6, grade=6, answered=True)
    return History(t1, t2, t3, t4, t5, t6, zwijndrecht)


def make_pulse(answers: list[tuple[str, int, int]], *, closes_at=None) -> PulseRound:
    round_ = PulseRound.objects.create(
        title="Pulse april", opens_at=at(6), closes_at=closes_at or at(17)
    )
    for group, job, way in answers:
        PulseAnswer.objects.create(round=round_, group=group, job_grade=job, way_grade=way)
    return round_
