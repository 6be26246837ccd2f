"""Forms of the customer portal. They parse input and give the browser hints (types,
required, patterns); the ticket and catalogue services decide what is valid."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError
from eenloket.tickets import services as ticket_services

# The file types tickets/uploads.py accepts, as a hint for the browser's file picker.
ACCEPTED_FILES = (
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,.msg,"
    ".txt,.csv,.eml,.log,.md,.zip,.wav,.mp3,.ogg,.opus"
)
NUMBER_PATTERN = r"-?[0-9]+([.,][0-9]+)?"
# A date typed by hand where the browser has no date picker: 31-12-2026 (or 31/12/2026).
DUTCH_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def files_help() -> str:
    return _("PDF, image, office document or text file; at most %(mb)s MB each.") % {
        "mb": settings.EENLOKET_MAX_UPLOAD_BYTES // (1024 * 1024)
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; their content is checked by the ticket services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def uploads_from(files: Iterable) -> list[ticket_services.Upload]:
    """Django's uploaded files as the services take them: a name and the bytes."""
    return [ticket_services.Upload(name=file.name, content=file.read()) for file in files]


def apply_service_error(
    form: forms.Form,
    exc: EenloketError,
    *,
    fallback: str = "",
    aliases: dict[str, str] | None = None,
) -> None:
    """Show a service error next to its field, or at the top of the form. The services name
    a request form's fields by their key; `aliases` maps other names to the form's."""
    placed = False
    for field, messages in exc.field_errors.items():
        field = (aliases or {}).get(field, field)
        name = field if field in form.fields else f"form_{field}"
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
        placed = True
    if not placed:
        target = "files" if exc.code == "upload_rejected" and "files" in form.fields else fallback
        form.add_error(target if target in form.fields else None, exc.message)


def _required(field: forms.Field) -> None:
    """Ask the browser to insist too, and say so in the label."""
    field.widget.attrs["required"] = True
    field.label = _("%(label)s (required)") % {"label": field.label}


def _plain(number) -> str | None:
    """2.00 -> "2", 2.50 -> "2.5"."""
    return None if number is None else format(number.normalize(), "f")


def _number_help(request_field) -> str:
    low, high = _plain(request_field.min_value), _plain(request_field.max_value)
    if low is not None and high is not None:
        return _("A number from %(min)s to %(max)s.") % {"min": low, "max": high}
    if low is not None:
        return _("A number of at least %(min)s.") % {"min": low}
    if high is not None:
        return _("A number of at most %(max)s.") % {"max": high}
    return _("A number, for example 12 or 3,5.")


def request_form_field(request_field) -> forms.Field:
    """A form field for one typed field of the catalogue. Loose on purpose: the catalogue
    validates (and its message appears next to the field)."""
    common: dict[str, Any] = {"label": request_field.label, "required": False}
    kind = request_field.field_type
    if kind == "choice":
        field: forms.Field = forms.ChoiceField(
            choices=[("", _("— choose —"))] + [(o, o) for o in request_field.choices], **common
        )
    elif kind == "date":
        field = forms.CharField(
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=_("For example 31-12-2026."),
            **common,
        )
    elif kind == "number":
        field = forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal", "pattern": NUMBER_PATTERN}),
            help_text=_number_help(request_field),
            **common,
        )
    elif kind == "file":
        field = forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
            help_text=files_help(),
            **common,
        )
    else:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}), **common
        )
    if request_field.required:
        _required(field)
    return field


class RequestForm(forms.Form):
    """A request: the subject, the question, the service's own fields and attachments."""

    title = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=200,
        help_text=_("In a few words, for example “Laptop does not start”."),
    )
    description = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What happened, since when, and what you have tried."),
    )

    def __init__(self, *args: Any, request_fields: Iterable = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self.fields["title"])
        _required(self.fields["description"])
        self.request_fields = list(request_fields)
        for request_field in self.request_fields:
            self.fields[f"form_{request_field.key}"] = request_form_field(request_field)
        self.fields["files"] = MultipleFileField(
            label=_("Attachments (optional)"), help_text=files_help()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for request_field in self.request_fields:
            name = f"form_{request_field.key}"
            value = cleaned.get(name)
            if request_field.field_type == "date" and isinstance(value, str):
                match = DUTCH_DATE.match(value)
                if match:
                    day, month, year = (int(part) for part in match.groups())
                    try:
                        cleaned[name] = datetime.date(year, month, day).isoformat()
                    except ValueError:
                        self.add_error(name, _("This date does not exist."))
        return cleaned

    def form_data(self) -> dict[str, Any]:
        return {
            field.key: self.cleaned_data.get(f"form_{field.key}")
            for field in self.request_fields
            if field.field_type != "file"
        }

    def form_files(self) -> dict[str, ticket_services.Upload]:
        files = {}
        for field in self.request_fields:
            value = self.cleaned_data.get(f"form_{field.key}")
            if field.field_type == "file" and value:
                files[field.key] = ticket_services.Upload(name=value.name, content=value.read())
        return files

    def uploads(self) -> list[ticket_services.Upload]:
        return uploads_from(self.cleaned_data.get("files") or [])


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What is your question about?"),
        required=False,
        max_length=200,
        help_text=_("For example: password, payslip, access pass."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class MessageForm(forms.Form):
    """Write to the desk, add a file, or both."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Write a message, add a file, or both."),
    )
    files = MultipleFileField(label=_("Add a file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()


class SolvedForm(forms.Form):
    comment = forms.CharField(
        label=_("What solved it? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not solved? (required)"),
        widget=forms.Textarea(attrs={"rows": 4, "required": True}),
        required=False,
    )
    files = MultipleFileField(label=_("Add a file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()
