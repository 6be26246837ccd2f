"""The second factor: enforcement for staff, enrolment, verification, recovery codes."""

import logging
import time

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.oath import TOTP

from eenloket.identity import services
from eenloket.identity.demo import demo_code
from eenloket.identity.exceptions import MfaCodeInvalid
from eenloket.identity.models import AuthenticatorDevice

pytestmark = pytest.mark.django_db


def _code_for(device: AuthenticatorDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled(desk):
    """The first-line agent with an authenticator and recovery codes."""
    device = services.mfa_totp_begin(user=desk.agent)
    codes = services.mfa_totp_confirm(user=desk.agent, device=device, code=_code_for(device))
    device.refresh_from_db()
    return device, codes


def _password_login(client, username: str, password: str = "demo"):
    return client.post("/inloggen/", {"username": username, "password": password})


@pytest.fixture
def passwords(desk):
    for user in (desk.agent, desk.admin, desk.customer):
        user.set_password("demo")
        user.save()


def test_a_staff_login_without_a_second_factor_reaches_only_enrolment(client, desk, login_policy):
    client.force_login(desk.agent)
    response = client.get("/werkplek/")
    assert response["Location"] == "/inloggen/tweestaps/instellen/?next=%2Fwerkplek%2F"


def test_the_admin_site_is_closed_too(client, desk, login_policy):
    client.force_login(desk.admin)
    response = client.get("/beheer/")
    assert response["Location"].startswith("/inloggen/tweestaps/instellen/")


def test_the_api_answers_403_without_a_second_factor(client, desk, login_policy):
    client.force_login(desk.agent)
    response = client.get("/api/v1/tickets/")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "Two-step verification is required. Log in again.",
    )


