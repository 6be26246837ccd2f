"""The phone pages: call log, missed calls, the live pop-up, playback with ranges."""

import pytest

from eenloket.channels.phone import services
from eenloket.channels.phone.models import Call, PlaybackLog
from tests.phone.factories import CallFactory

NUMBER = "+31781234567"


@pytest.fixture
def caller(desk):
    desk.person.phone = NUMBER
    desk.person.save()
    return desk.person


@pytest.fixture
def ringing(desk, caller, token, at_tuesday_10):
    services.cti_event_receive(
        token=token[0],
        data={
            "event": "newCall",
            "callId": "c1",
            "direction": "in",
            "from": "0781234567",
            "user": ["servicedesk"],
        },
    )
    return Call.objects.get(call_id="c1")


def test_the_call_log_lists_calls_with_their_result(desk, client, django_assert_max_num_queries):
    CallFactory.create_batch(3, agent=desk.agent, queue_name="servicedesk")
    CallFactory(call_id="missed", result="missed", followup="todo", wait_seconds=42)
    client.force_login(desk.agent)
    with django_assert_max_num_queries(8):
        response = client.get("/werkplek/telefonie/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("Answered") >= 3
    assert "Missed" in text and "0:42" in text


def test_the_call_log_filters_by_result(desk, client):
    CallFactory(call_id="a", result="answered")
    CallFactory(call_id="m", result="missed")
    client.force_login(desk.agent)
    response = client.get("/werkplek/telefonie/", {"result": "missed"})
    assert [call.call_id for call in response.context["calls"]] == ["m"]


def test_the_call_log_is_for_staff_only(desk, client):
    client.force_login(desk.customer)
    assert client.get("/werkplek/telefonie/").status_code == 403


def test_a_specialist_sees_only_their_own_calls(desk, client):
    CallFactory(call_id="theirs", agent=desk.it_specialist)
    CallFactory(call_id="other", agent=desk.agent)
    client.force_login(desk.it_specialist)
    response = client.get("/werkplek/telefonie/")
    assert [call.call_id for call in response.context["calls"]] == ["theirs"]
    assert client.get("/werkplek/telefonie/gesprekken/other/").status_code == 404


def test_missed_calls_stay_to_do_until_marked_done(desk, client):
    CallFactory(call_id="gemist-een", result="missed", followup="todo")
    client.force_login(desk.agent)
    assert "gemist-een" in client.get("/werkplek/telefonie/gemist/").content.decode()
    response = client.post("/werkplek/telefonie/gesprekken/gemist-een/afgehandeld/", follow=True)
    assert "marked done" in response.content.decode()
    assert "gemist-een" not in client.get("/werkplek/telefonie/gemist/").content.decode()
    assert Call.objects.get(call_id="gemist-een").followup == "done"


def test_the_popup_shows_the_caller_and_their_open_tickets(
    desk, client, ringing, open_ticket, django_assert_max_num_queries
):
    ticket = open_ticket()
    client.force_login(desk.agent)
    with django_assert_max_num_queries(10):
        response = client.get("/werkplek/telefonie/live/")
    text = response.content.decode()
    assert "Incoming call" in text
    assert desk.person.full_name in text and "Gemeente Dordrecht" in text
    assert ticket.number in text
    assert f"persoon={desk.person.pk}" in text  # the new-contact link


def test_the_popup_answers_204_while_nothing_changes(desk, client, ringing):
    client.force_login(desk.agent)
    first = client.get("/werkplek/telefonie/live/")
    fingerprint = first.context["fingerprint"]
    assert client.get("/werkplek/telefonie/live/", {"v": fingerprint}).status_code == 204


def test_the_popup_shows_nothing_to_a_colleague_it_does_not_ring_for(desk, client, ringing):
    client.force_login(desk.team_lead)
    response = client.get("/werkplek/telefonie/live/")
    assert "Incoming call" not in response.content.decode()


def test_opening_a_ticket_from_the_popup_links_the_call(desk, client, ringing, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.post(
        "/werkplek/telefonie/gesprekken/c1/koppelen/", {"ticket": ticket.number, "open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/werkplek/meldingen/{ticket.number}/"
    assert Call.objects.get(call_id="c1").ticket == ticket


def test_linking_to_an_unknown_ticket_says_so(desk, client, ringing):
    client.force_login(desk.agent)
    response = client.post("/werkplek/telefonie/gesprekken/c1/koppelen/", {"ticket": "M2026-99999"})
    assert response.status_code == 400
    assert "No ticket with this number" in response.content.decode()
    assert Call.objects.get(call_id="c1").ticket is None


# --- playback ----------------------------------------------------------------------------


@pytest.fixture
def recording(desk, ringing, token, audio, open_ticket):
    ticket = open_ticket()
    send = lambda **d: services.cti_event_receive(token=token[0], data={"callId": "c1", **d})  # noqa: E731
    send(event="answer", user="servicedesk")
    services.call_link_ticket(actor=desk.agent, call=ringing, ticket_number=ticket.number)
    send(event="hangup", cause="normalClearing")
    return services.recording_store(call_id="c1", content=audio["wav"], token=token[0])[0]


def play(client, recording, **headers):
    return client.get(f"/werkplek/telefonie/opnamen/{recording.pk}/", headers=headers)


def test_a_recording_plays_whole_and_is_logged(desk, client, recording, audio):
    client.force_login(desk.agent)
    response = play(client, recording)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == audio["wav"]
    assert (response["Content-Type"], response["Accept-Ranges"]) == ("audio/wav", "bytes")
    assert PlaybackLog.objects.get().user == desk.agent


def test_a_range_request_gets_206_with_just_those_bytes(desk, client, recording, audio):
    client.force_login(desk.agent)
    response = play(client, recording, range="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(audio['wav'])}"
    assert b"".join(response.streaming_content) == audio["wav"][100:200]


def test_an_open_ended_and_a_suffix_range(desk, client, recording, audio):
    client.force_login(desk.agent)
    size = len(audio["wav"])
    tail = play(client, recording, range=f"bytes={size - 10}-")
    assert b"".join(tail.streaming_content) == audio["wav"][-10:]
    suffix = play(client, recording, range="bytes=-20")
    assert suffix["Content-Range"] == f"bytes {size - 20}-{size - 1}/{size}"


def test_a_range_past_the_end_is_416(desk, client, recording, audio):
    client.force_login(desk.agent)
    response = play(client, recording, range=f"bytes={len(audio['wav'])}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(audio['wav'])}"


def test_staff_who_may_not_see_the_ticket_cannot_play_it(desk, client, recording):
    client.force_login(desk.hr_specialist)
    assert play(client, recording).status_code == 404
    client.force_login(desk.customer)
    assert play(client, recording).status_code == 403
    assert not PlaybackLog.objects.exists()


def test_a_deleted_recording_says_it_is_gone(desk, client, recording):
    import datetime as dt

    import time_machine

    from eenloket.privacy.services import retention_run

    with time_machine.travel(recording.uploaded_at + dt.timedelta(days=91), tick=False):
        retention_run()
    client.force_login(desk.agent)
    assert play(client, recording).status_code == 410


def test_the_ticket_timeline_has_an_audio_player_for_the_call(
    desk, client, recording, django_assert_max_num_queries
):
    ticket = recording.call.ticket
    client.force_login(desk.agent)
    response = client.get(f"/werkplek/meldingen/{ticket.number}/")
    text = response.content.decode()
    assert (
        f'<audio controls preload="metadata" src="/werkplek/telefonie/opnamen/{recording.pk}/"'
        in text
    )
    assert "Incoming call from" in text


def test_the_popup_offers_each_person_who_shares_the_number(desk, client, token, at_tuesday_10):
    from tests import factories as f

    first = f.PersonFactory(phone=NUMBER, first_name="Anna")
    second = f.PersonFactory(mobile=NUMBER, first_name="Bert")
    services.cti_event_receive(
        token=token[0],
        data={
            "event": "newCall",
            "callId": "s1",
            "direction": "in",
            "from": NUMBER,
            "user": "servicedesk",
        },
    )
    client.force_login(desk.agent)
    text = client.get("/werkplek/telefonie/live/").content.decode()
    assert "several people" in text
    assert f"persoon={first.pk}" in text and f"persoon={second.pk}" in text


def test_an_anonymous_caller_is_asked_who_is_calling(desk, client, token, at_tuesday_10):
    services.cti_event_receive(
        token=token[0],
        data={
            "event": "newCall",
            "callId": "a1",
            "direction": "in",
            "from": "anonymous",
            "user": "servicedesk",
        },
    )
    client.force_login(desk.agent)
    text = client.get("/werkplek/telefonie/live/").content.decode()
    assert "anonymous caller" in text and "withheld their number" in text


# --- holds -------------------------------------------------------------------------------


def hold(client, recording, reason="Klacht 2026-17", next_url=""):
    return client.post(
        f"/werkplek/telefonie/opnamen/{recording.pk}/vasthouden/",
        {"reason": reason, "next": next_url},
    )


def test_a_team_lead_puts_a_recording_on_hold_from_the_timeline_and_it_outlives_retention(
    desk, client, recording
):
    import datetime as dt

    import time_machine

    from eenloket.core.models import AuditEvent
    from eenloket.privacy.services import retention_run

    ticket_page = f"/werkplek/meldingen/{recording.call.ticket.number}/"
    client.force_login(desk.team_lead)
    assert "Put on hold" in client.get(ticket_page).content.decode()
    response = hold(client, recording, next_url=ticket_page)
    assert (response.status_code, response["Location"]) == (302, ticket_page)
    page = client.get(ticket_page).content.decode()
    assert "Klacht 2026-17" in page and "Release the hold" in page
    assert AuditEvent.objects.filter(action="recording_hold_placed").exists()
    with time_machine.travel(recording.uploaded_at + dt.timedelta(days=91), tick=False):
        retention_run()
    recording.refresh_from_db()
    assert not recording.is_deleted


def test_releasing_the_hold_lets_retention_delete_the_recording(desk, client, recording):
    import datetime as dt

    import time_machine

    from eenloket.privacy.services import retention_run

    client.force_login(desk.agent)
    hold(client, recording)
    client.post(f"/werkplek/telefonie/opnamen/{recording.pk}/vrijgeven/")
    assert not recording.holds.filter(released_at__isnull=True).exists()
    assert recording.holds.get().released_by == desk.agent
    with time_machine.travel(recording.uploaded_at + dt.timedelta(days=91), tick=False):
        retention_run()
    recording.refresh_from_db()
    assert recording.is_deleted


def test_a_hold_without_a_reason_is_refused_with_a_message(desk, client, recording):
    client.force_login(desk.agent)
    response = hold(client, recording, reason="  ")
    assert response.status_code == 302
    assert not recording.holds.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Say why the recording is kept."]


def test_staff_who_may_not_see_the_ticket_cannot_hold_or_release(desk, client, recording):
    client.force_login(desk.hr_specialist)
    assert hold(client, recording).status_code == 404
    assert client.post(f"/werkplek/telefonie/opnamen/{recording.pk}/vrijgeven/").status_code == 404
    client.force_login(desk.customer)
    assert hold(client, recording).status_code == 403
    assert not recording.holds.exists()


def test_a_hold_goes_back_only_to_a_page_of_ours(desk, client, recording):
    client.force_login(desk.agent)
    response = hold(client, recording, next_url="https://evil.example/")
    assert response["Location"] == "/werkplek/telefonie/"
