"""The counter (balie): topics, desks, the walk-in queue and appointments."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CounterTopic(models.Model):
    """What a visitor comes for: a service or a group of services, with a letter prefix
    for its queue numbers (B017) and the business calendar that says when it is open."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    letter = models.CharField(_("letter"), max_length=1, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    calendar = models.ForeignKey(
        "core.BusinessCalendar",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opening hours"),
    )
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="+", verbose_name=_("services")
    )
    # The service a visit is recorded under when the agent picks none.
    default_service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("default service"),
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        _("appointment length (minutes)"), default=15
    )
    appointment_capacity = models.PositiveSmallIntegerField(
        _("appointments per slot"),
        default=0,
        help_text=_("0: this topic takes no appointments."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter topic")
        verbose_name_plural = _("counter topics")
        ordering = ["position", "letter"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(appointment_minutes__gte=5), name="topic_slot_at_least_5_min"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name_nl}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl

    @property
    def takes_appointments(self) -> bool:
        return self.appointment_capacity > 0


class CounterDesk(models.Model):
    """A counter desk (balie 1, 2, ...) and the topics it serves."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    topics = models.ManyToManyField(
        CounterTopic, blank=True, related_name="desks", verbose_name=_("topics")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter desk")
        verbose_name_plural = _("counter desks")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class VisitSequence(models.Model):
    """The last queue number handed out per topic and day; its row lock serializes numbering."""

    topic = models.ForeignKey(CounterTopic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "day"], name="visit_sequence_per_topic_day")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.day}: {self.last}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("appointment code"), max_length=12, unique=True)
    topic = models.ForeignKey(
        CounterTopic, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("topic")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    question = models.TextField(_("question"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    booked_at = models.DateTimeField(_("booked"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["topic", "starts_at", "status"], name="appointment_slot")]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """One visitor in the walk-in queue, from taking a number until done or no-show."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not show")

    topic = models.ForeignKey(
        CounterTopic, on_delete=models.PROTECT, related_name="visits", verbose_name=_("topic")
    )
    day = models.DateField(_("day"))
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("queue number"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # What the visitor typed at the kiosk (employee number or name), and whom it matched.
    identified_as = models.CharField(_("identified as"), max_length=100, blank=True)
    person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("customer"),
    )
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="visit"
    )
    arrived_at = models.DateTimeField(_("arrived"))
    # Place in line: arrival for a walk-in, the appointment's time for an appointment.
    queue_at = models.DateTimeField()
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    first_called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    desk = models.ForeignKey(
        CounterDesk, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("served from"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        CounterTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_number = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                # A transferred visit keeps its number, so uniqueness is by number, not topic.
                fields=["day", "number"],
                name="visit_number_unique_per_day",
            )
        ]
        indexes = [
            models.Index(
                fields=["topic", "queue_at", "id"],
                name="visit_waiting",
                condition=models.Q(status="waiting"),
            ),
            models.Index(fields=["day", "status"], name="visit_day"),
            models.Index(fields=["arrived_at"], name="visit_arrived"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.day}"

    @property
    def has_appointment(self) -> bool:
        return self.appointment_id is not None
