"""Telephony in the admin: exchange tokens (shown once), extensions, blocked numbers, holds
(retention is a rule of the privacy app); calls, recordings and playbacks are looked at only."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.channels.phone import services
from eenloket.channels.phone.models import (
    BlockedNumber,
    Call,
    CallEvent,
    CtiToken,
    PhoneExtension,
    PlaybackLog,
    Recording,
    RecordingHold,
)
from eenloket.core.admin import ReadOnlyAdmin
from eenloket.core.exceptions import EenloketError


class AnnouncementReminder:
    """Every telephony list reminds the administrator what callers must be told."""

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "phone_announcement": settings.EENLOKET_PHONE_ANNOUNCEMENT,
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(CtiToken)
class CtiTokenAdmin(AnnouncementReminder, admin.ModelAdmin):
    list_display = ["name", "hint", "created_at", "created_by", "last_used_at", "revoked_at"]
    fields = ["name"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, plaintext = services.cti_token_create(actor=request.user, name=obj.name)
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "The token for “%(name)s” is %(token)s . Copy it now into the exchange's URL "
                "/api/v1/cti/<token>: it is not shown again and only its hash is stored."
            )
            % {"name": token.name, "token": plaintext},
        )

    def response_add(self, request, obj, post_url_continue=None):
        # Straight back to the list: the default success message would repeat the name only.
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        return HttpResponseRedirect(reverse("admin:phone_ctitoken_changelist"))

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.cti_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Revoked: the exchange can no longer use these tokens."))


@admin.register(PhoneExtension)
class PhoneExtensionAdmin(AnnouncementReminder, admin.ModelAdmin):
    list_display = ["extension", "user"]
    search_fields = ["extension", "user__username"]
    autocomplete_fields = []
    raw_id_fields = ["user"]


class BlockedNumberForm(forms.ModelForm):
    class Meta:
        model = BlockedNumber
        fields = ["number", "reason"]

    def clean_number(self):
        try:
            return services.number_for_block(self.cleaned_data["number"])
        except EenloketError as exc:
            raise ValidationError(exc.field_errors.get("number") or [exc.message]) from None


@admin.register(BlockedNumber)
class BlockedNumberAdmin(AnnouncementReminder, admin.ModelAdmin):
    form = BlockedNumberForm
    list_display = ["number", "reason", "created_at"]
    search_fields = ["number"]


class CallEventInline(admin.TabularInline):
    model = CallEvent
    fields = ["event", "at", "payload"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CallEvent)
class CallEventAdmin(AnnouncementReminder, ReadOnlyAdmin):
    list_display = ["call", "event", "at"]
    list_filter = ["event"]
    list_select_related = ["call"]
    search_fields = ["call__call_id"]


@admin.register(Call)
class CallAdmin(AnnouncementReminder, ReadOnlyAdmin):
    list_display = [
        "started_at",
        "direction",
        "number",
        "person",
        "agent",
        "queue_name",
        "result",
        "followup",
        "ticket",
    ]
    list_filter = ["direction", "result", "followup", "match"]
    search_fields = ["call_id", "number"]
    list_select_related = ["person", "agent", "ticket"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    inlines = [CallEventInline]


@admin.register(Recording)
class RecordingAdmin(AnnouncementReminder, ReadOnlyAdmin):
    list_display = ["call", "content_type", "size", "uploaded_at", "deleted_at", "deleted_reason"]
    list_filter = ["content_type"]
    list_select_related = ["call"]
    search_fields = ["call__call_id"]
    exclude = ["file"]


class RecordingHoldForm(forms.ModelForm):
    class Meta:
        model = RecordingHold
        fields = ["recording", "reason"]


@admin.register(RecordingHold)
class RecordingHoldAdmin(AnnouncementReminder, admin.ModelAdmin):
    form = RecordingHoldForm
    list_display = ["recording", "reason", "placed_at", "placed_by", "released_at"]
    raw_id_fields = ["recording"]
    actions = ["release"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        hold = services.recording_hold_place(
            actor=request.user, recording=obj.recording, reason=obj.reason
        )
        obj.pk = hold.pk
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Release the selected holds"))
    def release(self, request, queryset):
        for hold in queryset.select_related("recording"):
            services.recording_hold_release(actor=request.user, hold=hold)
        messages.success(request, _("Released: retention applies to these recordings again."))


@admin.register(PlaybackLog)
class PlaybackLogAdmin(AnnouncementReminder, ReadOnlyAdmin):
    list_display = ["at", "user", "recording", "byte_range"]
    list_select_related = ["user", "recording__call"]
    date_hierarchy = "at"
