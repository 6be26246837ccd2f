"""Identity providers (OpenID Connect) per customer organization, the mapping of their group
claims to staff roles, the link from a provider's subject to a login, and the authenticator
apps of the second factor."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.directory.roles import Role
from eenloket.identity.credentials import authenticator_key_decrypt, authenticator_key_encrypt


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


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP) of a login, its key encrypted at rest.

    django-otp's own TOTPDevice keeps the key as plain hex, so whoever reads a database dump
    could make the codes of every staff member. This device stores a Fernet token of the key
    (identity/credentials.py) and otherwise is django-otp's: the same fields, and its
    verification (each code once, drift, throttling) and otpauth URL, which read the key only
    through `bin_key`.
    """

    key_encrypted = models.TextField(_("key (encrypted)"), editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        """The key; raises MfaKeyUnreadable when the encryption key has changed."""
        return authenticator_key_decrypt(self.key_encrypted)

    def set_key(self, key: bytes) -> None:
        self.key_encrypted = authenticator_key_encrypt(key)
