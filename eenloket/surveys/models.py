"""Customer satisfaction (klanttevredenheid) and the employee pulse (medewerkerstevredenheid)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyInvitation(models.Model):
    """The one survey of a resolved ticket. Its link is signed with the secret key and a
    per-invitation nonce, so it cannot be guessed, and names this ticket only."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="survey_invitation"
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    # Answers can be given and changed until then.
    closes_at = models.DateTimeField()
    # The ticket's dimensions, copied as on the response, so that the response rate of a
    # filtered dashboard needs no join with the tickets.
    organization_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [
            models.Index(fields=["person", "created_at"], name="invitation_person"),
            # Covering: the response rate of a period and filter is an index-only scan.
            models.Index(
                fields=["created_at"],
                include=["organization_id", "department_id", "service_id", "channel"],
                name="invitation_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.created_at:%Y-%m-%d}"


class SurveyResponse(models.Model):
    """A customer's answer. The ticket's dimensions are copied so reports need no join."""

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="survey_response"
    )
    organization_id = models.BigIntegerField()
    department_id = models.BigIntegerField()
    service_id = models.BigIntegerField()
    channel = models.CharField(max_length=10)
    grade = models.PositiveSmallIntegerField(_("grade"))
    answered = models.BooleanField(_("was your question answered?"))
    comment = models.TextField(_("comment"), blank=True)
    # The ticket's resolution moment: reports count a response in the period of its ticket.
    resolved_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            # Covering: the grades of a period and filter are an index-only scan.
            models.Index(
                fields=["resolved_at"],
                include=[
                    "grade",
                    "answered",
                    "organization_id",
                    "department_id",
                    "service_id",
                    "channel",
                ],
                name="response_resolved",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=10), name="response_grade_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.grade}"


class SatisfactionAlert(models.Model):
    """A low grade or an unanswered question, for the team lead to follow up."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("satisfaction alert")
        verbose_name_plural = _("satisfaction alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["handled_at", "created_at"], name="alert_open")]

    def __str__(self) -> str:
        return f"{self.response} {self.created_at:%Y-%m-%d}"


class PulseRound(models.Model):
    """One round of the anonymous employee pulse."""

    title = models.CharField(_("title"), max_length=120)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # The invited groups of staff (department codes, "servicedesk" for the central desk);
    # empty: every member of staff (rounds planned before groups could be chosen).
    groups = models.JSONField(_("invited groups"), default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed early by"),
    )

    class Meta:
        verbose_name = _("pulse round")
        verbose_name_plural = _("pulse rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="pulse_round_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PulseParticipation(models.Model):
    """Only that a person answered a round: never what they answered."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="pulse_one_answer_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.user_id}"


class PulseAnswer(models.Model):
    """An anonymous answer: no user, no time, and a random key, so that neither the row
    order nor a timestamp ties it to a participation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    group = models.CharField(max_length=40)  # a department code, or "first_line"
    job_grade = models.PositiveSmallIntegerField()
    way_grade = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(job_grade__gte=1, job_grade__lte=10, way_grade__gte=1)
                & models.Q(way_grade__lte=10),
                name="pulse_grades_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.group}"
