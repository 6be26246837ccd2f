"""Redaction of the audit trail for an erasure under the AVG (article 17).

The audit trail is append-only: its manager refuses updates. An erasure is the one lawful
exception: the events stay (who did what, when), the values that identify the person go.
"""

from django.db.models import Q

from eenloket.core.models import AuditEvent

REDACTED = "[verwijderd]"


def audit_redact(*, object_type: str, object_id: int | str, texts: list[str]) -> int:
    """Blank the old and new values of the object's events and of any event whose values
    contain one of the texts (a name, an address, a number). Returns the events touched."""
    events = AuditEvent._base_manager.all()
    about = Q(object_type=object_type, object_id=str(object_id))
    mentions = Q()
    for text in texts:
        if text:
            mentions |= Q(old_value__icontains=text) | Q(new_value__icontains=text)
    condition = about | mentions if mentions else about
    touched = events.filter(condition).exclude(old_value="", new_value="").count()
    events.filter(condition).exclude(old_value="").update(old_value=REDACTED)
    events.filter(condition).exclude(new_value="").update(new_value=REDACTED)
    return touched
