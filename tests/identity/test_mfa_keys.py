"""The second factor's secrets at rest: authenticator keys encrypted and recovery codes as
keyed digests, readable after a documented key rotation, a clear way out when they are not,
and carried over from django-otp's plain text."""

import base64
import io
import logging
import time

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.core.models import AuditEvent
from eenloket.directory.models import User
from eenloket.identity import services
from eenloket.identity.exceptions import MfaCodeInvalid, MfaKeyUnreadable, MfaThrottled
from eenloket.identity.models import AuthenticatorDevice

pytestmark = pytest.mark.django_db


def _code(key: bytes, offset: int = 0) -> str:
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = totp.time + offset * 30
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled(desk):
    device = services.mfa_totp_begin(user=desk.agent)
    codes = services.mfa_totp_confirm(user=desk.agent, device=device, code=_code(device.bin_key))
    return device.bin_key, codes


def test_the_key_is_stored_encrypted_and_nowhere_in_plain_text(desk, enrolled):
    key, _codes = enrolled
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_authenticatordevice")
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM otp_totp_totpdevice")
        plain_devices = cursor.fetchone()[0]
    stored = " ".join(str(value) for value in rows[0]).lower()
    assert len(rows) == 1 and plain_devices == 0
    assert key.hex() not in stored
    assert base64.b32encode(key).decode().lower().rstrip("=") not in stored
    # and it is still the key the app was given: its next code is accepted
    assert services.mfa_verify(user=desk.agent, code=_code(key, offset=1)) == "totp"


def test_rotating_secret_key_with_the_old_one_as_fallback_keeps_the_second_factor(
    desk, enrolled, settings
):
    key, _codes = enrolled
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert services.mfa_verify(user=desk.agent, code=_code(key, offset=1)) == "totp"


def test_an_explicit_identity_key_still_reads_the_keys_made_before_it(desk, enrolled, settings):
    key, _codes = enrolled
    settings.EENLOKET_IDENTITY_KEY = Fernet.generate_key().decode()
    assert services.mfa_verify(user=desk.agent, code=_code(key, offset=1)) == "totp"
    new = services.mfa_totp_begin(user=desk.customer)
    settings.EENLOKET_IDENTITY_KEY = Fernet.generate_key().decode()
    with pytest.raises(MfaKeyUnreadable):
        AuthenticatorDevice.objects.get(pk=new.pk).bin_key  # noqa: B018


