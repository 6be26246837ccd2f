"""Forms of the transition pages: they check shapes; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.transition.models import ELEMENTS, ChecklistItem, Element, Message, Phase

SCORES = [(str(n), str(n)) for n in range(1, 6)]
SCORE_HELP = _("1 = not at all, 5 = completely")


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class ReadinessForm(forms.Form):
    script_ready = forms.BooleanField(label=_("Script ready"), required=False)
    routing_agreed = forms.BooleanField(label=_("Routing agreed"), required=False)
    script_reference = forms.CharField(label=_("Script"), max_length=200, required=False)


class ChecklistItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistItem.Kind.choices)
    title = forms.CharField(label=_("What has to be arranged"), max_length=200)


class RoundOpenForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the round"), max_length=100, help_text=_("For example: Q1 2027")
    )


class AssessmentForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None, empty_label=None)
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = members
        self.fields["employee"].label_from_instance = lambda u: u.get_full_name() or u.username
        labels = dict(Element.choices)
        for element in ELEMENTS:
            self.fields[element] = forms.TypedChoiceField(
                label=labels[element],
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=SCORE_HELP,
                error_messages={"required": _("Give a whole score from 1 to 5.")},
            )

    def score_fields(self):
        return [self[element] for element in ELEMENTS]


class ActionForm(forms.Form):
    element = forms.ChoiceField(label=_("Barrier point"), choices=Element.choices)
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class MessageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ModelMultipleChoiceField(
        label=_("Audience"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Kind of message"), choices=Message.Kind.choices)
    sender = forms.ChoiceField(label=_("Sender"), choices=Message.Sender.choices)
    sender_name = forms.CharField(label=_("Sender's name"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Message.Channel.choices)
    planned_on = forms.DateField(label=_("Planned"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = groups


class SentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}))


class SponsorActForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("What they did"), max_length=300)
