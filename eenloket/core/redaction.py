"""Redaction of the audit trail for an erasure under the AVG (article 17).

The audit trail is append-only: its manager refuses updates. An erasure is the one lawful
exception: the events stay (who did what, when), the values that identify the person go.
"""

from django.db.models import Q

from eenloket.core.models import AuditEvent

REDACTED = "[verwijderd]"


def audit_redact(
    *, texts: list[str], object_type: str = "", object_id: int | str | None = None
) -> int:
    """Blank the old and new values of the object's events (if given) and of any event whose
    values contain one of the texts (a name, an address, a number, a ticket's subject).
    Returns the events touched."""
    events = AuditEvent._base_manager.all()
    about = Q(object_type=object_type, object_id=str(object_id)) if object_type else Q(pk=None)
    mentions = Q()
    for text in texts:
        if text:
            mentions |= Q(old_value__icontains=text) | Q(new_value__icontains=text)
    condition = about | mentions if mentions else about
    touched = events.filter(condition).exclude(old_value="", new_value="").count()
    events.filter(condition).exclude(old_value="").update(old_value=REDACTED)
    events.filter(condition).exclude(new_value="").update(new_value=REDACTED)
    return touched


def audit_redact_references(*, field: str, pks: list[int]) -> int:
    """Blank the values of events that name one of the objects in `field` (the trail stores
    a referenced object as "<pk>:<its text>", e.g. a call linked to "12:M2026-00012 <subject>").
    Cheaper than a text search: used for many tickets at once by the retention job."""
    if not pks:
        return 0
    prefixes = Q()
    for pk in pks:
        prefixes |= Q(new_value__startswith=f"{pk}:") | Q(old_value__startswith=f"{pk}:")
    events = AuditEvent._base_manager.filter(prefixes, field=field)
    touched = events.count()
    events.update(old_value=REDACTED, new_value=REDACTED)
    return touched
