"""Demo data of the transition: the eight departments in different phases, change groups with
two ADKAR rounds whose scores improve, actions, a communication plan half done and sponsors.

Written through the transition's services (as the change lead), at the dates they happened.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.db import transaction

from eenloket.core import clock
from eenloket.demo.history import AMSTERDAM
from eenloket.directory.models import Department, User
from eenloket.transition import services
from eenloket.transition.models import (
    ELEMENTS,
    ChangeGroup,
    ChecklistItem,
    Message,
    Phase,
    Sponsor,
    Transition,
)

# department code -> (phase, months live or None, share of services with a script)
PHASES = {
    "hr": (Phase.REINFORCED, 9, 1.0),
    "it": (Phase.LIVE, 7, 0.9),
    "finance": (Phase.LIVE, 4, 0.8),
    "purchasing": (Phase.PILOT, None, 0.6),
    "legal": (Phase.PILOT, None, 0.5),
    "information": (Phase.DESIGN, None, 0.3),
    "communication": (Phase.DESIGN, None, 0.2),
    "facility": (Phase.INVENTORY, None, 0.0),
}

CHECKLIST = {
    "hr": [("system_access", "Leesrechten in het personeelssysteem (AFAS) voor de servicedesk"),
           ("handover_agreement", "Overdracht loonvragen: HRM belt binnen 1 werkdag terug")],
    "it": [("system_access", "Servicedesk mag wachtwoorden resetten in Active Directory"),
           ("system_access", "Toegang tot het beheerportaal van de laptops (Intune)"),
           ("handover_agreement", "Storingen met prioriteit P1 direct telefonisch overdragen")],
    "finance": [("system_access", "Inzage in de crediteurenadministratie"),
                ("handover_agreement", "Betaalvragen van leveranciers: Financiën reageert binnen 2 werkdagen")],
    "purchasing": [("system_access", "Inzage in het contractregister"),
                   ("handover_agreement", "Inkoopaanvragen boven 50.000 euro direct naar Inkoop")],
    "legal": [("handover_agreement", "Bezwaarschriften altijd rechtstreeks naar Juridische Zaken"),
              ("system_access", "Leesrechten in het zaaksysteem")],
    "information": [("system_access", "Toegang tot het archiefsysteem"),
                    ("handover_agreement", "Verzoeken om archiefstukken: levertijd afspreken")],
    "communication": [("handover_agreement", "Persvragen nooit via de servicedesk beantwoorden")],
    "facility": [("system_access", "Toegang tot het reserveringssysteem voor vergaderzalen")],
}  # fmt: skip

# group name -> (kind, department code, supervisor username, member usernames)
GROUPS = {
    "Centrale servicedesk": ("desk", None, "teamleider",
                             ["servicedesk", "anouk.visser", "mohamed.elamrani", "lisa.verhoef",
                              "jeroen.kok"]),
    "ICT": ("department", "it", None, ["specialist-it", "ruben.dekker"]),
    "HRM": ("department", "hr", None, ["specialist-hr", "ilse.brouwer"]),
    "Financiën": ("department", "finance", None, ["specialist-finance", "naima.bouzid"]),
    "Informatievoorziening": ("department", "information", None,
                              ["specialist-information", "vera.kuipers"]),
    "Facilitaire Zaken": ("department", "facility", None, ["specialist-facility", "wouter.prins"]),
    "Juridische Zaken": ("department", "legal", None, ["specialist-legal", "rachid.ouali"]),
    "Inkoop en Communicatie": ("team", None, None,
                               ["specialist-purchasing", "specialist-communication"]),
}  # fmt: skip

MESSAGES = [
    # (days from now, kind, sender, channel, title, audience: "all" or group names)
    (-230, "why", "executive_sponsor", "meeting", "Waarom één loket: de klant centraal", "all"),
    (-215, "risk", "executive_sponsor", "intranet", "Wat als we niets doen: dalende tevredenheid", "all"),
    (-200, "why_now", "project", "email", "Waarom nu: de nieuwe dienstverleningsovereenkomsten", "all"),
    (-185, "wiifm", "supervisor", "one_to_one", "Wat levert het jou op: minder telefoon, meer vakwerk", ["HRM", "ICT"]),
    (-170, "why", "supervisor", "meeting", "Teamoverleg: de bedoeling van het loket", ["Centrale servicedesk"]),
    (-150, "progress", "project", "intranet", "HRM is live aan de centrale balie", "all"),
    (-140, "wiifm", "supervisor", "meeting", "Wat verandert er voor de servicedesk", ["Centrale servicedesk"]),
    (-125, "success", "executive_sponsor", "video", "Eerste resultaten: 70% in één keer opgelost", "all"),
    (-110, "why", "executive_sponsor", "meeting", "Directiebezoek aan de balie", ["ICT", "Financiën"]),
    (-95, "progress", "project", "email", "ICT gaat live: wat u merkt", "all"),
    (-80, "risk", "supervisor", "one_to_one", "Wat als de tweede lijn de vragen blijft houden", ["ICT"]),
    (-70, "wiifm", "supervisor", "one_to_one", "Gesprekken over de nieuwe rol", ["Financiën", "Juridische Zaken"]),
    (-60, "why", "project", "intranet", "Veelgestelde vragen over het loket", "all"),
    (-45, "success", "supervisor", "meeting", "Successen van de maand", ["Centrale servicedesk", "HRM"]),
    (-30, "progress", "project", "email", "Financiën is live", "all"),
    (-20, "why_now", "executive_sponsor", "video", "Waarom de pilot van Inkoop nu start", ["Inkoop en Communicatie"]),
    (-10, "wiifm", "supervisor", "meeting", "Wat het loket voor Juridische Zaken betekent", ["Juridische Zaken"]),
    (-160, "why", "supervisor", "meeting", "Het waarom in het werkoverleg", "all"),
    (-90, "why", "executive_sponsor", "video", "Nieuwjaarsboodschap: één loket voor elke vraag", "all"),
    (-50, "wiifm", "supervisor", "one_to_one", "Loopbaangesprekken: de rol van de tweede lijn", ["ICT", "HRM", "Financiën"]),
    (-35, "wiifm", "project", "intranet", "Verhalen van collega's: wat het loket hen bracht", "all"),
    (-15, "progress", "project", "intranet", "Cijfers van het kwartaal", "all"),
    (-5, "success", "executive_sponsor", "meeting", "De klant geeft een 7,8", "all"),
    (5, "progress", "project", "intranet", "Stand van zaken: pilots Inkoop en Juridische Zaken", "all"),
    (12, "why", "executive_sponsor", "meeting", "Het waarom, opnieuw: voor Facilitaire Zaken", ["Facilitaire Zaken"]),
    (20, "wiifm", "supervisor", "one_to_one", "Gesprekken Informatievoorziening", ["Informatievoorziening"]),
    (30, "success", "executive_sponsor", "video", "Een jaar centrale balie", "all"),
    (45, "risk", "project", "intranet", "Wat er gebeurt als de oude adressen blijven bestaan", "all"),
    (60, "progress", "project", "email", "Facilitaire Zaken en Communicatie: planning", ["Facilitaire Zaken", "Inkoop en Communicatie"]),
    (75, "why", "supervisor", "meeting", "Waarom we blijven meten", ["Centrale servicedesk", "ICT", "HRM"]),
]  # fmt: skip

SPONSORS = [
    # (name, position, level, activity, groups: "all" or names, acts: (days ago, text))
    ("Mirjam de Jong", "Directeur Servicecentrum Drechtsteden", "executive", "active", "all",
     [(228, "Opende de kick-off en vertelde waarom het loket er komt"),
      (124, "Presenteerde de eerste resultaten in een video aan alle medewerkers"),
      (40, "Werkte een ochtend mee aan de balie")]),
    ("Bas van der Heijden", "Wethouder bedrijfsvoering", "executive", "moderate", "all",
     [(110, "Bezocht de centrale balie met het college")]),
    ("Ellen Groen", "Manager HRM", "supervisor", "active", ["HRM"],
     [(186, "Voerde met elke medewerker een gesprek over de nieuwe rol"),
      (60, "Deelde een succesverhaal in het teamoverleg")]),
    ("Hans Bos", "Manager ICT", "supervisor", "moderate", ["ICT"],
     [(80, "Legde uit waarom storingen via de servicedesk lopen")]),
    ("Fatima Yilmaz", "Manager Financiën", "supervisor", "active", ["Financiën"],
     [(70, "Sprak met elke medewerker over wat er verandert")]),
    ("Joost Meijer", "Manager Juridische Zaken", "supervisor", "passive", ["Juridische Zaken"], []),
    ("Marieke Hoogendoorn", "Teamleider servicedesk", "supervisor", "active",
     ["Centrale servicedesk"],
     [(170, "Besprak de bedoeling van het loket in het teamoverleg"),
      (45, "Vierde de successen van de maand met het team")]),
]  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, clock_time(hour), tzinfo=AMSTERDAM)


def _scores(rng: random.Random, base: list[float]) -> dict[str, int]:
    return {
        e: max(1, min(5, round(b + rng.uniform(-0.8, 0.8))))
        for e, b in zip(ELEMENTS, base, strict=True)
    }


def load_transition(*, now: datetime, seed: int = 2026) -> dict[str, int]:
    """Idempotent: does nothing when the demo transition is there already."""
    if Transition.objects.exists():
        return _counts()
    rng = random.Random(seed)
    change_lead = User.objects.get(username="verandermanager")
    users = {u.username: u for u in User.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    today = now.astimezone(AMSTERDAM).date()
    with transaction.atomic():
        with clock.frozen_at(_at(today - timedelta(days=300))):
            transitions = {
                code: services.transition_start(actor=change_lead, department=departments[code])
                for code in PHASES
                if code in departments
            }
        for code, transition in transitions.items():
            phase, months_live, scripted = PHASES[code]
            start = today - timedelta(days=(months_live or 1) * 30)
            with clock.frozen_at(_at(start)):
                services.transition_set_phase(actor=change_lead, transition=transition, phase=phase)
                rows = list(transition.services.select_related("service"))
                for index, readiness in enumerate(rows):
                    ready = index < round(len(rows) * scripted)
                    services.readiness_update(
                        actor=change_lead,
                        readiness=readiness,
                        script_ready=ready,
                        routing_agreed=ready or index % 3 == 0,
                        script_reference=f"Script: {readiness.service.name_nl}" if ready else "",
                    )
                for kind, title in CHECKLIST.get(code, []):
                    item = services.checklist_item_add(
                        actor=change_lead, transition=transition, kind=kind, title=title
                    )
                    if months_live or (
                        phase == Phase.PILOT and kind == ChecklistItem.Kind.SYSTEM_ACCESS
                    ):
                        services.checklist_item_set_done(actor=change_lead, item=item, done=True)

        groups = {}
        for name, (kind, code, supervisor, members) in GROUPS.items():
            group = ChangeGroup.objects.create(
                name=name,
                kind=kind,
                department=departments.get(code) if code else None,
                supervisor=users.get(supervisor) if supervisor else None,
            )
            group.members.set([users[m] for m in members if m in users])
            groups[name] = group

        # Two rounds: a baseline in spring, a second measurement this autumn, better.
        for name, group in groups.items():
            phase = PHASES.get(GROUPS[name][1] or "", (Phase.PILOT, None, 0))[0]
            late = phase in (Phase.INVENTORY, Phase.DESIGN)
            base = [3.6, 3.0, 2.6, 2.4, 2.2] if not late else [3.0, 2.6, 2.2, 2.0, 2.0]
            gain = [0.6, 0.9, 1.1, 1.0, 1.0] if not late else [0.8, 0.6, 0.4, 0.3, 0.2]
            for title, days_ago, lift, close in (
                ("Nulmeting voorjaar 2026", 210, 0.0, True),
                ("Tweede meting najaar 2026", 21, 1.0, False),
            ):
                opened = today - timedelta(days=days_ago)
                with clock.frozen_at(_at(opened)):
                    assessment_round = services.round_open(
                        actor=change_lead, group=group, title=title
                    )
                    for member in group.members.all():
                        scores = _scores(
                            rng, [b + lift * g for b, g in zip(base, gain, strict=True)]
                        )
                        services.assessment_submit(
                            actor=change_lead,
                            assessment_round=assessment_round,
                            employee=member,
                            scores=scores,
                        )
                if close:
                    with clock.frozen_at(_at(opened + timedelta(days=14))):
                        services.round_close(actor=change_lead, assessment_round=assessment_round)

        with clock.frozen_at(_at(today - timedelta(days=190))):
            for name, element, description, owner, due_days in (
                ("Centrale servicedesk", "ability", "Meeloopdagen bij ICT en HRM voor elke agent", "teamleider", -120),
                ("Centrale servicedesk", "knowledge", "Training productencatalogus en scripts", "teamleider", -150),
                ("ICT", "desire", "Gesprek met de manager over de nieuwe rol van de tweede lijn", "verandermanager", -100),
                ("Juridische Zaken", "awareness", "Directeur vertelt het waarom in het teamoverleg", "verandermanager", 14),
                ("Facilitaire Zaken", "awareness", "Informatiebijeenkomst over het loket", "verandermanager", 21),
            ):  # fmt: skip
                action = services.action_create(
                    actor=change_lead,
                    group=groups[name],
                    element=element,
                    description=description,
                    owner=users[owner],
                    due_on=today + timedelta(days=due_days),
                )
                if due_days < 0:
                    services.action_mark_done(actor=change_lead, action=action)

        with clock.frozen_at(_at(today - timedelta(days=240))):
            messages = []
            for days, kind, sender, channel, title, audience in MESSAGES:
                names = list(groups) if audience == "all" else audience
                messages.append(
                    (
                        days,
                        services.message_plan(
                            actor=change_lead,
                            title=title,
                            audience=[groups[n] for n in names],
                            sender=sender,
                            channel=channel,
                            kind=kind,
                            planned_on=today + timedelta(days=days),
                        ),
                    )
                )
        with clock.frozen_at(now):
            for days, message in messages:
                if days <= 0:
                    services.message_mark_sent(
                        actor=change_lead, message=message, sent_on=today + timedelta(days=days)
                    )
            for name, position, level, activity, audience, acts in SPONSORS:
                sponsor = Sponsor.objects.create(
                    name=name, position=position, level=level, activity=activity
                )
                sponsor.groups.set(
                    list(groups.values()) if audience == "all" else [groups[n] for n in audience]
                )
                for days_ago, text in acts:
                    services.sponsor_act_record(
                        actor=change_lead,
                        sponsor=sponsor,
                        on=today - timedelta(days=days_ago),
                        description=text,
                    )
    return _counts()


def _counts() -> dict[str, int]:
    return {
        "transitions": Transition.objects.count(),
        "change groups": ChangeGroup.objects.count(),
        "messages": Message.objects.count(),
    }
