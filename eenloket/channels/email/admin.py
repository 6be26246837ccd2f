"""Administrators configure mailboxes and templates and work the quarantine here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from eenloket.channels.email import services
from eenloket.channels.email.imap import mailbox_fetch
from eenloket.channels.email.models import (
    InboundMessage,
    Mailbox,
    MailContact,
    MailTemplate,
    NotificationCursor,
    OutboundMessage,
    Quarantine,
    TicketCopy,
)
from eenloket.channels.email.notifications import render
from eenloket.core.exceptions import EenloketError
from eenloket.directory.selectors import person_find_by_email


class MailboxForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Password or OAuth2 token"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Stored encrypted and never shown again. Leave empty to keep the stored one, or "
            "name an environment variable below instead."
        ),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name", "address", "is_active", "host", "port", "security", "username", "auth",
            "secret_env", "folder", "after_intake", "processed_folder", "service",
            "allowed_domains", "language", "rate_limit_per_hour",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        has_stored = bool(self.instance.pk and self.instance.secret_encrypted)
        if not (cleaned.get("secret") or cleaned.get("secret_env") or has_stored):
            raise ValidationError(
                _("Enter a password or token, or the environment variable that holds it.")
            )
        return cleaned


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ("name", "address", "host", "is_active", "last_fetch_at", "last_error")
    list_filter = ("is_active",)
    search_fields = ("name", "address", "host")
    readonly_fields = ("secret_stored", "last_fetch_at", "last_error")
    actions = ["fetch_now"]
    fieldsets = (
        (None, {"fields": ("name", "address", "is_active")}),
        (
            _("Connection"),
            {
                "fields": (
                    "host",
                    "port",
                    "security",
                    "username",
                    "auth",
                    "secret",
                    "secret_env",
                    "secret_stored",
                )
            },
        ),
        (_("Intake"), {"fields": ("folder", "after_intake", "processed_folder")}),
        (
            _("Routing"),
            {"fields": ("service", "allowed_domains", "language", "rate_limit_per_hour")},
        ),
        (_("State"), {"fields": ("last_fetch_at", "last_error")}),
    )

    @admin.display(description=_("secret stored"), boolean=True)
    def secret_stored(self, mailbox):
        return bool(mailbox.secret_encrypted)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.mailbox_set_secret(mailbox=obj, secret=form.cleaned_data.get("secret") or "")

    @admin.action(description=_("Fetch new mail now"))
    def fetch_now(self, request, queryset):
        for mailbox in queryset:
            try:
                result = mailbox_fetch(mailbox)
            except EenloketError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(mailbox)s: %(count)s mails taken in.")
                % {"mailbox": mailbox.name, "count": result.total},
                messages.SUCCESS,
            )


class ToTicketForm(forms.Form):
    email = forms.EmailField(
        label=_("Requester's email address"),
        help_text=_("A person who is already in the directory."),
    )
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)

    def clean_email(self):
        person = person_find_by_email(self.cleaned_data["email"])
        if person is None:
            raise ValidationError(_("No person has this address. Add them in the directory first."))
        self.person = person
        return self.cleaned_data["email"]


@admin.register(Quarantine)
class QuarantineAdmin(admin.ModelAdmin):
    list_display = ("at", "reason", "sender", "subject", "mailbox", "state")
    list_filter = ("state", "reason")
    search_fields = ("inbound__sender", "inbound__subject", "detail")
    list_select_related = ("inbound__mailbox",)
    readonly_fields = (
        "inbound",
        "reason",
        "detail",
        "state",
        "at",
        "resolved_at",
        "resolved_by",
        "raw_download",
    )
    actions = ["retry", "to_ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sender"))
    def sender(self, quarantine):
        return quarantine.inbound.sender

    @admin.display(description=_("subject"))
    def subject(self, quarantine):
        return quarantine.inbound.subject

    @admin.display(description=_("mailbox"))
    def mailbox(self, quarantine):
        return quarantine.inbound.mailbox.name

    @admin.display(description=_("original mail"))
    def raw_download(self, quarantine):
        return f"{quarantine.inbound.raw.name} ({quarantine.inbound.size} bytes)"

    @admin.action(description=_("Retry: take the mail in again"))
    def retry(self, request, queryset):
        for quarantine in queryset:
            try:
                result = services.quarantine_retry(actor=request.user, quarantine_id=quarantine.pk)
            except EenloketError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
                continue
            if result.outcome == InboundMessage.Outcome.QUARANTINED:
                self.message_user(
                    request,
                    _("Still quarantined: %(reason)s")
                    % {"reason": Quarantine.Reason(result.reason).label},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("Taken in: %(outcome)s %(number)s")
                    % {
                        "outcome": InboundMessage.Outcome(result.outcome).label,
                        "number": result.ticket_number,
                    },
                    messages.SUCCESS,
                )

    @admin.action(description=_("Turn into a ticket by hand"))
    def to_ticket(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one mail."), messages.ERROR)
            return None
        quarantine = queryset.get()
        form = ToTicketForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                result = services.quarantine_to_ticket(
                    actor=request.user,
                    quarantine_id=quarantine.pk,
                    requester=form.person,
                    title=form.cleaned_data["title"],
                )
            except EenloketError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Ticket %(number)s opened.") % {"number": result.ticket_number},
                    messages.SUCCESS,
                )
                return redirect(request.get_full_path())
        return TemplateResponse(
            request,
            "admin/email_channel/quarantine_to_ticket.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Turn a quarantined mail into a ticket"),
                "quarantine": quarantine,
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "mailbox", "sender", "subject", "outcome", "ticket")
    list_filter = ("outcome", "mailbox")
    search_fields = ("sender", "subject", "message_id")
    list_select_related = ("mailbox", "ticket")
    exclude = ("html",)
    readonly_fields = ("remote_images_allowed_at", "remote_images_allowed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "to", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("to", "subject", "message_id")
    exclude = ("body_html",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MailTemplateForm(forms.ModelForm):
    class Meta:
        model = MailTemplate
        fields = ["kind", "language", "subject", "text", "html"]

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(key) for key in ("kind", "language", "subject", "text", "html")):
            context = {
                "number": "M2026-00001",
                "title": "Test",
                "name": "Test",
                "expected_response": "-",
                "body": "Test",
                "satisfaction_url": "https://example.org/",
                "status": "new",
            }
            try:
                render(
                    kind=cleaned["kind"],
                    language=cleaned["language"],
                    context=context,
                    override={k: cleaned[k] for k in ("subject", "text", "html")},
                )
            except Exception as exc:
                raise ValidationError(
                    _("The template has an error: %(error)s") % {"error": exc}
                ) from exc
        return cleaned


@admin.register(MailTemplate)
class MailTemplateAdmin(admin.ModelAdmin):
    form = MailTemplateForm
    list_display = ("kind", "language", "subject")
    list_filter = ("kind", "language")


@admin.register(MailContact)
class MailContactAdmin(admin.ModelAdmin):
    list_display = ("person", "language")
    list_filter = ("language",)
    raw_id_fields = ("person",)
    list_select_related = ("person",)


@admin.register(TicketCopy)
class TicketCopyAdmin(admin.ModelAdmin):
    list_display = ("ticket", "address", "kept")
    list_filter = ("kept",)
    raw_id_fields = ("ticket",)
    search_fields = ("address", "ticket__number")
    list_select_related = ("ticket",)


@admin.register(NotificationCursor)
class NotificationCursorAdmin(admin.ModelAdmin):
    list_display = ("name", "last_entry_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
