"""`{% survey_on_ticket ticket %}`: the portal's hook for the survey of a resolved ticket."""

from django import template

from eenloket.surveys import selectors
from eenloket.surveys.forms import SurveyForm

register = template.Library()


@register.inclusion_tag("surveys/includes/portal_survey.html", takes_context=True)
def survey_on_ticket(context, ticket):
    request = context["request"]
    survey = None
    if ticket.status in ("resolved", "closed"):
        survey = selectors.survey_for_customer(actor=request.user, ticket=ticket)
    response = survey.response if survey else None
    initial = (
        {
            "grade": str(response.grade),
            "answered": "yes" if response.answered else "no",
            "comment": response.comment,
        }
        if response
        else {}
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "ticket": ticket,
        "survey": survey,
        "form": SurveyForm(initial=initial),
    }
