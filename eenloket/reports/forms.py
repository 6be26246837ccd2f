"""The dashboard's filter form: period and dimensions. Bad values get a clear message and the
dashboard falls back to the default for that field."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.tickets.choices import Channel

MAX_DAYS = 3 * 366


class ReportFilterForm(forms.Form):
    van = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("To (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organisatie = forms.TypedChoiceField(
        label=_("Organization"), required=False, coerce=int, empty_value=None
    )
    afdeling = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )
    kanaal = forms.ChoiceField(label=_("Channel"), required=False)
    dienst = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, organizations=(), departments=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["organisatie"].choices = everything + [(o.pk, o.name) for o in organizations]
        self.fields["afdeling"].choices = everything + [(d.pk, d.name) for d in departments]
        self.fields["kanaal"].choices = everything + list(Channel.choices)
        self.fields["dienst"].choices = everything + [(s.pk, s.name) for s in services]

    def clean(self):
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last and last < first:
            self.add_error("tot", _("The end of the period lies before its start."))
        elif first and last and (last - first) > timedelta(days=MAX_DAYS):
            self.add_error("tot", _("Choose a period of at most three years."))
        return data
