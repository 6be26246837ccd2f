"""Telephony in the admin: a token shown once, revocation, the announcement reminder."""

import re

from eenloket.channels.phone import services
from eenloket.channels.phone.models import BlockedNumber, CtiToken


def test_a_token_made_in_the_admin_is_shown_once_and_stored_hashed(desk, client):
    client.force_login(desk.admin)
    response = client.post("/beheer/phone/ctitoken/add/", {"name": "Centrale"}, follow=True)
    text = response.content.decode()
    plaintext = re.search(r"(cti_[A-Za-z0-9_\-]+)", text).group(1)
    token = CtiToken.objects.get()
    assert services.cti_token_check(plaintext) == token
    assert plaintext not in client.get("/beheer/phone/ctitoken/").content.decode()


def test_revoking_in_the_admin_stops_the_token(desk, client, token):
    cti_token, _plaintext = token
    client.force_login(desk.admin)
    client.post(
        "/beheer/phone/ctitoken/",
        {"action": "revoke", "_selected_action": [cti_token.pk]},
    )
    cti_token.refresh_from_db()
    assert cti_token.revoked_at is not None


def test_the_announcement_reminder_is_on_the_telephony_lists(desk, client, settings):
    settings.EENLOKET_PHONE_ANNOUNCEMENT = "Dit gesprek kan worden opgenomen."
    client.force_login(desk.admin)
    for path in ("/beheer/phone/ctitoken/", "/beheer/phone/recording/", "/beheer/phone/call/"):
        assert "Dit gesprek kan worden opgenomen." in client.get(path).content.decode()


def test_a_blocked_number_is_stored_in_e164_and_nonsense_is_refused(desk, client):
    client.force_login(desk.admin)
    client.post("/beheer/phone/blockednumber/add/", {"number": "078-123 45 67", "reason": "x"})
    assert BlockedNumber.objects.get().number == "+31781234567"
    response = client.post("/beheer/phone/blockednumber/add/", {"number": "geen", "reason": ""})
    assert response.status_code == 200
    assert BlockedNumber.objects.count() == 1
