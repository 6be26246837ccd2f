"""Admin for API keys (the key is shown once, at creation) and webhooks with their log."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from eenloket.core import clock
from eenloket.core.exceptions import ValidationFailed
from eenloket.integrations import services
from eenloket.integrations.models import (
    ApiKey,
    IdempotencyRecord,
    SlaRiskNotice,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = [
            "name",
            "role",
            "department",
            "organization",
            "rate_limit_per_minute",
            "expires_at",
        ]

    def clean(self):
        data = super().clean()
        try:
            services.apikey_validate(
                name=data.get("name") or "",
                role=data.get("role") or "",
                department=data.get("department"),
                organization=data.get("organization"),
                rate_limit_per_minute=data.get("rate_limit_per_minute") or 0,
            )
        except ValidationFailed as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "role",
        "department",
        "organization",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    list_select_related = ["department", "organization"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]
    form = ApiKeyForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name", "prefix", "user", "role", "department", "organization",
            "rate_limit_per_minute", "created_at", "created_by", "expires_at",
            "revoked_at", "last_used_at",
        ]  # fmt: skip

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or ApiKeyForm.Meta.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        key, raw_key = services.apikey_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            department=form.cleaned_data["department"],
            organization=form.cleaned_data["organization"],
            rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
            expires_at=form.cleaned_data["expires_at"],
        )
        obj.pk = key.pk
        obj._raw_key = raw_key

    def save_related(self, request, form, formsets, change):
        pass  # the service saved everything

    def response_add(self, request, obj, post_url_continue=None):
        # The key exists only in this response: never in a message cookie or a log.
        return TemplateResponse(
            request,
            "integrations/apikey_created.html",
            {**self.admin_site.each_context(request), "key": obj, "raw_key": obj._raw_key,
             "title": _("API key created")},
        )  # fmt: skip

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            services.apikey_revoke(actor=request.user, key=key)
        messages.success(request, _("The keys are revoked."))


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("signing secret"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to have one made."),
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple, label=_("events")
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "secret", "events", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "url", "events", "is_active"]

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = clock.now()
        if not obj.secret:
            obj.secret = secrets.token_urlsafe(32)
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "subscription", "status", "attempts", "last_status_code"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "key", "user", "status_code"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SlaRiskNotice)
class SlaRiskNoticeAdmin(admin.ModelAdmin):
    list_display = ["ticket_id", "due_at"]

    def has_add_permission(self, request):
        return False
