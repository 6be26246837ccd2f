"""Tickets (meldingen), their timeline, attachments and handovers to departments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.catalog.priority import Impact, Priority, Urgency
from eenloket.tickets.choices import OPEN_STATUSES, Channel, Line, Status

__all__ = ["OPEN_STATUSES", "Channel", "Line", "Status"]


class TicketNumberSequence(models.Model):
    """The last ticket number handed out per year; its row lock serializes numbering."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("subject"), max_length=200)
    requester = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("requester"),
        db_index=False,  # led by a composite index in Meta
    )
    # Copied from the requester at opening: every customer row carries its organization.
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("organization"),
        db_index=False,  # led by a composite index in Meta
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("service"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("department"),
        db_index=False,  # led by a composite index in Meta
    )
    queue = models.ForeignKey(
        "directory.Queue",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("queue"),
        db_index=False,  # led by a composite index in Meta
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
        db_index=False,  # led by a composite index in Meta
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    line = models.CharField(_("line"), max_length=10, choices=Line.choices, default=Line.FIRST)
    impact = models.CharField(_("impact"), max_length=10, choices=Impact.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    form_data = models.JSONField(_("request form"), default=dict, blank=True)

    opened_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    # SLA: due times in UTC, computed in business time of the service's calendar. The
    # resolution clock pauses while the ticket waits for the customer.
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_paused_since = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    response_breached = models.BooleanField(_("response target missed"), default=False)
    resolution_breached = models.BooleanField(_("resolution target missed"), default=False)
    # Business seconds from opening to first response / resolution, kept for reporting.
    response_business_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_business_seconds = models.PositiveIntegerField(null=True, blank=True)

    first_contact_resolution = models.BooleanField(_("solved at first contact"), default=False)
    handover_count = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # Optimistic concurrency: every write bumps it; a stale version is a conflict.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The queue page: open tickets by SLA due, overall and per queue / department.
            models.Index(
                fields=["resolution_due_at", "id"],
                name="ticket_open_by_due",
                condition=models.Q(status__in=["new", "in_progress", "waiting", "handed_over"]),
            ),
            models.Index(
                fields=["queue", "status", "resolution_due_at", "id"], name="ticket_queue"
            ),
            models.Index(
                fields=["department", "status", "resolution_due_at", "id"], name="ticket_department"
            ),
            # The inbox's live counts per saved view, read from the index alone (no heap).
            models.Index(
                fields=[
                    "queue",
                    "status",
                    "line",
                    "assignee",
                    "resolution_due_at",
                    "sla_paused_since",
                ],
                name="ticket_open_counts",
                condition=models.Q(status__in=["new", "in_progress", "waiting", "handed_over"]),
            ),
            models.Index(fields=["assignee", "status"], name="ticket_assignee"),
            models.Index(fields=["requester", "opened_at"], name="ticket_requester"),
            models.Index(fields=["organization", "opened_at"], name="ticket_organization"),
            models.Index(fields=["status", "resolution_due_at", "id"], name="ticket_status_due"),
            models.Index(fields=["opened_at", "id"], name="ticket_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.sla_paused_since is not None


class Handover(models.Model):
    """An overdracht: first line hands a ticket to a department, with a structured note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="handovers")
    from_queue = models.ForeignKey(
        "directory.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_queue = models.ForeignKey(
        "directory.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    question = models.TextField(_("what was asked"))
    tried = models.TextField(_("what was tried"))
    needed = models.TextField(_("what is needed"))
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["ticket", "at"]

    def __str__(self) -> str:
        return f"{self.ticket.number} → {self.to_queue}"


class TicketEntry(models.Model):
    """One entry of a ticket's timeline."""

    class Kind(models.TextChoices):
        CUSTOMER_MESSAGE = "customer_message", _("Customer message")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        STATUS_CHANGE = "status_change", _("Status change")
        ASSIGNMENT = "assignment", _("Assignment")
        CLASSIFICATION = "classification", _("Classification change")
        HANDOVER = "handover", _("Handover")
        CALL = "call", _("Call")
        COUNTER_VISIT = "counter_visit", _("Counter visit")
        SLA_EVENT = "sla_event", _("SLA event")

    # What a customer may read in the portal; everything else is for staff only.
    PUBLIC_KINDS = frozenset({Kind.CUSTOMER_MESSAGE, Kind.REPLY, Kind.STATUS_CHANGE})

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,  # led by the timeline index in Meta
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_public = models.BooleanField(default=False)
    at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    handover = models.ForeignKey(
        Handover, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at", "id"], name="entry_timeline")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    entry = models.ForeignKey(TicketEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
