"""Ticket vocabularies, published for the other apps (the models stay private)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("Counter")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for customer")
    HANDED_OVER = "handed_over", _("Handed over")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.HANDED_OVER)


class Line(models.TextChoices):
    FIRST = "first", _("First line")
    SECOND = "second", _("Second line")
