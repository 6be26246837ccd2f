from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.channels.phone.models import Call


class CallFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All")), *Call.Direction.choices],
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All")), *(c for c in Call.Result.choices if c[0])],
    )
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class LinkTicketForm(forms.Form):
    ticket = forms.CharField(label=_("Ticket number"), max_length=20)
