"""Survey forms: they only carry the input; the services check it and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

GRADES = [(str(n), str(n)) for n in range(1, 11)]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SurveyForm(forms.Form):
    grade = forms.CharField(
        label=_("Which grade do you give our help (1 = very bad, 10 = excellent)?"),
        required=False,
        widget=forms.RadioSelect(choices=GRADES),
    )
    answered = forms.CharField(
        label=_("Was your question answered?"),
        required=False,
        widget=forms.RadioSelect(choices=YES_NO),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )

    def answered_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("answered"))


class PulseForm(forms.Form):
    job_grade = forms.CharField(
        label=_("How satisfied are you with your work (1-10)?"),
        required=False,
        widget=forms.RadioSelect(choices=GRADES),
    )
    way_grade = forms.CharField(
        label=_("How do you rate the new way of working with one service office (1-10)?"),
        required=False,
        widget=forms.RadioSelect(choices=GRADES),
    )
    comment = forms.CharField(
        label=_("Comment (optional, anonymous)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Do not write your name: comments are shown to management in groups."),
    )


def add_errors(form: forms.Form, field_errors: dict[str, list[str]]) -> None:
    for field, errors in field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class PulseRoundForm(forms.Form):
    """Open a pulse round. Dates are local: open from the start of the first day (or now),
    closed at the end of the last."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    # A date input takes ISO dates only, whatever the language of the page.
    opens_on = forms.DateField(
        label=_("Opens on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    closes_on = forms.DateField(
        label=_("Open until (included)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    groups = forms.MultipleChoiceField(
        label=_("Invited groups of staff"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = list(group_choices)
