"""The demo stays usable with the printed logins: staff share a published demo key."""

import pytest

from eenloket.core.management.commands.demo import Command
from eenloket.identity import services
from eenloket.identity.demo import demo_code, demo_key_base32

pytestmark = pytest.mark.django_db


def test_the_demo_enrols_its_staff_with_the_published_key(desk, login_policy, capsys):
    Command()._second_factor(["servicedesk", "beheerder", "klant"])
    out = " ".join(capsys.readouterr().out.split())
    assert demo_key_base32()[:4] in out and "eenloket mfa code servicedesk" in out
    assert [services.mfa_is_enrolled(user=u) for u in (desk.agent, desk.admin, desk.customer)] == [
        True,
        True,
        False,
    ]


def test_a_demo_staff_member_logs_in_with_password_and_the_demo_code(client, desk, login_policy):
    desk.agent.set_password("demo")
    desk.agent.save()
    Command()._second_factor(["servicedesk"])
    client.post("/inloggen/", {"username": "servicedesk", "password": "demo"})
    client.post("/inloggen/tweestaps/", {"code": demo_code()})
    assert client.get("/werkplek/").status_code == 200


def test_with_a_secret_key_the_demo_hands_out_no_key(desk, login_policy, settings, capsys):
    settings.SECRET_KEY_FROM_ENV = True
    Command()._second_factor(["servicedesk"])
    assert not services.mfa_is_enrolled(user=desk.agent)
    assert "no demo" in capsys.readouterr().out
