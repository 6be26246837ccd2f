"""The phone channel: exchange tokens, calls and their events, recordings and their playbacks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CtiToken(models.Model):
    """A secret the telephone exchange puts in its URL. Only its SHA-256 is stored."""

    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("ends with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exchange token")
        verbose_name_plural = _("exchange tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PhoneExtension(models.Model):
    """Which staff member an exchange's `user` (an extension or a user name there) is."""

    extension = models.CharField(_("extension or exchange user"), max_length=60, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="phone_extensions",
        verbose_name=_("staff member"),
    )

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["extension"]

    def __str__(self) -> str:
        return self.extension


class BlockedNumber(models.Model):
    """A number whose calls the exchange is told to reject (as busy)."""

    number = models.CharField(_("number"), max_length=20, unique=True, help_text=_("E.164"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Call(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("Incoming")
        OUT = "out", _("Outgoing")

    class State(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("In conversation")
        ENDED = "ended", _("Ended")

    class Result(models.TextChoices):
        NONE = "", _("Not ended yet")
        ANSWERED = "answered", _("Answered")
        MISSED = "missed", _("Missed")
        BUSY = "busy", _("Busy")
        FORWARDED = "forwarded", _("Forwarded")
        REJECTED = "rejected", _("Rejected (blocked number)")
        FAILED = "failed", _("Failed")

    class Match(models.TextChoices):
        KNOWN = "known", _("Known caller")
        SEVERAL = "several", _("Several matches")
        ORGANIZATION = "organization", _("Organization known")
        UNKNOWN = "unknown", _("Unknown number")
        ANONYMOUS = "anonymous", _("Anonymous")

    class Followup(models.TextChoices):
        NONE = "", _("Nothing to do")
        TODO = "todo", _("To do")
        CALLED_BACK = "called_back", _("Called back")
        CALLED_AGAIN = "called_again", _("Caller reached us later")
        DONE = "done", _("Marked done")

    call_id = models.CharField(_("call id"), max_length=100, unique=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    from_number = models.CharField(_("from"), max_length=40, blank=True)
    to_number = models.CharField(_("to"), max_length=40, blank=True)
    # The other party's number in E.164 ("" when anonymous or not a public number).
    number = models.CharField(_("number"), max_length=20, blank=True)
    match = models.CharField(_("identification"), max_length=12, choices=Match.choices)
    person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    queue_name = models.CharField(_("queue"), max_length=100, blank=True)
    ringing_for = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="phone_calls_ringing"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phone_calls",
        verbose_name=_("agent"),
    )
    answering_number = models.CharField(_("answered on"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    cause = models.CharField(_("cause"), max_length=20, blank=True)
    blocked = models.BooleanField(_("blocked number"), default=False)
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("waiting time (s)"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("talking time (s)"), null=True, blank=True)
    followup = models.CharField(_("follow-up"), max_length=12, choices=Followup.choices, blank=True)
    followup_at = models.DateTimeField(null=True, blank=True)
    followup_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ticket"),
    )
    # The call's entry on the ticket's timeline, written once, after hang-up.
    ticket_logged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["started_at", "id"], name="call_started"),
            models.Index(fields=["number", "started_at"], name="call_number"),
            models.Index(fields=["agent", "state"], name="call_agent_state"),
            models.Index(
                fields=["started_at", "id"],
                name="call_followup_todo",
                condition=models.Q(followup="todo"),
            ),
            # An answered call clears its number's missed calls: only those still to do are
            # read, not every call the number ever made.
            models.Index(
                fields=["number", "started_at"],
                name="call_number_todo",
                condition=models.Q(followup="todo"),
            ),
            models.Index(
                fields=["ended_at"],
                name="call_to_link",
                condition=models.Q(ticket_logged=False, agent__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.call_id

    @property
    def other_party(self) -> str:
        """The number as the exchange sent it: the caller's, or the one called."""
        return self.from_number if self.direction == self.Direction.IN else self.to_number

    @property
    def is_missed(self) -> bool:
        return self.result in (self.Result.MISSED, self.Result.BUSY)


class CallEvent(models.Model):
    """One exchange event of a call, kept once: a repeated event changes nothing."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=10)
    at = models.DateTimeField()
    payload = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "event"], name="call_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.event}"


def recording_path(instance: "Recording", filename: str) -> str:
    return f"recordings/{instance.sha256[:2]}/{instance.sha256}"


class Recording(models.Model):
    """The recorded audio of a call. After retention the file goes, the row stays as the log."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="recording", verbose_name=_("call")
    )
    file = models.FileField(upload_to=recording_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=30)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_with = models.ForeignKey(
        CtiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_reason = models.CharField(_("why deleted"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(
                fields=["uploaded_at"],
                name="recording_kept",
                condition=models.Q(deleted_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.call.call_id} ({self.content_type})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RecordingHold(models.Model):
    """Keeps a recording past its retention, e.g. while a complaint is handled."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="holds", verbose_name=_("recording")
    )
    reason = models.CharField(_("reason"), max_length=200)
    placed_at = models.DateTimeField(_("placed"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("recording hold")
        verbose_name_plural = _("recording holds")
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return self.reason


class PlaybackLog(models.Model):
    """Who listened to which recording, and when (AVG: access to personal data is logged)."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="playbacks", verbose_name=_("recording")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("listener"),
    )
    at = models.DateTimeField(_("when"))
    byte_range = models.CharField(_("range"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("playback")
        verbose_name_plural = _("playback log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["recording", "user", "at"], name="playback_recent")]

    def __str__(self) -> str:
        return f"{self.recording_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"
