"""The mail channel: mailboxes read, mails received, quarantine, notifications sent."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGES = [("nl", "Nederlands"), ("en", "English")]


class Mailbox(models.Model):
    """An IMAP mailbox the desk reads (the central address or a department's old one)."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS from the start (port 993)")
        STARTTLS = "starttls", _("STARTTLS (port 143)")
        NONE = "none", _("None (only on a trusted local network)")

    class Auth(models.TextChoices):
        PASSWORD = "password", _("Password")
        XOAUTH2 = "xoauth2", _("OAuth2 access token (XOAUTH2, Microsoft 365)")

    class AfterIntake(models.TextChoices):
        MOVE = "move", _("Move to the processed folder")
        FLAG = "flag", _("Mark as seen and flag it, leave it in the folder")

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.EmailField(
        _("address"), help_text=_("The address customers write to; replies are sent from it.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    host = models.CharField(_("IMAP host"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=200)
    auth = models.CharField(
        _("sign-in"), max_length=10, choices=Auth.choices, default=Auth.PASSWORD
    )
    # Fernet token of the password or OAuth2 token; never shown back.
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_env = models.CharField(
        _("secret from environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of an environment variable that holds the password or token."),
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    after_intake = models.CharField(
        _("after intake"), max_length=10, choices=AfterIntake.choices, default=AfterIntake.MOVE
    )
    processed_folder = models.CharField(_("processed folder"), max_length=200, default="Processed")
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("default service"),
        help_text=_("New tickets get this service; its department and queue follow from it."),
    )
    allowed_domains = models.TextField(
        _("allowed sender domains"),
        blank=True,
        help_text=_(
            "Comma-separated mail domains of customer organizations whose unknown senders get a "
            "new person record. Empty: the mail domains of all customer organizations. Other "
            "senders go to the quarantine for review."
        ),
    )
    language = models.CharField(
        _("default language"), max_length=2, choices=LANGUAGES, default="nl"
    )
    rate_limit_per_hour = models.PositiveIntegerField(
        _("mails per sender per hour"),
        default=20,
        help_text=_("More mails than this from one sender in an hour go to the quarantine."),
    )
    last_fetch_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted or self.secret_env)


def raw_mail_path(instance: "InboundMessage", filename: str) -> str:
    # Named by content: no name clashes to probe for, and a re-fetched mail overwrites nothing.
    digest = hashlib.sha256(f"{instance.mailbox_id}:{instance.message_id}".encode()).hexdigest()
    return f"mail/raw/{digest[:2]}/{digest}.eml"


class InboundMessage(models.Model):
    """Every mail taken in, once: the unique Message-ID makes a re-fetch harmless."""

    class Outcome(models.TextChoices):
        OPENED = "opened", _("Opened a ticket")
        ADDED = "added", _("Added to a ticket")
        AUTO_REPLY = "auto_reply", _("Ignored: auto-reply or bounce")
        OWN = "own", _("Ignored: sent by our own address")
        QUARANTINED = "quarantined", _("Quarantined")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    # The Message-ID, or "sha256:<hash of the raw mail>" when it has none (or an absurd one).
    message_id = models.CharField(_("Message-ID"), max_length=255)
    received_at = models.DateTimeField(_("received"))
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    in_reply_to = models.TextField(blank=True)
    references = models.TextField(blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entry = models.ForeignKey(
        "tickets.TicketEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The sanitized HTML part (nh3), for showing the original layout; never the raw HTML.
    html = models.TextField(blank=True)
    # Remote images are left out of `html` (they tell the sender the mail was read) until an
    # agent asks for them for this mail: then `html_remote` keeps them, and who and when.
    remote_images = models.PositiveIntegerField(_("remote images"), default=0)
    html_remote = models.TextField(blank=True, editable=False)
    remote_images_allowed_at = models.DateTimeField(
        _("remote images loaded since"), null=True, blank=True, editable=False
    )
    remote_images_allowed_by = models.ForeignKey(
        "directory.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("remote images loaded by"),
        editable=False,
    )
    raw = models.FileField(upload_to=raw_mail_path, max_length=200)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("received mail")
        verbose_name_plural = _("received mails")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Once across all mailboxes: a customer who writes to the central address and to
            # a department's old one in the same mail gets one ticket.
            models.UniqueConstraint(fields=["message_id"], name="inbound_message_once")
        ]
        indexes = [models.Index(fields=["sender", "received_at"], name="inbound_sender_time")]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class Quarantine(models.Model):
    """A mail that could not be parsed or routed, kept raw for an administrator."""

    class Reason(models.TextChoices):
        TOO_LARGE = "too_large", _("Too large")
        HEADER_BOMB = "header_bomb", _("Too many or too long headers")
        UNPARSEABLE = "unparseable", _("Cannot be read")
        NO_SENDER = "no_sender", _("No valid sender")
        UNKNOWN_SENDER = "unknown_sender", _("Unknown sender (review)")
        RATE_LIMITED = "rate_limited", _("Sender sent too many mails")
        FAILED = "failed", _("Could not be turned into a ticket")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        RESOLVED = "resolved", _("Handled")

    inbound = models.OneToOneField(
        InboundMessage, on_delete=models.CASCADE, related_name="quarantine"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    at = models.DateTimeField(_("quarantined"))
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "directory.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("quarantined mail")
        verbose_name_plural = _("quarantine")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["state", "at"], name="quarantine_state_at")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.inbound}"


class TicketCopy(models.Model):
    """An address that gets a copy (CC) of the ticket's mails, besides the requester."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    address = models.EmailField(_("address"))
    kept = models.BooleanField(
        _("kept"), default=True, help_text=_("The agent keeps this address in copy.")
    )

    class Meta:
        verbose_name = _("address in copy")
        verbose_name_plural = _("addresses in copy")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "address"], name="ticket_copy_once")
        ]

    def __str__(self) -> str:
        return self.address


class MailContact(models.Model):
    """What the mail channel knows of a person: the language they get their mails in."""

    person = models.OneToOneField("directory.Person", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="nl")

    class Meta:
        verbose_name = _("mail language of a person")
        verbose_name_plural = _("mail languages of people")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.language}"


class Notification(models.TextChoices):
    RECEIVED = "received", _("Ticket received")
    REPLY = "reply", _("Reply")
    RESOLVED = "resolved", _("Ticket resolved")
    REOPENED = "reopened", _("Ticket reopened")


class MailTemplate(models.Model):
    """An administrator's wording of a notification; without one the built-in text is used."""

    kind = models.CharField(_("notification"), max_length=20, choices=Notification.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"))

    class Meta:
        verbose_name = _("mail template")
        verbose_name_plural = _("mail templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="mail_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class OutboundMessage(models.Model):
    """A notification to send, sent at most once: claimed, sent, then marked sent."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "tickets.TicketEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("notification"), max_length=20, choices=Notification.choices)
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_address = models.CharField(_("from"), max_length=254)
    to = models.TextField(pgettext_lazy("mail recipients", "to"))
    cc = models.TextField(_("cc"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    language = models.CharField(max_length=2, choices=LANGUAGES)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notification per timeline event: the walk over the timeline may repeat.
            models.UniqueConstraint(fields=["entry", "kind"], name="outbound_once_per_event")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.to}"


class NotificationCursor(models.Model):
    """How far the notification walk got through the timeline (one row)."""

    name = models.CharField(max_length=40, primary_key=True)
    last_entry_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_entry_id}"
