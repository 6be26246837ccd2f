"""The exchange's endpoint and the recording upload, over HTTP."""

import pytest

from eenloket.channels.phone import services
from eenloket.channels.phone.models import BlockedNumber, Call, CallEvent, Recording

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


def test_an_event_takes_a_fixed_number_of_queries(desk, cti, django_assert_max_num_queries):
    desk.person.phone = NUMBER
    desk.person.save()
    # Token, caller, blocked number, staff, the call (in a savepoint), who it rings for, the
    # event: the exchange sends three events per call, and each is on the hot path.
    with django_assert_max_num_queries(12):
        cti(**NEW_CALL)
    with django_assert_max_num_queries(8):
        cti(event="answer", callId="c1", user="servicedesk")
    with django_assert_max_num_queries(8):
        cti(event="hangup", callId="c1", cause="normalClearing")


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
