"""Forms of the counter pages: they parse input; the services decide."""

import datetime

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from eenloket.channels.counter.services import OUTCOME_HAND_OVER, OUTCOME_RESOLVED


class KioskForm(forms.Form):
    identification = forms.CharField(
        label=_("Your employee number or name (optional)"),
        required=False,
        max_length=100,
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Appointment code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Enter the code from your confirmation.")},
    )


class TransferForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Transfer to"), coerce=int)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.pk, f"{t.letter} · {t.name}") for t in topics]


class FinishForm(forms.Form):
    question = forms.CharField(
        label=_("The visitor's question"), widget=forms.Textarea(attrs={"rows": 3})
    )
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (OUTCOME_RESOLVED, _("Solved at the counter")),
            (OUTCOME_HAND_OVER, _("Hand over to a department")),
        ],
        initial=OUTCOME_RESOLVED,
    )
    resolution = forms.CharField(
        label=_("Solution, or what was tried"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.TypedChoiceField(
        label=_("Department (when handed over)"), coerce=int, required=False, empty_value=None
    )
    needed = forms.CharField(
        label=_("What the department needs to do (when handed over)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, services, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.pk, s.name) for s in services]
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]


class SlotForm(forms.Form):
    """Choose a topic and a day; the page then offers that day's free times."""

    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.pk, t.name) for t in topics]


class BookForm(forms.Form):
    starts_at = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)
    question = forms.CharField(
        label=_("What would you like to discuss? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = [
            (
                slot.starts_at.astimezone(datetime.UTC).isoformat(),
                localtime(slot.starts_at).strftime("%H:%M"),
            )
            for slot in slots
            if slot.free
        ]
        self.fields["starts_at"].error_messages["required"] = _("Choose a time.")
        self.fields["starts_at"].error_messages["invalid_choice"] = _(
            "Choose one of the times offered."
        )


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tot = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot"):
            if data["tot"] < data["van"]:
                raise forms.ValidationError(_("The end date lies before the start date."))
            if (data["tot"] - data["van"]).days > 366:
                raise forms.ValidationError(_("Choose at most a year."))
        return data