def test_a_changed_key_without_fallback_says_to_ask_an_administrator(
    client, desk, enrolled, login_policy, settings, caplog
):
    key, codes = enrolled
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    client.force_login(desk.agent)
    with caplog.at_level(logging.ERROR, logger="eenloket.security"):
        response = client.post("/inloggen/tweestaps/", {"code": _code(key)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Your authenticator app cannot be checked at the moment. Ask an administrator to "
        "switch off two-step verification so that you can set it up again."
    ]
    assert "authenticator key of servicedesk cannot be decrypted" in caplog.text
    # the recovery codes were digested under the lost key too
    client.post("/inloggen/tweestaps/", {"code": codes[0]})
    assert client.get("/werkplek/").status_code == 302


def test_after_a_reset_the_login_enrols_again_under_the_new_key(desk, enrolled, settings):
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    services.mfa_reset(actor=desk.admin, user=desk.agent)
    device = services.mfa_totp_begin(user=desk.agent)
    services.mfa_totp_confirm(user=desk.agent, device=device, code=_code(device.bin_key))
    assert services.mfa_is_enrolled(user=desk.agent)


def test_a_pending_enrolment_whose_key_cannot_be_read_gets_a_new_key(desk, settings):
    first = services.mfa_totp_begin(user=desk.agent)
    assert services.mfa_totp_begin(user=desk.agent).pk == first.pk
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    second = services.mfa_totp_begin(user=desk.agent)
    assert second.pk != first.pk
    assert len(second.bin_key) == 20
    assert list(AuthenticatorDevice.objects.filter(user=desk.agent)) == [second]


def test_the_admin_lists_authenticator_apps_without_their_keys_and_switches_them_off(
    client, desk, enrolled
):
    key, _codes = enrolled
    device = AuthenticatorDevice.objects.get(user=desk.agent)
    client.force_login(desk.admin)
    listing = client.get("/beheer/identity/authenticatordevice/")
    detail = client.get(f"/beheer/identity/authenticatordevice/{device.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    assert b"servicedesk" in listing.content
    for page in (listing, detail):
        assert key.hex().encode() not in page.content
        assert device.key_encrypted.encode() not in page.content
    # django-otp's own admin for plain keys is gone
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert client.get("/beheer/otp_static/staticdevice/").status_code == 404
    response = client.post(
        "/beheer/identity/authenticatordevice/",
        {"action": "reset_mfa", "_selected_action": [device.pk]},
    )
    assert response.status_code == 302
    assert not services.mfa_is_enrolled(user=desk.agent)
    assert AuditEvent.objects.filter(action="mfa_reset", object_id=str(desk.agent.pk)).exists()


def test_recovery_codes_are_stored_as_digests_and_work_once(desk, enrolled):
    _key, codes = enrolled
    stored = set(
        StaticToken.objects.filter(device__user=desk.agent).values_list("token", flat=True)
    )
    assert len(stored) == 10
    assert not stored & set(codes)
    assert services.mfa_verify(user=desk.agent, code=codes[0].upper()) == "recovery"
    with pytest.raises(MfaCodeInvalid):
        services.mfa_verify(user=desk.agent, code=codes[0])
    assert StaticToken.objects.filter(device__user=desk.agent).count() == 9


def test_recovery_codes_survive_a_rotation_of_secret_key_with_the_old_one_as_fallback(
    desk, enrolled, settings
):
    _key, codes = enrolled
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    with time_machine.travel(time.time(), tick=False) as traveller:
        with pytest.raises(MfaCodeInvalid):
            services.mfa_verify(user=desk.agent, code=codes[0])
        traveller.shift(2)  # past the wait that the failure brought
        settings.SECRET_KEY_FALLBACKS = [old]
        assert services.mfa_verify(user=desk.agent, code=codes[0]) == "recovery"
        # new codes are digested under the new key
        new = services.mfa_recovery_codes_regenerate(user=desk.agent)
        settings.SECRET_KEY_FALLBACKS = []
        assert services.mfa_verify(user=desk.agent, code=new[0]) == "recovery"


def test_recovery_codes_count_towards_the_throttle(desk, enrolled):
    _key, codes = enrolled
    with pytest.raises(MfaCodeInvalid):
        services.mfa_verify(user=desk.agent, code="aaaaaaaa")
    with pytest.raises(MfaThrottled):
        services.mfa_verify(user=desk.agent, code=codes[1])


def _migrate(targets):
    """Migrate to `targets` (None: the latest) and give the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


BEFORE = [("identity", "0002_authenticator_device"), ("otp_totp", "0003_add_timestamps")]
AFTER = [("identity", "0003_authenticator_keys_from_django_otp")]


@pytest.mark.django_db(transaction=True)
def test_plain_keys_of_django_otp_are_encrypted_by_the_migration_and_back():
    old = _migrate(BEFORE)
    user = old.get_model("directory", "User").objects.create(username="balie")
    key = bytes(range(1, 21))
    plain = old.get_model("otp_totp", "TOTPDevice").objects.create(
        user=user, name="authenticator", key=key.hex(), confirmed=True, drift=1, last_t=7
    )

    new = _migrate(AFTER)
    assert not new.get_model("otp_totp", "TOTPDevice").objects.exists()
    moved = AuthenticatorDevice.objects.get(user_id=user.pk)
    assert (moved.bin_key, moved.drift, moved.last_t, moved.confirmed, moved.created_at) == (
        key,
        1,
        7,
        True,
        plain.created_at,
    )
    assert key.hex() not in moved.key_encrypted

    back = _migrate(BEFORE).get_model("otp_totp", "TOTPDevice")
    assert back.objects.get(user_id=user.pk).key == key.hex()
    _migrate(None)
    assert not TOTPDevice.objects.exists()


def test_a_recovery_code_restarts_the_count_of_wrong_codes(desk, enrolled):
    _key, codes = enrolled
    with time_machine.travel(time.time(), tick=False) as traveller:
        for wait in (2, 3):
            with pytest.raises(MfaCodeInvalid):
                services.mfa_verify(user=desk.agent, code="000000")
            traveller.shift(wait)
        assert services.mfa_verify(user=desk.agent, code=codes[0]) == "recovery"
        with pytest.raises(MfaCodeInvalid):
            services.mfa_verify(user=desk.agent, code="000000")
        traveller.shift(1.5)  # the wait after a first failure (1 s), not after a third (4 s)
        with pytest.raises(MfaCodeInvalid):
            services.mfa_verify(user=desk.agent, code="000000")


RECOVERY_BEFORE = [
    ("identity", "0003_authenticator_keys_from_django_otp"),
    ("otp_static", "0003_add_timestamps"),
]
RECOVERY_AFTER = [("identity", "0004_recovery_codes_as_digests")]


@pytest.mark.django_db(transaction=True)
def test_plain_recovery_codes_are_digested_by_the_migration_and_keep_working():
    old = _migrate(RECOVERY_BEFORE)
    user = old.get_model("directory", "User").objects.create(username="balie")
    device = old.get_model("otp_static", "StaticDevice").objects.create(
        user=user, name="recovery", confirmed=True
    )
    old.get_model("otp_static", "StaticToken").objects.create(device=device, token="abcd2345")

    _migrate(RECOVERY_AFTER)
    _migrate(None)
    assert StaticToken.objects.get().token != "abcd2345"
    login = User.objects.get(pk=user.pk)
    authenticator = AuthenticatorDevice(user=login, name="authenticator", confirmed=True)
    authenticator.set_key(bytes(20))
    authenticator.save()
    assert services.mfa_verify(user=login, code="ABCD2345") == "recovery"


def test_rekey_rewrites_the_keys_so_that_the_old_secret_key_can_go(desk, enrolled, settings):
    key, codes = enrolled
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    out = io.StringIO()
    call_command("secrets", "rekey", stdout=out)
    assert "identity: 1 authenticator keys rewritten under the current key\n" in out.getvalue()
    assert (
        "identity: 1 logins hold recovery codes made under an earlier key: they work while that "
        "key is in SECRET_KEY_FALLBACKS, so ask them to make new ones first"
    ) in out.getvalue()
    settings.SECRET_KEY_FALLBACKS = []
    assert services.mfa_verify(user=desk.agent, code=_code(key, offset=1)) == "totp"
    with pytest.raises(MfaCodeInvalid):  # as the summary warned
        services.mfa_verify(user=desk.agent, code=codes[0])
    services.mfa_recovery_codes_regenerate(user=desk.agent)
    out = io.StringIO()
    call_command("secrets", "rekey", stdout=out)
    assert "identity: all recovery codes are made under the current key" in out.getvalue()


def test_rekey_says_which_keys_it_cannot_read(desk, enrolled, settings):
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    out = io.StringIO()
    call_command("secrets", "rekey", stdout=out)
    assert (
        "identity: 0 authenticator keys rewritten under the current key; 1 cannot be read: "
        "switch off two-step verification of servicedesk (eenloket mfa reset USERNAME)"
    ) in out.getvalue()
