"""The service catalogue (producten- en dienstencatalogus), request forms and service levels."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eenloket.catalog.priority import Impact, Priority, Urgency


def _in_language(nl: str, en: str) -> str:
    return en if (get_language() or "nl").startswith("en") and en else nl


class SlaPolicy(models.Model):
    """A service level (servicenorm): response and resolution targets per priority."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    calendar = models.ForeignKey(
        "core.BusinessCalendar",
        on_delete=models.PROTECT,
        related_name="sla_policies",
        verbose_name=_("business calendar"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(_("response within (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (business minutes)"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["policy", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_per_priority"),
            models.CheckConstraint(
                condition=models.Q(resolution_minutes__gte=models.F("response_minutes")),
                name="sla_target_resolution_after_response",
                violation_error_message=_("Resolution target must not be shorter than response."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.priority}"


class Service(models.Model):
    """A service (dienst) of the catalogue, owned by one department."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        REQUEST = "request", _("Request")
        QUESTION = "question", _("Question")
        COMPLAINT = "complaint", _("Complaint")

    class Routing(models.TextChoices):
        FIRST_LINE_SOLVES = "first_line", _("First line solves")
        FIRST_LINE_THEN_DEPARTMENT = "first_then_department", _("First line, then department")
        STRAIGHT_TO_DEPARTMENT = "department", _("Straight to the department")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    default_impact = models.CharField(
        _("default impact"), max_length=10, choices=Impact.choices, default=Impact.LOW
    )
    default_urgency = models.CharField(
        _("default urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM
    )
    sla_policy = models.ForeignKey(
        SlaPolicy, on_delete=models.PROTECT, related_name="services", verbose_name=_("SLA policy")
    )
    routing = models.CharField(
        _("routing"), max_length=30, choices=Routing.choices, default=Routing.FIRST_LINE_SOLVES
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_nl, self.name_en)

    @property
    def description(self) -> str:
        return _in_language(self.description_nl, self.description_en)


class RequestField(models.Model):
    """One typed field of a service's request form."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        NUMBER = "number", _("Number")
        FILE = "file", _("File")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("key"), max_length=50)
    label_nl = models.CharField(_("label (Dutch)"), max_length=150)
    label_en = models.CharField(_("label (English)"), max_length=150)
    field_type = models.CharField(_("type"), max_length=10, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice field: the options.")
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("request form field")
        verbose_name_plural = _("request form fields")
        ordering = ["service", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "key"], name="request_field_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.service.code}.{self.key}"

    @property
    def label(self) -> str:
        return _in_language(self.label_nl, self.label_en)
