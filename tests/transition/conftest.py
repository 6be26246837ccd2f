"""A change group of the central desk with two employees, their supervisor and the change lead."""

from dataclasses import dataclass

import pytest

from eenloket.directory.roles import Role
from eenloket.transition import services
from eenloket.transition.models import ChangeGroup
from tests import factories as f

GOOD = {"awareness": 5, "desire": 4, "knowledge": 4, "ability": 4, "reinforcement": 4}


@dataclass
class Change:
    group: object
    supervisor: object
    anna: object
    bram: object
    outsider: object
    round: object


@pytest.fixture
def change(desk, at_tuesday_10) -> Change:
    supervisor = f.UserFactory(username="sup", role=Role.TEAM_LEAD, first_name="Sam")
    anna = f.UserFactory(username="anna", role=Role.FIRST_LINE, first_name="Anna")
    bram = f.UserFactory(username="bram", role=Role.FIRST_LINE, first_name="Bram")
    outsider = f.UserFactory(username="olga", role=Role.FIRST_LINE, first_name="Olga")
    group = ChangeGroup.objects.create(name="Servicedesk", kind="desk", supervisor=supervisor)
    group.members.set([anna, bram])
    assessment_round = services.round_open(actor=desk.change_lead, group=group, title="Nulmeting")
    return Change(group, supervisor, anna, bram, outsider, assessment_round)