def test_an_htmx_request_is_sent_to_the_whole_page(client, desk, login_policy):
    client.force_login(desk.agent)
    response = client.get("/werkplek/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/inloggen/tweestaps/instellen/"


@pytest.mark.parametrize("page", ["/inloggen/tweestaps/", "/inloggen/tweestaps/instellen/"])
def test_the_second_factor_pages_do_not_poll_for_calls(client, desk, login_policy, page):
    # The call pop-up's poll would be sent back here with HX-Redirect: the page would reload
    # itself every two seconds and the code could never be typed.
    client.force_login(desk.agent)
    html = client.get(page).content.decode()
    assert (reverse("phone:live") in html, reverse("workspace:queue") in html) == (False, False)


def test_logout_stays_open(client, desk, login_policy):
    client.force_login(desk.agent)
    assert client.post("/uitloggen/")["Location"] == "/inloggen/"


def test_a_customer_without_a_second_factor_is_not_asked(client, desk, login_policy):
    client.force_login(desk.customer)
    assert client.get("/portaal/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_as_text(client, desk, login_policy):
    client.force_login(desk.agent)
    response = client.get("/inloggen/tweestaps/instellen/")
    device = AuthenticatorDevice.objects.get(user=desk.agent)
    assert b"<svg" in response.content
    assert response.context["secret"].replace(" ", "") in device.config_url


def test_enrolment_with_the_right_code_shows_the_recovery_codes_once(client, desk, login_policy):
    client.force_login(desk.agent)
    client.get("/inloggen/tweestaps/instellen/")
    device = AuthenticatorDevice.objects.get(user=desk.agent)
    response = client.post("/inloggen/tweestaps/instellen/", {"code": _code_for(device)})
    assert len(response.context["codes"]) == 10
    assert client.get("/werkplek/").status_code == 200
    assert "codes" not in client.get("/inloggen/tweestaps/instellen/").context


def test_enrolment_with_a_wrong_code_says_so(client, desk, login_policy):
    client.force_login(desk.agent)
    client.get("/inloggen/tweestaps/instellen/")
    response = client.post("/inloggen/tweestaps/instellen/", {"code": "000000"})
    assert response.context["form"].errors["code"] == [
        "That code is not correct. Check the time on your phone and try again."
    ]


def test_an_enrolled_login_is_asked_for_its_code(client, desk, enrolled, passwords, login_policy):
    _password_login(client, "servicedesk")
    response = client.get("/werkplek/")
    assert response["Location"] == "/inloggen/tweestaps/?next=%2Fwerkplek%2F"


def test_the_right_code_opens_the_workspace(client, desk, enrolled, passwords, login_policy):
    device, _codes = enrolled
    _password_login(client, "servicedesk")
    response = client.post(
        "/inloggen/tweestaps/", {"code": _code_for(device, offset=1), "next": "/werkplek/"}
    )
    assert response["Location"] == "/werkplek/"
    assert client.get("/werkplek/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_logged(
    client, desk, enrolled, passwords, login_policy, caplog
):
    _password_login(client, "servicedesk")
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.post("/inloggen/tweestaps/", {"code": "123456"})
    assert response.context["form"].errors["code"] == [
        "That code is not correct. Check the time on your phone and try again."
    ]
    assert "MFA: wrong code for servicedesk" in caplog.text
    assert client.get("/werkplek/").status_code == 302


def test_after_a_wrong_code_even_the_right_one_waits(
    client, desk, enrolled, passwords, login_policy
):
    device, _codes = enrolled
    _password_login(client, "servicedesk")
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.post("/inloggen/tweestaps/", {"code": "000000"})
        response = client.post("/inloggen/tweestaps/", {"code": _code_for(device, offset=1)})
        assert response.context["form"].errors["code"] == [
            "Too many wrong codes. Wait a minute before you try again."
        ]
        assert client.get("/werkplek/").status_code == 302
        traveller.shift(2)
        response = client.post(
            "/inloggen/tweestaps/", {"code": _code_for(device, offset=1), "next": "/werkplek/"}
        )
        assert response["Location"] == "/werkplek/"


def test_a_recovery_code_works_once(desk, enrolled):
    _device, codes = enrolled
    assert services.mfa_verify(user=desk.agent, code=codes[0]) == "recovery"
    with pytest.raises(MfaCodeInvalid):
        services.mfa_verify(user=desk.agent, code=codes[0])


def test_a_recovery_code_opens_the_session(client, desk, enrolled, passwords, login_policy):
    _device, codes = enrolled
    _password_login(client, "servicedesk")
    client.post("/inloggen/tweestaps/", {"code": codes[3].upper()})
    assert client.get("/werkplek/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(desk, enrolled):
    _device, old = enrolled
    new = services.mfa_recovery_codes_regenerate(user=desk.agent)
    with time_machine.travel(time.time(), tick=False) as traveller:
        with pytest.raises(MfaCodeInvalid):
            services.mfa_verify(user=desk.agent, code=old[0])
        traveller.shift(2)  # past the wait that the failure brought
        assert services.mfa_verify(user=desk.agent, code=new[0]) == "recovery"


def test_an_administrator_cannot_switch_it_off_for_themselves(client, desk, login_policy):
    device = services.mfa_totp_begin(user=desk.admin)
    services.mfa_totp_confirm(user=desk.admin, device=device, code=_code_for(device))
    client.force_login(desk.admin)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()
    page = client.get("/inloggen/tweestaps/instellen/")
    assert b"Only an administrator can switch it off" in page.content
    assert b"uitzetten" not in page.content and b"disable" not in page.content.lower()


def test_a_customer_who_switched_it_on_is_asked(client, desk, login_policy):
    device = services.mfa_totp_begin(user=desk.customer)
    services.mfa_totp_confirm(user=desk.customer, device=device, code=_code_for(device))
    client.force_login(desk.customer)
    assert client.get("/portaal/")["Location"].startswith("/inloggen/tweestaps/")


def test_a_reset_by_the_administrator_sends_the_login_back_to_enrolment(
    client, desk, enrolled, caplog
):
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        call_command("mfa", "reset", "servicedesk")
    assert not services.mfa_is_enrolled(user=desk.agent)
    assert "MFA reset for servicedesk" in caplog.text


def test_the_demo_code_command_prints_the_current_code(desk, capsys):
    services.mfa_demo_enrol(user=desk.agent)
    call_command("mfa", "code", "servicedesk")
    assert capsys.readouterr().out.strip() == demo_code()


def test_the_demo_code_command_is_refused_outside_the_demo(desk, settings):
    services.mfa_demo_enrol(user=desk.agent)
    settings.SECRET_KEY_FROM_ENV = True
    with pytest.raises(CommandError, match="works only in the demo"):
        call_command("mfa", "code", "servicedesk")


def test_the_demo_code_command_refuses_a_real_key(desk, enrolled):
    with pytest.raises(CommandError, match="works only in the demo"):
        call_command("mfa", "code", "servicedesk")


def test_status_lists_who_has_it_on(desk, enrolled, capsys):
    call_command("mfa", "status")
    out = capsys.readouterr().out
    assert "servicedesk" in out and "1 of 6 staff logins" in out
