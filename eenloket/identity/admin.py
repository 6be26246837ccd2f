from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as _otp_static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _otp_totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.core.admin import ReadOnlyAdmin
from eenloket.identity import services
from eenloket.identity.models import (
    AuthenticatorDevice,
    ExternalIdentity,
    GroupRoleMapping,
    IdentityProvider,
)

# django-otp's own TOTP devices keep their key in plain text and are no longer used
# (AuthenticatorDevice replaces them), and the recovery codes are stored as digests: its
# admin pages would show keys and accept plain ones that never work. Importing them first
# registers them, whatever the order of INSTALLED_APPS.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


def _reset_mfa(request, queryset) -> None:
    """The admin action of identities and authenticator apps: each one's login starts over."""
    for row in queryset.select_related("user"):
        services.mfa_reset(actor=request.user, user=row.user)


class HttpsURLField(forms.URLField):
    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Stored encrypted and never shown again; leave empty to keep the stored one. "
            "Better: name an environment variable instead."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organization",
            "name",
            "slug",
            "issuer",
            "client_id",
            "client_secret_env",
            "email_domains",
            "scopes",
            "employee_number_claim",
            "groups_claim",
            "enforces_mfa",
            "create_people",
            "is_active",
        ]
        field_classes = {"issuer": HttpsURLField}


class GroupRoleMappingInline(admin.TabularInline):
    model = GroupRoleMapping
    extra = 1


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "organization", "issuer", "email_domains", "enforces_mfa", "is_active"]
    list_select_related = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GroupRoleMappingInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        secret = form.cleaned_data.get("client_secret")
        if secret:
            services.provider_set_client_secret(provider=obj, secret=secret)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "subject", "created_at", "last_login_at"]
    list_select_related = ["user", "provider"]
    list_filter = ["provider"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["provider", "subject", "user", "created_at", "last_login_at"]
    actions = ["reset_mfa"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Switch off two-step verification of these logins"))
    def reset_mfa(self, request, queryset):
        _reset_mfa(request, queryset)


@admin.register(GroupRoleMapping)
class GroupRoleMappingAdmin(admin.ModelAdmin):
    list_display = ["group", "role", "department", "provider"]
    list_select_related = ["provider", "department"]
    list_filter = ["provider", "role"]
    search_fields = ["group"]


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(ReadOnlyAdmin):
    """Who has an authenticator app and when it was last used; never the key. Switching it
    off goes through the action, which removes the recovery codes too and is audited."""

    list_display = [
        "user",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
    ]
    list_select_related = ["user"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = list_display
    readonly_fields = list_display
    actions = ["reset_mfa"]

    @admin.action(description=_("Switch off two-step verification of these logins"))
    def reset_mfa(self, request, queryset):
        _reset_mfa(request, queryset)
