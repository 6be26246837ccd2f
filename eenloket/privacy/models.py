"""Retention rules per organization and kind of data, the log of every retention run, and
the log of every data-subject request (export, erasure)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TICKETS = "tickets", _("Closed tickets")
    ATTACHMENTS = "attachments", _("Attachments of closed tickets")
    RECORDINGS = "recordings", _("Call recordings")
    SURVEY_COMMENTS = "survey_comments", _("Survey comments")
    QUARANTINE = "quarantine", _("Quarantined mail")


class Action(models.TextChoices):
    ANONYMIZE = "anonymize", _("Anonymize")
    DELETE = "delete", _("Delete")


# The classes of the municipal selection list (Selectielijst gemeenten) for closed tickets.
TICKET_YEARS = [1, 5, 10, 20]


class RetentionRule(models.Model):
    """How long one kind of data of one organization is kept, and what happens then.

    A rule without an organization is the default for every organization without its own;
    without that either, the built-in default of `eenloket.privacy.services.DEFAULTS` holds.
    """

    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("Empty: the default for every organization without a rule of its own."),
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=Kind.choices)
    # Years for closed tickets (a selection-list class), days for everything else.
    period = models.PositiveIntegerField(
        _("keep for"), help_text=_("Years for closed tickets (1, 5, 10 or 20), days otherwise.")
    )
    action = models.CharField(
        _("at expiry"), max_length=10, choices=Action.choices, default=Action.DELETE
    )
    updated_at = models.DateTimeField(_("changed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="retention_rule_once_per_organization"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(organization__isnull=True),
                name="retention_rule_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.period}"


class RetentionRun(models.Model):
    """One run of the retention job or command: when, by whom, and what it did per kind."""

    class Trigger(models.TextChoices):
        JOB = "job", _("Daily job")
        COMMAND = "command", _("Command line")
        PAGE = "page", _("Administrator page")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("only organization"),
    )
    # [{"kind", "organization_id", "organization", "action", "count"}, ...]
    counts = models.JSONField(_("counts"), default=list, blank=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.trigger} {self.total}"


class DataSubjectRequest(models.Model):
    """An export or an erasure for one person: who asked, who handled it, when, what it did."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The person row stays after an erasure (anonymized), so the link survives it.
    person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    requested_by = models.CharField(
        _("asked by"),
        max_length=200,
        help_text=_("Who asked, and how: e.g. the person, by letter of 3 March."),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    at = models.DateTimeField(_("when"))
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # The ZIP of an export, removed when its link expires.
    file = models.FileField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_id} {self.at:%Y-%m-%d}"
