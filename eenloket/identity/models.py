"""Identity providers (OpenID Connect) per customer organization, the mapping of their group
claims to staff roles, and the link from a provider's subject to a login."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.directory.roles import Role


class IdentityProvider(models.Model):
    """An organization's OpenID Connect provider (Microsoft Entra ID, Keycloak, ...)."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="identity_providers",
        verbose_name=_("organization"),
    )
    name = models.CharField(
        _("name on the login page"),
        max_length=100,
        help_text=_("Shown as 'Log in with <name>'."),
    )
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "The issuer URL; its /.well-known/openid-configuration is read. Entra ID: "
            "https://login.microsoftonline.com/<tenant id>/v2.0"
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_env = models.CharField(
        _("client secret: environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable that holds the secret (preferred)."),
    )
    # Fernet token of the client secret; never shown back.
    client_secret_encrypted = models.TextField(_("client secret (encrypted)"), blank=True)
    email_domains = models.CharField(
        _("email domains"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; a login with such an address goes to this provider."),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    employee_number_claim = models.CharField(
        _("employee number claim"),
        max_length=60,
        blank=True,
        help_text=_("e.g. employee_number, or employeeid in Entra ID (optional claim)."),
    )
    groups_claim = models.CharField(_("groups claim"), max_length=60, default="groups")
    enforces_mfa = models.BooleanField(
        _("the provider enforces MFA"),
        default=False,
        help_text=_(
            "Tick only when the provider demands a second factor for every login to this "
            "application (e.g. an Entra ID conditional access policy). Otherwise MFA counts "
            "only when the amr claim says mfa or otp."
        ),
    )
    create_people = models.BooleanField(
        _("create unknown people"),
        default=True,
        help_text=_("Create a login and a person of the organization on a first login."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()]


class GroupRoleMapping(models.Model):
    """A value of the provider's groups claim that makes its members staff."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="group_mappings",
        verbose_name=_("identity provider"),
    )
    group = models.CharField(
        _("group claim value"),
        max_length=200,
        help_text=_("As the provider sends it; Entra ID sends the group's object id."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["provider", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "group", "role", "department"],
                name="identity_group_mapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class ExternalIdentity(models.Model):
    """The provider's stable subject (`sub`) of a login: matched first on every SSO login."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("identity provider"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("first login"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="identity_subject_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"
