"""Forms of the administrator's privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.privacy.models import Action, Kind


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"), choices=Kind.choices)
    organization = forms.TypedChoiceField(
        label=_("Organization"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Empty: the default for every organization without a rule of its own."),
    )
    period = forms.IntegerField(
        label=_("Keep for"),
        min_value=1,
        help_text=_("Years for closed tickets (1, 5, 10 or 20), days otherwise."),
    )
    action = forms.ChoiceField(label=_("At expiry"), choices=Action.choices)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            ("", _("All organizations (default)")),
            *((organization.pk, organization.name) for organization in organizations),
        ]


class RequestedByForm(forms.Form):
    requested_by = forms.CharField(
        label=_("Asked by"),
        max_length=200,
        help_text=_("Who asked, and how: e.g. the person themself, by letter of 3 March."),
    )


class EraseForm(RequestedByForm):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email, phone or employee number"), max_length=100, required=False
    )
