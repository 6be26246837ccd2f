"""Staff roles: published for the other apps (the models stay private to the directory)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    FIRST_LINE = "first_line", _("First-line agent")
    SPECIALIST = "specialist", _("Department specialist")
    TEAM_LEAD = "team_lead", _("Team lead")
    CHANGE_LEAD = "change_lead", _("Change lead")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = frozenset(
    {Role.FIRST_LINE, Role.SPECIALIST, Role.TEAM_LEAD, Role.CHANGE_LEAD, Role.ADMINISTRATOR}
)
# Roles that work every ticket of the central desk.
DESK_WIDE_ROLES = frozenset({Role.FIRST_LINE, Role.TEAM_LEAD, Role.ADMINISTRATOR})
# Roles that work tickets at all (a change lead runs the transition, not a queue).
TICKET_ROLES = frozenset({Role.FIRST_LINE, Role.SPECIALIST, Role.TEAM_LEAD, Role.ADMINISTRATOR})
