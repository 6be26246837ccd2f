"""Shared-kernel writes: the audit trail."""

from typing import Any

from django.db import models

from eenloket.core import clock
from eenloket.core.models import AuditEvent


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return f"{value.pk}:{value}"
    return str(value)


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> list[AuditEvent]:
    """Append who changed what on `obj`: one event per changed field, or one for the action."""
    at = clock.now()
    base = {
        "at": at,
        "actor": actor if getattr(actor, "pk", None) else None,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "action": action,
    }
    rows = [
        AuditEvent(**base, field=field, old_value=_as_text(old), new_value=_as_text(new))
        for field, (old, new) in (changes or {}).items()
        if old != new
    ] or [AuditEvent(**base)]
    return AuditEvent.objects.bulk_create(rows)
