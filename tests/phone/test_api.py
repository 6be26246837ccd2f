"""The exchange's endpoint and the recording upload, over HTTP."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eenloket.channels.phone import services
from eenloket.channels.phone.models import BlockedNumber, Call, CallEvent, CtiToken, Recording

NUMBER = "+31781234567"
NEW_CALL = {
    "event": "newCall",
    "callId": "c1",
    "direction": "in",
    "from": "078-123 45 67",
    "to": "+31788001000",
    "user": ["servicedesk"],
}


def test_a_json_event_is_answered_with_an_empty_object(desk, cti):
    response = cti(**NEW_CALL)
    assert (response.status_code, response.json()) == (200, {})
    assert Call.objects.get(call_id="c1").ringing_for.get() == desk.agent


def test_form_data_with_a_repeated_user_field_rings_for_each(desk, client, token):
    _token, plaintext = token
    data = {**NEW_CALL, "user": ["servicedesk", "teamleider"]}
    response = client.post(f"/api/v1/cti/{plaintext}", data)
    assert response.status_code == 200
    ringing = set(Call.objects.get(call_id="c1").ringing_for.values_list("username", flat=True))
    assert ringing == {"servicedesk", "teamleider"}


def test_form_data_with_user_brackets_is_a_list_too(desk, client, token):
    _token, plaintext = token
    data = {**NEW_CALL, "user[]": ["servicedesk"]}
    del data["user"]
    assert client.post(f"/api/v1/cti/{plaintext}", data).status_code == 200
    assert Call.objects.get(call_id="c1").ringing_for.get() == desk.agent


def test_a_wrong_token_is_refused_and_nothing_is_stored(desk, client):
    response = client.post("/api/v1/cti/cti_wrong", NEW_CALL, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert not Call.objects.exists()


def test_a_revoked_token_is_refused(desk, client, token):
    cti_token, plaintext = token
    services.cti_token_revoke(actor=None, token=cti_token)
    response = client.post(f"/api/v1/cti/{plaintext}", NEW_CALL, content_type="application/json")
    assert response.status_code == 401


def test_a_malformed_number_is_a_400_that_names_the_field(desk, cti):
    response = cti(**{**NEW_CALL, "from": "bel me"})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["errors"])) == ("invalid_event", ["from"])
    assert not Call.objects.exists()


def test_a_body_that_is_not_json_is_a_400(desk, client, token):
    _token, plaintext = token
    response = client.post(f"/api/v1/cti/{plaintext}", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_an_answer_for_an_unknown_call_is_a_404_with_a_clear_message(desk, cti):
    response = cti(event="answer", callId="nope", user="servicedesk")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_call"
    assert "newCall" in response.json()["detail"]
    assert not CallEvent.objects.exists()


def test_a_blocked_number_is_told_to_reject_as_busy(desk, cti):
    BlockedNumber.objects.create(number=NUMBER)
    response = cti(**NEW_CALL)
    assert response.json() == {"action": "reject", "reason": "busy"}


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(send, **fields) -> list[str]:
    """The SQL statements one event costs, transaction control (BEGIN, savepoints) left out."""
    with CaptureQueriesContext(connection) as captured:
        response = send(**fields)
    assert response.status_code == 200, response.content
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]


def test_each_event_takes_its_fixed_number_of_statements(desk, cti):
    """The exchange sends three events per call, in bursts: each is on the hot path, so its
    statements are counted, and one more is a regression to explain."""
    desk.person.phone = NUMBER
    desk.person.save()
    cti(**{**NEW_CALL, "callId": "warm-up"})  # looks the token up once and notes its use
    # The caller; the call, blocked number included (INSERT ... ON CONFLICT); who it rings
    # for (INSERT ... SELECT); the event.
    assert len(statements(cti, **NEW_CALL)) == 4
    # The call, locked; the event (INSERT ... ON CONFLICT); the call's state and agent.
    assert len(statements(cti, event="answer", callId="c1", user="servicedesk")) == 3
    # The same, and an answered call clears the number's missed calls (one UPDATE).
    assert len(statements(cti, event="hangup", callId="c1", cause="normalClearing")) == 4
    # A repeated event: the call and the event that was there already.
    assert len(statements(cti, event="hangup", callId="c1", cause="normalClearing")) == 2
    # A repeated newCall: the caller, the call that was there, and its lock.
    assert len(statements(cti, **NEW_CALL)) == 4
    call = Call.objects.get(call_id="c1")
    assert (call.state, call.result, call.agent, call.events.count()) == (
        "ended",
        "answered",
        desk.agent,
        3,
    )


def test_a_missed_call_ends_in_three_statements(desk, cti):
    cti(**{**NEW_CALL, "callId": "warm-up"})
    cti(**NEW_CALL)
    assert len(statements(cti, event="hangup", callId="c1", cause="cancel")) == 3
    assert Call.objects.get(call_id="c1").followup == "todo"


def test_the_token_is_looked_up_once_and_not_for_every_event(desk, cti):
    cti(**NEW_CALL)
    sent = statements(cti, event="answer", callId="c1", user="servicedesk")
    assert not [sql for sql in sent if "phone_ctitoken" in sql]


def test_a_token_revoked_by_another_server_process_stops_working_within_seconds(
    desk, cti, token, monkeypatch
):
    cti_token, _plaintext = token
    assert cti(**NEW_CALL).status_code == 200
    # Another process revokes it: no signal reaches this one, only the database changes.
    CtiToken.objects.filter(pk=cti_token.pk).update(revoked_at=cti_token.created_at)
    assert cti(event="answer", callId="c1").status_code == 200  # still cached here
    later = time.monotonic() + services.TOKEN_CACHE_SECONDS + 1
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert cti(event="hangup", callId="c1").status_code == 401


# --- recordings --------------------------------------------------------------------------


@pytest.fixture
def call(desk, cti):
    cti(**NEW_CALL)
    cti(event="answer", callId="c1", user="servicedesk")
    cti(event="hangup", callId="c1", cause="normalClearing")
    return Call.objects.get(call_id="c1")


def upload(client, plaintext, content, call_id="c1", name="opname.wav"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/calls/{call_id}/recording",
        {"file": SimpleUploadedFile(name, content)},
        headers={"authorization": f"Bearer {plaintext}"},
    )


@pytest.mark.parametrize("kind", ["wav", "mp3", "ogg"])
def test_the_exchange_uploads_a_real_recording(call, client, token, audio, kind):
    response = upload(client, token[1], audio[kind], name=f"opname.{kind}")
    assert response.status_code == 201
    assert response.json()["size"] == len(audio[kind])
    assert Recording.objects.get().call == call


def test_the_same_upload_twice_is_harmless(call, client, token, audio):
    assert upload(client, token[1], audio["wav"]).status_code == 201
    assert upload(client, token[1], audio["wav"]).status_code == 200
    assert Recording.objects.count() == 1


def test_a_raw_audio_body_is_accepted(call, client, token, audio):
    response = client.post(
        "/api/v1/calls/c1/recording",
        audio["ogg"],
        content_type="audio/ogg",
        headers={"authorization": f"Bearer {token[1]}"},
    )
    assert response.status_code == 201


def test_a_fake_recording_named_wav_is_refused(call, client, token):
    response = upload(client, token[1], b"MZ\x90\x00 an executable named opname.wav")
    assert response.status_code == 400
    assert response.json()["code"] == "recording_rejected"
    assert not Recording.objects.exists()


def test_an_oversized_recording_is_a_413(call, client, token, audio, settings):
    settings.EENLOKET_PHONE_MAX_RECORDING_BYTES = 2048
    response = upload(client, token[1], audio["wav"])
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    assert not Recording.objects.exists()


def test_a_recording_for_an_unknown_call_is_a_404(desk, client, token, audio):
    response = upload(client, token[1], audio["wav"], call_id="nope")
    assert response.status_code == 404
    assert not Recording.objects.exists()


def test_an_upload_without_credentials_is_a_401(call, client, audio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/calls/c1/recording", {"file": SimpleUploadedFile("a.wav", audio["wav"])}
    )
    assert response.status_code == 401
    assert not Recording.objects.exists()


def test_the_agent_who_took_the_call_uploads_with_their_session(call, client, desk, audio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(desk.agent)
    response = client.post(
        "/api/v1/calls/c1/recording", {"file": SimpleUploadedFile("a.wav", audio["wav"])}
    )
    assert response.status_code == 201
    assert Recording.objects.get().uploaded_by == desk.agent


def test_a_customer_cannot_upload_a_recording(call, client, desk, audio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(desk.customer)
    response = client.post(
        "/api/v1/calls/c1/recording", {"file": SimpleUploadedFile("a.wav", audio["wav"])}
    )
    assert response.status_code == 403
    assert not Recording.objects.exists()
