"""Forms of the agent workspace: they parse input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.catalog.priority import Impact, Priority, Urgency
from eenloket.core.exceptions import EenloketError
from eenloket.core.forms import FastSelect, grouped_service_choices
from eenloket.tickets import services as ticket_services
from eenloket.tickets.choices import Channel, Status

LEVEL_DEFAULT = [("", _("Default of the service"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; their content is checked by the ticket services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def uploads_from(files: Iterable) -> list[ticket_services.Upload]:
    """Django's uploaded files as the services take them: a name and the bytes."""
    return [ticket_services.Upload(name=file.name, content=file.read()) for file in files]


def apply_service_error(form: forms.Form, exc: EenloketError, *, fallback_field: str = "") -> None:
    """Show a service error on the form: next to its field, or at the top of the form."""
    placed = False
    for field, messages in exc.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
        placed = True
    if not placed:
        target = fallback_field if fallback_field in form.fields else None
        form.add_error(target, exc.message)


# --- the queue ---------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The inbox's filters. Invalid values are reported and ignored, never a server error."""

    ASSIGNED_CHOICES = [
        ("", _("Everyone")),
        ("mine", _("Assigned to me")),
        ("unassigned", _("Unassigned")),
    ]

    queue = forms.TypedChoiceField(
        label=_("Queue"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    organization = forms.TypedChoiceField(
        label=_("Organization"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=FastSelect)
    priority = forms.ChoiceField(label=_("Priority"), required=False, widget=FastSelect)
    assigned = forms.ChoiceField(label=_("Assignee"), required=False, widget=FastSelect)

    def __init__(
        self, *args: Any, queues, departments, services, organizations=(), staff=(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["queue"].choices = everything + [(q.pk, q.name) for q in queues]
        self.fields["status"].choices = [
            ("open", _("Open")),
            *Status.choices,
            ("all", _("All statuses")),
        ]
        self.fields["department"].choices = everything + [(d.pk, d.name) for d in departments]
        self.fields["service"].choices = everything + grouped_service_choices(services)
        self.fields["organization"].choices = everything + [(o.pk, o.name) for o in organizations]
        self.fields["channel"].choices = everything + list(Channel.choices)
        self.fields["priority"].choices = everything + list(Priority.choices)
        # staff: (id, name) pairs
        self.fields["assigned"].choices = self.ASSIGNED_CHOICES + [
            (str(pk), name) for pk, name in staff
        ]

    def assignee(self, me) -> tuple[int | None, bool]:
        """The assignee filter as (user id, unassigned only)."""
        assigned = self.cleaned_data.get("assigned") or ""
        if assigned == "mine":
            return me.pk, False
        if assigned == "unassigned":
            return None, True
        return (int(assigned) if assigned.isdigit() else None), False


# --- actions on a ticket -----------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action carries the ticket version the page showed: a stale one is a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, ticket=None, **kwargs: Any) -> None:
        self.ticket = ticket
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages["required"] = _(
            "The form is incomplete: reload the page and try again."
        )


class ReplyForm(ActionForm):
    body = forms.CharField(
        label=_("Reply to the customer"),
        widget=forms.Textarea(attrs={"rows": 5, "data-shortcut": "r", "aria-keyshortcuts": "r"}),
        required=False,
        help_text=_("The customer reads this in the portal and by email."),
    )
    wait_for_customer = forms.BooleanField(
        label=_("and wait for the customer (the SLA clock pauses)"), required=False
    )
    files = MultipleFileField(label=_("Attachments"))


class NoteForm(ActionForm):
    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 4, "data-shortcut": "n", "aria-keyshortcuts": "n"}),
        required=False,
        help_text=_("Only staff see this; the customer never does."),
    )
    files = MultipleFileField(label=_("Attachments"))


class AssignForm(ActionForm):
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, colleagues=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {user.pk: user for user in colleagues}
        self.fields["assignee"].choices = [("", _("Nobody (unassigned)"))] + [
            (user.pk, user.get_full_name() or user.username) for user in colleagues
        ]


class ClassifyForm(ActionForm):
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)

    def __init__(self, *args: Any, services=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = grouped_service_choices(services)


class HandOverForm(ActionForm):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int)
    question = forms.CharField(
        label=_("What did the customer ask?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    tried = forms.CharField(
        label=_("What has first line tried?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    needed = forms.CharField(
        label=_("What does the department need to do?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, departments=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = {department.pk: department for department in departments}
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why does the ticket go back to first line?")


class WaitForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("What are you waiting for? (optional)")
        self.fields["reason"].help_text = _("The customer sees this.")


class ReopenForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why is the ticket reopened?")


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label=_("Solution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The customer sees this."),
    )


class CloseForm(ActionForm):
    pass


# --- a new ticket for a caller -----------------------------------------------------------


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the caller"),
        required=False,
        help_text=_("Name, email address, phone number or employee number."),
    )


class PersonCreateForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=40, help_text=_("For example 078 123 45 67.")
    )
    mobile = forms.CharField(label=_("Mobile"), required=False, max_length=40)
    employee_number = forms.CharField(label=_("Employee number"), required=False, max_length=30)

    def __init__(self, *args: Any, organizations=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in organizations}
        self.fields["organization"].choices = [("", "—")] + [(o.pk, o.name) for o in organizations]
        self.fields["email"].widget.input_type = "email"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["mobile"].widget.input_type = "tel"


class ServiceChoiceForm(forms.Form):
    """Step one of a new ticket: the service decides which request form follows."""

    dienst = forms.TypedChoiceField(label=_("Service"), coerce=int)

    def __init__(self, *args: Any, services=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = list(services)
        # A list box shows the matches at once (the search narrows it down); a single match
        # is chosen already, so Enter goes on.
        self.fields["dienst"].choices = grouped_service_choices(services)
        self.fields["dienst"].widget.attrs["size"] = min(12, len(services) + 3)
        if len(services) == 1:
            self.initial.setdefault("dienst", services[0].pk)


class ServiceSearchForm(forms.Form):
    zoek = forms.CharField(
        label=_("Search the catalogue"),
        required=False,
        max_length=100,
        help_text=_("A word from the service's name or description."),
    )


def request_form_fields(request_fields: Iterable) -> dict[str, forms.Field]:
    """Form fields for a service's request form. Loose on purpose: the catalogue validates."""
    fields: dict[str, forms.Field] = {}
    for field in request_fields:
        common = {"label": field.label, "required": False}
        kind = field.field_type
        if kind == "choice":
            fields[f"form_{field.key}"] = forms.ChoiceField(
                choices=[("", "—")] + [(option, option) for option in field.choices], **common
            )
        elif kind == "date":
            fields[f"form_{field.key}"] = forms.CharField(
                widget=forms.DateInput(attrs={"type": "date"}), **common
            )
        elif kind == "number":
            fields[f"form_{field.key}"] = forms.CharField(
                widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
            )
        elif kind == "file":
            fields[f"form_{field.key}"] = forms.FileField(**common)
        else:
            fields[f"form_{field.key}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), **common
            )
        if field.required:
            fields[f"form_{field.key}"].widget.attrs["aria-required"] = "true"
            fields[f"form_{field.key}"].label = _("%(label)s (required)") % {"label": field.label}
    return fields


class RequestForm(forms.Form):
    """The subject, the question and the service's own fields; shared with the portal."""

    title = forms.CharField(label=_("Subject"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args: Any, request_fields=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_field_keys = [field.key for field in request_fields]
        self.fields.update(request_form_fields(request_fields))
        self.files_field = MultipleFileField(label=_("Attachments"))
        self.fields["files"] = self.files_field

    def form_data(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data.get(f"form_{key}")
            for key in self.request_field_keys
            if not isinstance(self.fields[f"form_{key}"], forms.FileField)
        }

    def uploads(self) -> list[ticket_services.Upload]:
        files = list(self.cleaned_data.get("files") or [])
        for key in self.request_field_keys:
            value = self.cleaned_data.get(f"form_{key}")
            if hasattr(value, "read"):
                files.append(value)
        return uploads_from(files)

    def apply_error(self, exc: EenloketError) -> None:
        """Service field names are the request form's keys, or title/description/…"""
        placed = False
        for field, messages in exc.field_errors.items():
            name = field if field in self.fields else f"form_{field}"
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
            placed = True
        if not placed:
            self.add_error("files" if exc.code == "upload_rejected" else None, exc.message)


class CallerTicketForm(RequestForm):
    CHANNEL_CHOICES = [
        (Channel.PHONE, Channel.PHONE.label),
        (Channel.COUNTER, Channel.COUNTER.label),
        (Channel.EMAIL, Channel.EMAIL.label),
    ]
    OUTCOME_CHOICES = [
        ("open", _("Leave it open in the queue")),
        ("solved", _("Solved at first contact")),
        ("hand_over", _("Hand over to a department")),
    ]

    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES, initial="phone")
    impact = forms.ChoiceField(
        label=_("Impact"), choices=LEVEL_DEFAULT + list(Impact.choices), required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=LEVEL_DEFAULT + list(Urgency.choices), required=False
    )
    outcome = forms.ChoiceField(
        label=_("What happens now?"),
        choices=OUTCOME_CHOICES,
        initial="open",
        widget=forms.RadioSelect,
        required=False,  # left out (an API-like post): the ticket stays open
    )
    resolution = forms.CharField(
        label=_("Solution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The customer sees it."),
    )
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False)
    tried = forms.CharField(
        label=_("What have you tried?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    needed = forms.CharField(
        label=_("What does the department need to do?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    field_order = ["channel", "title", "description", "impact", "urgency"]
    OUTCOME_FIELDS = ("outcome", "resolution", "department", "tried", "needed")

    def __init__(self, *args: Any, departments=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = {department.pk: department for department in departments}
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        # What happens with the contact is the last thing an agent decides.
        for name in self.OUTCOME_FIELDS:
            self.fields[name] = self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["outcome"] = data.get("outcome") or "open"
        if data.get("outcome") == "hand_over" and data.get("department") not in self.departments:
            self.add_error("department", _("Choose the department that takes it over."))
        return data

    def ticket_fields(self):
        """The fields before the outcome: channel, subject, question, the service's own."""
        return [field for field in self if field.name not in self.OUTCOME_FIELDS]
