"""The transition of departments into the central desk: onboarding, ADKAR, communication and
sponsorship (Prosci's ADKAR model: Awareness, Desire, Knowledge, Ability, Reinforcement)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    INVENTORY = "inventory", _("Inventory")
    DESIGN = "design", _("Design")
    PILOT = "pilot", _("Pilot")
    LIVE = "live", _("Live at the central desk")
    REINFORCED = "reinforced", _("Reinforced")


PHASE_ORDER = list(Phase.values)


class Element(models.TextChoices):
    """The five ADKAR elements, in the order a person passes them."""

    AWARENESS = "awareness", _("Awareness")
    DESIRE = "desire", _("Desire")
    KNOWLEDGE = "knowledge", _("Knowledge")
    ABILITY = "ability", _("Ability")
    REINFORCEMENT = "reinforcement", _("Reinforcement")


ELEMENTS = list(Element.values)


class Transition(models.Model):
    """One department's way into the central desk."""

    department = models.OneToOneField(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="transition",
        verbose_name=_("department"),
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.INVENTORY
    )
    live_since = models.DateField(_("live at the central desk since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("department transition")
        verbose_name_plural = _("department transitions")

    def __str__(self) -> str:
        return str(self.department)


class ServiceReadiness(models.Model):
    """Is the central desk ready to take this service's customer questions?"""

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="services", verbose_name=_("transition")
    )
    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="transition_readiness",
        verbose_name=_("service"),
    )
    script_ready = models.BooleanField(_("first-line script ready"), default=False)
    script_reference = models.CharField(
        _("script"),
        max_length=200,
        blank=True,
        help_text=_("The internal knowledge article that tells first line what to ask and do."),
    )
    routing_agreed = models.BooleanField(_("routing rule agreed"), default=False)

    class Meta:
        verbose_name = _("service readiness")
        verbose_name_plural = _("service readiness")

    def __str__(self) -> str:
        return str(self.service)


class ChecklistItem(models.Model):
    """What else the desk needs before going live: system access, handover agreements."""

    class Kind(models.TextChoices):
        SYSTEM_ACCESS = "system_access", _("System access")
        HANDOVER_AGREEMENT = "handover_agreement", _("Handover agreement")
        OTHER = "other", _("Other")

    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("transition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("what"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["kind", "title", "id"]

    def __str__(self) -> str:
        return self.title


class ChangeGroup(models.Model):
    """A group of impacted employees: a department, a team, the desk."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")
        DESK = "desk", _("Central desk")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_change_groups",
        verbose_name=_("direct supervisor"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="change_groups",
        verbose_name=_("impacted employees"),
    )

    class Meta:
        verbose_name = _("change group")
        verbose_name_plural = _("change groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssessmentRound(models.Model):
    group = models.ForeignKey(
        ChangeGroup, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=100)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["group", "opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.group}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _score_field(label):
    return models.PositiveSmallIntegerField(label)


class Assessment(models.Model):
    """One employee's ADKAR scores (1-5) in one round: by themselves or by their supervisor."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adkar_assessments"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awareness = _score_field(_("Awareness"))
    desire = _score_field(_("Desire"))
    knowledge = _score_field(_("Knowledge"))
    ability = _score_field(_("Ability"))
    reinforcement = _score_field(_("Reinforcement"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("ADKAR assessment")
        verbose_name_plural = _("ADKAR assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="one_assessment_per_round"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{element}__gte": 1, f"{element}__lte": 5}),
                    name=f"assessment_{element}_1_to_5",
                )
                for element in ELEMENTS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.round})"

    def scores(self) -> dict[str, int]:
        return {element: getattr(self, element) for element in ELEMENTS}

    @property
    def barrier_point(self) -> str | None:
        """The first element scored 3 or lower: where this person's change stalls."""
        return next((e for e in ELEMENTS if getattr(self, e) <= 3), None)

    @property
    def barrier_point_label(self) -> str | None:
        point = self.barrier_point
        return Element(point).label if point else None


class ChangeAction(models.Model):
    """An action the change lead takes on a barrier point, with an owner and a date."""

    group = models.ForeignKey(ChangeGroup, on_delete=models.CASCADE, related_name="actions")
    element = models.CharField(_("barrier point"), max_length=15, choices=Element.choices)
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("change action")
        verbose_name_plural = _("change actions")
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.description


class Message(models.Model):
    """A message in the communication plan: who tells which groups what, how and when."""

    class Sender(models.TextChoices):
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        SUPERVISOR = "supervisor", _("Direct supervisor")
        PROJECT = "project", _("Project team")

    class Kind(models.TextChoices):
        WHY = "why", _("Why we change")
        WHY_NOW = "why_now", _("Why now")
        RISK = "risk", _("Risk of not changing")
        WIIFM = "wiifm", _("What's in it for me")
        PROGRESS = "progress", _("Progress")
        SUCCESS = "success", _("Success story")

    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        INTRANET = "intranet", _("Intranet")
        ONE_TO_ONE = "one_to_one", _("One-to-one conversation")
        VIDEO = "video", _("Video")

    title = models.CharField(_("title"), max_length=200)
    audience = models.ManyToManyField(
        ChangeGroup, related_name="messages", verbose_name=_("audience")
    )
    sender = models.CharField(_("sender"), max_length=20, choices=Sender.choices)
    sender_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    planned_on = models.DateField(_("planned"))
    sent_on = models.DateField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned message")
        verbose_name_plural = _("communication plan")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.title


class Sponsor(models.Model):
    class Activity(models.TextChoices):
        ACTIVE = "active", _("Active and visible")
        MODERATE = "moderate", _("Supportive, rarely visible")
        PASSIVE = "passive", _("Passive")

    class Level(models.TextChoices):
        EXECUTIVE = "executive", _("Executive sponsor")
        SUPERVISOR = "supervisor", _("Coalition sponsor (manager)")

    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(pgettext_lazy("job", "position"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    groups = models.ManyToManyField(ChangeGroup, related_name="sponsors", verbose_name=_("groups"))
    activity = models.CharField(_("how active"), max_length=10, choices=Activity.choices)

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsor map")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class SponsorAct(models.Model):
    """A visible act of sponsorship: a speech, a visit to the desk, a decision explained."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="acts")
    on = models.DateField(_("date"))
    description = models.CharField(_("what they did"), max_length=300)

    class Meta:
        verbose_name = _("sponsor act")
        verbose_name_plural = _("sponsor acts")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return self.description
