"""Impact, urgency and the ITIL priority matrix that maps them to P1-P4."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Impact(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Urgency(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 - critical")
    P2 = "P2", _("P2 - high")
    P3 = "P3", _("P3 - normal")
    P4 = "P4", _("P4 - low")


PRIORITY_MATRIX: dict[tuple[str, str], Priority] = {
    (Impact.HIGH, Urgency.HIGH): Priority.P1,
    (Impact.HIGH, Urgency.MEDIUM): Priority.P2,
    (Impact.MEDIUM, Urgency.HIGH): Priority.P2,
    (Impact.HIGH, Urgency.LOW): Priority.P3,
    (Impact.MEDIUM, Urgency.MEDIUM): Priority.P3,
    (Impact.LOW, Urgency.HIGH): Priority.P3,
    (Impact.MEDIUM, Urgency.LOW): Priority.P4,
    (Impact.LOW, Urgency.MEDIUM): Priority.P4,
    (Impact.LOW, Urgency.LOW): Priority.P4,
}


def priority_for(impact: str, urgency: str) -> Priority:
    try:
        return PRIORITY_MATRIX[(Impact(impact), Urgency(urgency))]
    except ValueError as exc:
        raise ValueError(f"Unknown impact or urgency: {impact!r} x {urgency!r}") from exc
