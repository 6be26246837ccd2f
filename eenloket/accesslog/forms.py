"""The access log's search form (Dutch parameter names, like the other pages)."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eenloket.accesslog.models import Action, Channel, Result
from eenloket.accesslog.selectors import AccessFilters


def _choices(choices):
    return [("", _("All")), *choices]


class AccessSearchForm(forms.Form):
    persoon = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=100,
        help_text=_(
            "A name, email address, phone or employee number; or # and the person's number."
        ),
    )
    melding = forms.CharField(label=_("Ticket number"), required=False, max_length=20)
    gebruiker = forms.CharField(label=_("User name"), required=False, max_length=150)
    van = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    handeling = forms.ChoiceField(
        label=_("Action"), required=False, choices=_choices(Action.choices)
    )
    resultaat = forms.ChoiceField(
        label=_("Result"), required=False, choices=_choices(Result.choices)
    )
    kanaal = forms.ChoiceField(
        label=_("Channel"), required=False, choices=_choices(Channel.choices)
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last and last < first:
            self.add_error("tot", _("The end of the period lies before its start."))
        return data

    def filters(self, *, person_ids: tuple[int, ...] | None) -> AccessFilters:
        """The filters of the valid fields (an invalid one shows its error and is ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        zone = timezone.get_current_timezone()

        def start_of(day):
            return timezone.make_aware(datetime.combine(day, time.min), zone) if day else None

        last = data.get("tot")
        return AccessFilters(
            person_ids=person_ids,
            ticket_number=data.get("melding", ""),
            actor=data.get("gebruiker", ""),
            since=start_of(data.get("van")),
            until=start_of(last + timedelta(days=1)) if last else None,
            action=data.get("handeling", ""),
            result=data.get("resultaat", ""),
            channel=data.get("kanaal", ""),
        )
