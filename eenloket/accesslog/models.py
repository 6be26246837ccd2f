"""The access log (Logboek Dataverwerkingen): who read or changed whose data, kept apart from
the audit trail of changes, append-only.

People and users are referred to by id, not by foreign key: the log may live in a database of
its own (see routers.py), and an entry must outlive the person or login it mentions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

APPEND_ONLY = "The access log is append-only."


class Action(models.TextChoices):
    VIEW = "view", pgettext_lazy("access", "View")
    SEARCH = "search", pgettext_lazy("access", "Search")
    CHANGE = "change", pgettext_lazy("access", "Change")
    DOWNLOAD = "download", pgettext_lazy("access", "Download")
    EXPORT = "export", pgettext_lazy("access", "Export")


class Result(models.TextChoices):
    OK = "ok", pgettext_lazy("access result", "Done")
    REFUSED = "refused", pgettext_lazy("access result", "Refused")
    FAILED = "failed", pgettext_lazy("access result", "Failed")


class Channel(models.TextChoices):
    PAGE = "page", pgettext_lazy("access channel", "Page")
    API = "api", pgettext_lazy("access channel", "API")


class Activity(models.TextChoices):
    """The processing activities of the register (verwerkingsregister) an entry belongs to."""

    TICKET_HANDLING = "ticket-handling", _("Handling tickets")
    CUSTOMER_CONTACT = "customer-contact", _("Identifying customers who call or visit")
    SELF_SERVICE = "self-service", _("Customers following their own requests")
    SUPERVISION = "supervision", _("Supervising access to personal data")
    ADMINISTRATION = "administration", _("Administering the desk's records")


class ObjectKind(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    PERSON = "person", _("Person")
    ATTACHMENT = "attachment", _("Attachment")
    RECORDING = "recording", _("Call recording")
    CALL = "call", _("Call")
    VISIT = "visit", _("Counter visit")
    APPOINTMENT = "appointment", _("Appointment")
    ACCESS_LOG = "access-log", _("Access log")


class AccessEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)

    def purge(self) -> int:
        """The retention job's delete (services.access_log_purge); nothing else deletes."""
        deleted, _per_model = models.QuerySet.delete(self)
        return deleted


class AccessEntry(models.Model):
    """One processing of personal data (a dataverwerking): one object, one action, one actor."""

    # Logboek Dataverwerkingen: trace_id (16 bytes) groups the entries of one request;
    # span_id (operation_id, 8 bytes) is the entry's own.
    trace_id = models.CharField(_("trace id"), max_length=32, db_index=True)
    span_id = models.CharField(_("span id"), max_length=16)
    parent_span_id = models.CharField(_("calling span"), max_length=16, blank=True)
    started_at = models.DateTimeField(_("moment"))
    ended_at = models.DateTimeField(_("ended at"))
    activity = models.CharField(_("processing activity"), max_length=30, choices=Activity.choices)
    name = models.CharField(_("operation"), max_length=100)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    # What was processed, and whose data it is (the data subject, betrokkene).
    object_kind = models.CharField(_("object"), max_length=20, choices=ObjectKind.choices)
    object_ref = models.CharField(_("reference"), max_length=64)
    ticket_number = models.CharField(_("ticket"), max_length=20, blank=True)
    person_id = models.BigIntegerField(_("data subject"), null=True, blank=True)
    # Who, in which role and departments, through which channel, from where.
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    actor_department_ids = models.CharField(_("departments"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    api_key_id = models.BigIntegerField(_("API key"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AccessEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["person_id", "id"], name="access_person"),
            models.Index(fields=["ticket_number", "id"], name="access_ticket"),
            models.Index(fields=["actor_id", "id"], name="access_actor"),
            models.Index(fields=["started_at"], name="access_started"),
        ]

    def __str__(self) -> str:
        what = f"{self.action} {self.object_kind} {self.object_ref}"
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)
