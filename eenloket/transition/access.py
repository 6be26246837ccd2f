"""Who may do what in the transition (published: the pages ask, the services enforce)."""

from eenloket.directory.roles import Role

MANAGERS = frozenset({Role.CHANGE_LEAD, Role.ADMINISTRATOR})
VIEWERS = MANAGERS | {Role.TEAM_LEAD}


def can_manage(actor) -> bool:
    """Run the transition: phases, checklists, rounds, actions, the communication plan."""
    return bool(actor and actor.is_authenticated and actor.role in MANAGERS)


def can_view(actor) -> bool:
    """See the transition's figures per group (never an individual's scores)."""
    return bool(actor and actor.is_authenticated and actor.role in VIEWERS)


def sees_individual_scores(actor, *, group, employee=None) -> bool:
    """Individual ADKAR scores: only the person, their direct supervisor and the change lead."""
    if not (actor and actor.is_authenticated):
        return False
    if actor.role == Role.CHANGE_LEAD or actor.pk == group.supervisor_id:
        return True
    return employee is not None and actor.pk == employee.pk
