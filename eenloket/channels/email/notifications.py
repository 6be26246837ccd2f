"""The wording of the notifications: built-in texts per language, overridable in the admin.

Templates use Django's template language with these variables: `number`, `title`, `name`
(the customer's), `expected_response` (date and time), `body` (the agent's reply or the
solution), `satisfaction_url` (may be empty), `status`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Engine

# A bare engine: no loaders, no custom tags, so an administrator's template reaches nothing.
_ENGINE = Engine(autoescape=True)
_TEXT_ENGINE = Engine(autoescape=False)

_HTML_WRAP = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{{{{ number }}}}'
    "</title></head><body>{body}</body></html>"
)

DEFAULTS: dict[tuple[str, str], dict[str, str]] = {
    ("received", "nl"): {
        "subject": "[{{ number }}] Uw melding is ontvangen: {{ title }}",
        "text": (
            "Beste {{ name }},\n\nWe hebben uw melding ontvangen onder nummer {{ number }}.\n"
            "U krijgt uiterlijk {{ expected_response }} een reactie.\n\n"
            "Antwoord op deze mail om iets aan uw melding toe te voegen.\n\nMet vriendelijke "
            "groet,\nHet servicedesk-team"
        ),
        "html": (
            "<p>Beste {{ name }},</p><p>We hebben uw melding ontvangen onder nummer "
            "<strong>{{ number }}</strong>.<br>U krijgt uiterlijk {{ expected_response }} een "
            "reactie.</p><p>Antwoord op deze mail om iets aan uw melding toe te voegen.</p>"
            "<p>Met vriendelijke groet,<br>Het servicedesk-team</p>"
        ),
    },
    ("received", "en"): {
        "subject": "[{{ number }}] We received your request: {{ title }}",
        "text": (
            "Dear {{ name }},\n\nWe received your request as number {{ number }}.\n"
            "You will hear from us by {{ expected_response }}.\n\n"
            "Reply to this mail to add to your request.\n\nKind regards,\nThe service desk"
        ),
        "html": (
            "<p>Dear {{ name }},</p><p>We received your request as number "
            "<strong>{{ number }}</strong>.<br>You will hear from us by {{ expected_response }}."
            "</p><p>Reply to this mail to add to your request.</p>"
            "<p>Kind regards,<br>The service desk</p>"
        ),
    },
    ("reply", "nl"): {
        "subject": "[{{ number }}] Reactie op uw melding: {{ title }}",
        "text": "Beste {{ name }},\n\n{{ body }}\n\nMet vriendelijke groet,\nHet servicedesk-team",
        "html": (
            "<p>Beste {{ name }},</p><p>{{ body|linebreaksbr }}</p>"
            "<p>Met vriendelijke groet,<br>Het servicedesk-team</p>"
        ),
    },
    ("reply", "en"): {
        "subject": "[{{ number }}] Reply to your request: {{ title }}",
        "text": "Dear {{ name }},\n\n{{ body }}\n\nKind regards,\nThe service desk",
        "html": (
            "<p>Dear {{ name }},</p><p>{{ body|linebreaksbr }}</p>"
            "<p>Kind regards,<br>The service desk</p>"
        ),
    },
    ("resolved", "nl"): {
        "subject": "[{{ number }}] Uw melding is opgelost: {{ title }}",
        "text": (
            "Beste {{ name }},\n\nUw melding {{ number }} is opgelost:\n\n{{ body }}\n\n"
            "{% if satisfaction_url %}Hoe tevreden bent u? Laat het ons weten: "
            "{{ satisfaction_url }}\n\n{% endif %}Is het toch niet opgelost? Antwoord dan op "
            "deze mail.\n\nMet vriendelijke groet,\nHet servicedesk-team"
        ),
        "html": (
            "<p>Beste {{ name }},</p><p>Uw melding <strong>{{ number }}</strong> is opgelost:"
            '</p><p>{{ body|linebreaksbr }}</p>{% if satisfaction_url %}<p><a href="'
            '{{ satisfaction_url }}">Hoe tevreden bent u? Laat het ons weten.</a></p>'
            "{% endif %}<p>Is het toch niet opgelost? Antwoord dan op deze mail.</p>"
            "<p>Met vriendelijke groet,<br>Het servicedesk-team</p>"
        ),
    },
    ("resolved", "en"): {
        "subject": "[{{ number }}] Your request is resolved: {{ title }}",
        "text": (
            "Dear {{ name }},\n\nYour request {{ number }} is resolved:\n\n{{ body }}\n\n"
            "{% if satisfaction_url %}How satisfied are you? Tell us: {{ satisfaction_url }}"
            "\n\n{% endif %}Not solved after all? Reply to this mail.\n\nKind regards,\n"
            "The service desk"
        ),
        "html": (
            "<p>Dear {{ name }},</p><p>Your request <strong>{{ number }}</strong> is resolved:"
            '</p><p>{{ body|linebreaksbr }}</p>{% if satisfaction_url %}<p><a href="'
            '{{ satisfaction_url }}">How satisfied are you? Tell us.</a></p>{% endif %}'
            "<p>Not solved after all? Reply to this mail.</p>"
            "<p>Kind regards,<br>The service desk</p>"
        ),
    },
    ("reopened", "nl"): {
        "subject": "[{{ number }}] Uw melding is heropend: {{ title }}",
        "text": (
            "Beste {{ name }},\n\nUw melding {{ number }} is heropend; we gaan er weer mee aan "
            "de slag.\n\nMet vriendelijke groet,\nHet servicedesk-team"
        ),
        "html": (
            "<p>Beste {{ name }},</p><p>Uw melding <strong>{{ number }}</strong> is heropend; "
            "we gaan er weer mee aan de slag.</p>"
            "<p>Met vriendelijke groet,<br>Het servicedesk-team</p>"
        ),
    },
    ("reopened", "en"): {
        "subject": "[{{ number }}] Your request was reopened: {{ title }}",
        "text": (
            "Dear {{ name }},\n\nYour request {{ number }} was reopened; we are working on it "
            "again.\n\nKind regards,\nThe service desk"
        ),
        "html": (
            "<p>Dear {{ name }},</p><p>Your request <strong>{{ number }}</strong> was reopened; "
            "we are working on it again.</p><p>Kind regards,<br>The service desk</p>"
        ),
    },
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(
    *, kind: str, language: str, context: dict, override: dict[str, str] | None = None
) -> Rendered:
    """Render a notification; `override` is an administrator's template (subject, text, html).

    The subject always carries the ticket number in brackets: replies are threaded by it when
    a mail client drops the References header.
    """
    source = override or DEFAULTS[(kind, language)]
    subject = _TEXT_ENGINE.from_string(source["subject"]).render(Context(context))
    subject = " ".join(subject.split())[:250]
    tag = f"[{context['number']}]"
    if tag not in subject:
        subject = f"{tag} {subject}"
    text = _TEXT_ENGINE.from_string(source["text"]).render(Context(context))
    body = _ENGINE.from_string(source["html"]).render(Context(context))
    html = _HTML_WRAP.format(lang=language, body=body).replace(
        "{{ number }}", str(context["number"])
    )
    return Rendered(subject=subject, text=text, html=html)
