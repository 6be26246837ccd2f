"""Who is who: customer organizations, people, departments, staff and their queues."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eenloket.directory.exceptions import InvalidPhoneNumber
from eenloket.directory.phones import phone_normalize
from eenloket.directory.roles import DESK_WIDE_ROLES, STAFF_ROLES, TICKET_ROLES, Role


class Organization(models.Model):
    """A customer organization (klantorganisatie): a municipality or a related body."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    email_domain = models.CharField(_("email domain"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The switchboard number in E.164, kept beside the number as typed so that an incoming
    # call finds its organization through an index (empty when the number is not valid).
    # (db_default: rows written without this model, e.g. by an older migration's state.)
    phone_e164 = models.CharField(
        max_length=20, blank=True, default="", db_default="", editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("customer organization")
        verbose_name_plural = _("customer organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["phone_e164"], name="organization_phone")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        try:
            self.phone_e164 = phone_normalize(self.phone) if self.phone else ""
        except InvalidPhoneNumber:
            self.phone_e164 = ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_e164"}
        super().save(*args, **kwargs)


class Department(models.Model):
    """A department (afdeling) of the shared services center that owns services."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # How customers call what the department does for them ("Computer, phone and accounts"),
    # the heading of its services in the portal; blank falls back to the department's name.
    customer_name_nl = models.CharField(_("name for customers (Dutch)"), max_length=100, blank=True)
    customer_name_en = models.CharField(
        _("name for customers (English)"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl

    @property
    def customer_name(self) -> str:
        english = (get_language() or "nl").startswith("en")
        named = self.customer_name_en if english else self.customer_name_nl
        return named or self.name


class User(AbstractUser):
    """A login. Staff have a role and department memberships; everyone may also be a customer."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CUSTOMER)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="members", verbose_name=_("departments")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_desk_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def works_whole_desk(self) -> bool:
        return self.role in DESK_WIDE_ROLES

    @property
    def works_tickets(self) -> bool:
        return self.role in TICKET_ROLES


class Person(models.Model):
    """A customer (klant): an employee of a customer organization, with or without a login."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organization"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, help_text=_("E.164"))
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login"),
    )
    sees_organization_tickets = models.BooleanField(
        _("sees the organization's tickets"),
        default=False,
        help_text=_("A contact person who may follow every ticket of the organization."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(Lower("email"), name="person_email_ci"),
            models.Index(fields=["phone"], name="person_phone"),
            models.Index(fields=["mobile"], name="person_mobile"),
            models.Index(fields=["last_name", "first_name"], name="person_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "employee_number"],
                condition=~models.Q(employee_number=""),
                name="person_employee_number_unique_per_organization",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Queue(models.Model):
    """A work queue (behandelgroep): the central first-line desk or a department's queue."""

    class Line(models.TextChoices):
        FIRST = "first", _("First line")
        SECOND = "second", _("Second line")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    line = models.CharField(_("line"), max_length=10, choices=Line.choices)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queues",
        verbose_name=_("department"),
    )
    is_default = models.BooleanField(
        _("default queue of its line or department"),
        default=False,
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["line", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line="first", department__isnull=True)
                | models.Q(line="second", department__isnull=False),
                name="queue_second_line_has_department",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=models.Q(is_default=True, department__isnull=False),
                name="queue_one_default_per_department",
            ),
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(is_default=True, line="first"),
                name="queue_one_default_first_line",
            ),
        ]

    def __str__(self) -> str:
        return self.name
