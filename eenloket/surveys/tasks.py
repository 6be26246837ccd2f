"""Background work of the surveys, run by `eenloket worker`."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from eenloket.directory.roles import Role
from eenloket.surveys.models import SatisfactionAlert


@task()
def alert_mail_send(alert_id: int) -> int:
    """Mail the team leads about a low grade or an unanswered question; returns how many."""
    alert = SatisfactionAlert.objects.select_related("response__ticket").filter(pk=alert_id).first()
    if alert is None:
        return 0
    leads = list(
        get_user_model()
        .objects.filter(role=Role.TEAM_LEAD, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not leads:
        return 0
    response = alert.response
    ticket = response.ticket
    with translation.override("nl"):
        subject = _("Low satisfaction on %(number)s") % {"number": ticket.number}
        answered = _("yes") if response.answered else _("no")
        body = _(
            "The customer of ticket %(number)s (%(title)s) gave grade %(grade)s; "
            "question answered: %(answered)s.\n\n%(comment)s\n\nFollow it up: %(path)s"
        ) % {
            "number": ticket.number,
            "title": ticket.title,
            "grade": response.grade,
            "answered": answered,
            "comment": response.comment,
            "path": reverse("reports:alerts"),
        }
    send_mail(subject, body, None, leads)
    return len(leads)
