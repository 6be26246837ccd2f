"""Forms of the knowledge pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError
from eenloket.core.forms import FastSelect, grouped_service_choices
from eenloket.knowledge.models import Audience, Language
from eenloket.knowledge.search import MAX_QUERY_CHARS


def apply_error(form: forms.Form, exc: EenloketError) -> None:
    for field, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not exc.field_errors:
        form.add_error(None, exc.message)


class SearchForm(forms.Form):
    """Search and filters; invalid filters are shown and otherwise ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_CHARS * 5,  # longer is cut to MAX_QUERY_CHARS, with a notice
    )
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("All")), *Audience.choices],
        widget=FastSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All")), *Language.choices],
        widget=FastSelect,
    )

    def __init__(self, *args, departments=(), services=(), public_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All"))] + [(d.pk, d.name) for d in departments]
        self.fields["service"].choices = [("", _("All")), *grouped_service_choices(services)]
        if public_only:
            del self.fields["audience"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; their content is checked by the services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _files_help() -> str:
    return _(
        "PDF, image, office document or text file, at most %(size)s each. A file that is "
        "refused must be chosen again."
    ) % {"size": filesizeformat(settings.EENLOKET_MAX_UPLOAD_BYTES)}


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: ## heading, **bold**, - list item, 1. step, [text](https://link). "
            "HTML is shown as text."
        ),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=300,
        help_text=_("Words customers use that are not in the text, separated by spaces."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    services = forms.TypedMultipleChoiceField(
        label=_("Services"), required=False, coerce=int, widget=forms.SelectMultiple
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the owning department checks the article again (default: in a year)."),
    )
    keep = forms.TypedMultipleChoiceField(
        label=_("Attachments to keep"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a file to remove it from this version."),
    )
    files = MultipleFileField(label=_("Add attachments"))
    change_note = forms.CharField(label=_("What changed and why"), required=False, max_length=500)

    def __init__(self, *args, services=(), attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = grouped_service_choices(services)
        self.fields["files"].help_text = _files_help()
        if attachments:
            self.fields["keep"].choices = [
                (item.pk, f"{item.filename} ({filesizeformat(item.size)})") for item in attachments
            ]
        else:
            del self.fields["keep"]


class NewArticleForm(ArticleForm):
    department = forms.TypedChoiceField(label=_("Owning department"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    translation_of = forms.TypedChoiceField(
        label=_("Translation of"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The article in the other language, if this is its translation."),
    )

    field_order = ["department", "language", "translation_of", "title", "body"]

    def __init__(self, *args, departments=(), articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]
        self.fields["translation_of"].choices = [("", _("None"))] + [
            (a.pk, f"{a.title} ({a.get_language_display()})") for a in articles
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Note for the author"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("1", _("Yes")), ("0", _("No"))], coerce=lambda value: value == "1"
    )


class TransferForm(forms.Form):
    department = forms.TypedChoiceField(label=_("New owning department"), coerce=int)
    note = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=500,
        help_text=_("The receiving department reads this before it accepts."),
    )

    def __init__(self, *args, departments=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [
            (d.pk, d.name) for d in departments if d.pk != current
        ]


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline")), ("cancel", _("Cancel"))]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TranslationForm(forms.Form):
    translation = forms.TypedChoiceField(
        label=_("Translation"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The same article in the other language; choose none to unlink."),
    )

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["translation"].choices = [("", _("None"))] + [
            (a.pk, f"{a.title or a.slug} ({a.get_language_display()}, {a.department.name})")
            for a in articles
        ]
