"""Exchange events in every order, linking calls to tickets, recordings and their retention."""

import datetime as dt

import pytest
import time_machine

from eenloket.channels.phone import services
from eenloket.channels.phone.exceptions import (
    CallNotFound,
    InvalidEvent,
    InvalidToken,
    RecordingExists,
    RecordingRejected,
    RecordingTooLarge,
)
from eenloket.channels.phone.models import (
    BlockedNumber,
    Call,
    CallEvent,
    CtiToken,
    PlaybackLog,
    Recording,
)
from eenloket.core.models import AuditEvent
from eenloket.privacy import services as privacy_services
from eenloket.tickets import services as ticket_services
from eenloket.tickets.models import TicketEntry
from tests import factories as f
from tests.factories import TUESDAY_10

NUMBER = "+31781234567"


@pytest.fixture
def caller(desk):
    desk.person.phone = NUMBER
    desk.person.save()
    return desk.person


@pytest.fixture
def send(token, at_tuesday_10):
    cti_token, _plaintext = token

    def event(name, call_id="c1", **fields):
        data = {"event": name, "callId": call_id, **fields}
        return services.cti_event_receive(token=cti_token, data=data)

    return event


def new_call(send, call_id="c1", number="078-123 45 67", **fields):
    fields.setdefault("user", ["servicedesk"])
    return send(
        "newCall",
        call_id,
        direction="in",
        to="+31788001000",
        queue="servicedesk",
        **{"from": number},
        **fields,
    )


# --- event sequences ---------------------------------------------------------------------


def test_a_normal_call_rings_is_answered_and_ends(desk, caller, send, at_tuesday_10):
    assert new_call(send) == {}
    call = Call.objects.get(call_id="c1")
    assert (call.state, call.match, call.person, call.organization) == (
        "ringing",
        "known",
        caller,
        caller.organization,
    )
    assert list(call.ringing_for.all()) == [desk.agent]
    at_tuesday_10.shift(12)
    send("answer", user="servicedesk")
    at_tuesday_10.shift(150)
    send("hangup", cause="normalClearing")
    call.refresh_from_db()
    assert (call.state, call.result, call.agent, call.wait_seconds, call.talk_seconds) == (
        "ended",
        "answered",
        desk.agent,
        12,
        150,
    )
    assert call.followup == ""


def test_a_caller_who_hangs_up_before_an_answer_is_a_missed_call_to_do(
    desk, caller, send, at_tuesday_10
):
    new_call(send)
    at_tuesday_10.shift(40)
    send("hangup", cause="cancel")
    call = Call.objects.get(call_id="c1")
    assert (call.result, call.followup, call.wait_seconds, call.talk_seconds) == (
        "missed",
        "todo",
        40,
        None,
    )


def test_a_forwarded_call_is_neither_answered_nor_missed(desk, caller, send):
    new_call(send)
    send("hangup", cause="forwarded")
    call = Call.objects.get(call_id="c1")
    assert (call.result, call.followup) == ("forwarded", "")


def test_a_busy_line_is_a_missed_call_to_do(desk, caller, send):
    new_call(send)
    send("hangup", cause="busy")
    call = Call.objects.get(call_id="c1")
    assert (call.result, call.followup) == ("busy", "todo")


def test_repeated_events_change_nothing(desk, caller, send, at_tuesday_10):
    new_call(send)
    new_call(send)
    at_tuesday_10.shift(5)
    send("answer", user="servicedesk")
    at_tuesday_10.shift(60)
    send("answer", user="servicedesk")
    send("hangup", cause="normalClearing")
    at_tuesday_10.shift(60)
    send("hangup", cause="normalClearing")
    call = Call.objects.get(call_id="c1")
    assert CallEvent.objects.filter(call=call).count() == 3
    assert (call.result, call.wait_seconds, call.talk_seconds) == ("answered", 5, 60)


def test_an_answer_that_arrives_after_the_hangup_still_makes_the_call_answered(
    desk, caller, send, at_tuesday_10
):
    new_call(send)
    at_tuesday_10.shift(30)
    send("hangup", cause="normalClearing")
    at_tuesday_10.shift(2)
    send("answer", user="servicedesk")
    call = Call.objects.get(call_id="c1")
    assert (call.result, call.agent, call.followup, call.talk_seconds) == (
        "answered",
        desk.agent,
        "",
        0,
    )


def test_a_late_newcall_repeat_does_not_reset_an_ended_call(desk, caller, send, at_tuesday_10):
    new_call(send)
    send("hangup", cause="cancel")
    at_tuesday_10.shift(300)
    new_call(send)
    call = Call.objects.get(call_id="c1")
    assert (call.state, call.result, call.started_at) == ("ended", "missed", TUESDAY_10)


def test_an_answer_for_an_unknown_call_is_refused_and_stores_nothing(desk, send):
    with pytest.raises(CallNotFound):
        send("answer", call_id="nope", user="servicedesk")
    with pytest.raises(CallNotFound):
        send("hangup", call_id="nope", cause="normalClearing")
    assert not Call.objects.exists()
    assert not CallEvent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event": "ring"}, "event"),
        ({"callId": ""}, "callId"),
        ({"direction": "sideways"}, "direction"),
        ({"from": "call me maybe"}, "from"),
        ({"from": "+31<script>"}, "from"),
        ({"cause": "exploded"}, "cause"),
        ({"user": {"name": "x"}}, "user"),
        ({"callId": "x" * 101}, "callId"),
    ],
)
def test_a_malformed_event_names_the_field_and_stores_nothing(desk, token, fields, field):
    data = {"event": "newCall", "callId": "c1", "direction": "in", "from": NUMBER, **fields}
    with pytest.raises(InvalidEvent) as caught:
        services.cti_event_receive(token=token[0], data=data)
    assert field in caught.value.field_errors
    assert not Call.objects.exists()


def test_a_blocked_number_is_rejected_as_busy_and_rings_for_nobody(desk, caller, send):
    BlockedNumber.objects.create(number=NUMBER, reason="Bedreigend")
    assert new_call(send) == {"action": "reject", "reason": "busy"}
    assert new_call(send) == {"action": "reject", "reason": "busy"}
    send("hangup", cause="busy")
    call = Call.objects.get(call_id="c1")
    assert (call.result, call.followup, call.ringing_for.count()) == ("rejected", "", 0)


def test_an_anonymous_missed_call_is_not_on_the_to_do_list(desk, send):
    new_call(send, number="anonymous")
    send("hangup", cause="cancel")
    call = Call.objects.get(call_id="c1")
    assert (call.match, call.number, call.result, call.followup) == ("anonymous", "", "missed", "")


def test_calling_the_number_back_clears_the_missed_call(desk, caller, send, at_tuesday_10):
    new_call(send)
    send("hangup", cause="cancel")
    at_tuesday_10.shift(600)
    send(
        "newCall",
        "c2",
        direction="out",
        to="0781234567",
        user="servicedesk",
        **{"from": "+31788001000"},
    )
    send("answer", "c2", user="servicedesk")
    at_tuesday_10.shift(60)
    send("hangup", "c2", cause="normalClearing")
    missed = Call.objects.get(call_id="c1")
    assert (missed.followup, missed.followup_by) == ("called_back", desk.agent)


def test_an_unanswered_call_back_leaves_the_missed_call_to_do(desk, caller, send):
    new_call(send)
    send("hangup", cause="cancel")
    send(
        "newCall", "c2", direction="out", to=NUMBER, user="servicedesk", **{"from": "+31788001000"}
    )
    send("hangup", "c2", cause="noAnswer")
    assert Call.objects.get(call_id="c1").followup == "todo"


def test_marking_a_missed_call_done_takes_it_off_the_list(desk, caller, send):
    new_call(send)
    send("hangup", cause="cancel")
    call = services.call_mark_done(actor=desk.agent, call=Call.objects.get(call_id="c1"))
    assert (call.followup, call.followup_by) == ("done", desk.agent)
    with pytest.raises(services.ValidationFailed):
        services.call_mark_done(actor=desk.agent, call=call)


# --- calls and tickets -------------------------------------------------------------------


def test_a_ticket_opened_from_the_popup_gets_the_call_on_its_timeline_after_hangup(
    desk, caller, send, open_ticket, at_tuesday_10
):
    ticket = open_ticket()
    new_call(send)
    send("answer", user="servicedesk")
    call = services.call_link_ticket(
        actor=desk.agent, call=Call.objects.get(call_id="c1"), ticket_number=ticket.number
    )
    assert not TicketEntry.objects.filter(ticket=ticket, kind="call").exists()
    at_tuesday_10.shift(90)
    send("hangup", cause="normalClearing")
    entry = TicketEntry.objects.get(ticket=ticket, kind="call")
    assert (
        entry.author,
        entry.is_public,
        entry.data["phone_call"],
        entry.data["talk_seconds"],
    ) == (desk.agent, False, call.pk, 90)


def test_the_ticket_the_agent_opens_during_the_call_is_linked_by_the_worker(
    desk, caller, send, at_tuesday_10
):
    new_call(send)
    send("answer", user="servicedesk")
    at_tuesday_10.shift(30)
    ticket = ticket_services.ticket_open(
        actor=desk.agent,
        requester=caller,
        service=desk.laptop,
        channel="phone",
        title="Printer",
        description="Printer print niet.",
    )
    at_tuesday_10.shift(30)
    send("hangup", cause="normalClearing")
    services.calls_link_recent()
    call = Call.objects.get(call_id="c1")
    assert (call.ticket, call.ticket_logged) == (ticket, True)
    assert TicketEntry.objects.filter(ticket=ticket, kind="call").count() == 1


def test_a_ticket_opened_just_after_the_call_is_linked_by_the_worker(
    desk, caller, send, at_tuesday_10
):
    new_call(send)
    send("answer", user="servicedesk")
    send("hangup", cause="normalClearing")
    at_tuesday_10.shift(300)
    ticket = ticket_services.ticket_open(
        actor=desk.agent,
        requester=caller,
        service=desk.laptop,
        channel="phone",
        title="Printer",
        description="Printer print niet.",
    )
    assert services.calls_link_recent() == 1
    assert Call.objects.get(call_id="c1").ticket == ticket
    assert services.calls_link_recent() == 0


def test_a_ticket_opened_long_after_the_call_is_not_taken_for_it(desk, caller, send, at_tuesday_10):
    new_call(send)
    send("answer", user="servicedesk")
    send("hangup", cause="normalClearing")
    at_tuesday_10.shift(3 * 3600)
    ticket_services.ticket_open(
        actor=desk.agent,
        requester=caller,
        service=desk.laptop,
        channel="phone",
        title="Printer",
        description="Printer print niet.",
    )
    assert services.calls_link_recent() == 0
    assert Call.objects.get(call_id="c1").ticket is None


def test_linking_to_a_ticket_outside_the_agents_scope_is_an_error(desk, caller, send, hr_ticket):
    new_call(send, user=["specialist-it"])
    with pytest.raises(services.ValidationFailed) as caught:
        services.call_link_ticket(
            actor=desk.it_specialist,
            call=Call.objects.get(call_id="c1"),
            ticket_number=hr_ticket.number,
        )
    assert "ticket" in caught.value.field_errors


# --- tokens ------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash_and_stops_working_when_revoked(db):
    token, plaintext = services.cti_token_create(actor=None, name="Centrale")
    assert plaintext not in str(CtiToken.objects.values().get())
    assert services.cti_token_check(plaintext) == token
    services.cti_token_revoke(actor=None, token=token)
    with pytest.raises(InvalidToken):
        services.cti_token_check(plaintext)


def test_a_token_needs_a_name(db):
    with pytest.raises(services.ValidationFailed):
        services.cti_token_create(actor=None, name="  ")
    assert not CtiToken.objects.exists()


# --- recordings --------------------------------------------------------------------------


@pytest.fixture
def ended_call(desk, caller, send, at_tuesday_10):
    new_call(send)
    send("answer", user="servicedesk")
    at_tuesday_10.shift(60)
    send("hangup", cause="normalClearing")
    return Call.objects.get(call_id="c1")


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("wav", "audio/wav"), ("mp3", "audio/mpeg"), ("ogg", "audio/ogg")],
)
def test_real_recordings_are_recognized_by_content(ended_call, token, audio, kind, content_type):
    recording, created = services.recording_store(call_id="c1", content=audio[kind], token=token[0])
    assert (created, recording.content_type, recording.size) == (
        True,
        content_type,
        len(audio[kind]),
    )
    assert recording.file.read() == audio[kind]


def test_a_wav_recording_knows_its_duration(ended_call, token, audio):
    recording, _created = services.recording_store(
        call_id="c1", content=audio["wav"], token=token[0]
    )
    assert 1.0 < recording.duration_seconds < 6.0


@pytest.mark.parametrize(
    "content",
    [
        b"This is not audio at all, just text named gesprek.wav",
        b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 64,
        b"OggS" + b"\x00" * 40,
        b"ID3\x03\x00\x00\x00\x00\x00\x10" + b"\x00" * 64,
        b"\xff\xfb" + b"\x00" * 64,
        b"%PDF-1.7 pretending",
    ],
)
def test_files_that_only_pretend_to_be_audio_are_rejected(ended_call, token, content):
    with pytest.raises(RecordingRejected):
        services.recording_store(call_id="c1", content=content, token=token[0])
    assert not Recording.objects.exists()


def test_an_oversized_recording_is_rejected(ended_call, token, audio, settings):
    settings.EENLOKET_PHONE_MAX_RECORDING_BYTES = 1000
    with pytest.raises(RecordingTooLarge):
        services.recording_store(call_id="c1", content=audio["wav"], token=token[0])
    assert not Recording.objects.exists()


def test_a_recording_for_an_unknown_call_is_refused(desk, token, audio):
    with pytest.raises(CallNotFound):
        services.recording_store(call_id="nope", content=audio["wav"], token=token[0])
    assert not Recording.objects.exists()


def test_the_same_recording_twice_is_kept_once_and_another_one_is_a_conflict(
    ended_call, token, audio
):
    first, _ = services.recording_store(call_id="c1", content=audio["wav"], token=token[0])
    again, created = services.recording_store(call_id="c1", content=audio["wav"], token=token[0])
    assert (again, created) == (first, False)
    with pytest.raises(RecordingExists):
        services.recording_store(call_id="c1", content=audio["ogg"], token=token[0])


def test_an_agent_uploads_only_for_calls_they_took(ended_call, desk, audio):
    other = f.UserFactory(username="collega", role="specialist")
    with pytest.raises(CallNotFound):
        services.recording_store(call_id="c1", content=audio["wav"], actor=other)
    recording, _ = services.recording_store(call_id="c1", content=audio["wav"], actor=desk.agent)
    assert recording.uploaded_by == desk.agent


def test_seeking_in_a_playback_is_not_logged_as_another_playback(ended_call, token, audio, desk):
    recording, _ = services.recording_store(call_id="c1", content=audio["wav"], token=token[0])
    assert services.playback_record(actor=desk.agent, recording=recording, byte_range="")
    assert not services.playback_record(
        actor=desk.agent, recording=recording, byte_range="bytes=1000-"
    )
    assert services.playback_record(actor=desk.agent, recording=recording, byte_range="bytes=0-")
    assert PlaybackLog.objects.count() == 2


def test_a_listener_who_only_seeks_is_still_logged_once(ended_call, token, audio, desk):
    recording, _ = services.recording_store(call_id="c1", content=audio["wav"], token=token[0])
    services.playback_record(actor=desk.agent, recording=recording, byte_range="bytes=5000-")
    assert PlaybackLog.objects.filter(user=desk.agent).count() == 1


# --- retention (a rule of the privacy app since recordings joined its one mechanism) -----


def purge() -> int:
    run = privacy_services.retention_run()
    return sum(row["count"] for row in run.counts if row["kind"] == "recordings")


@pytest.fixture
def recording(ended_call, token, audio):
    return services.recording_store(call_id="c1", content=audio["wav"], token=token[0])[0]


def test_recordings_are_deleted_after_the_default_90_days_and_logged(recording):
    name = recording.file.name
    storage = recording.file.storage
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=89), tick=False):
        assert purge() == 0
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=90, minutes=1), tick=False):
        assert purge() == 1
    recording.refresh_from_db()
    assert (recording.is_deleted, recording.deleted_reason) == (True, "retention: 90 days")
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(
        action="recording_deleted", object_id=str(recording.pk)
    ).exists()


def test_an_organization_can_keep_recordings_shorter(recording, desk):
    privacy_services.retention_rule_save(
        actor=desk.admin,
        kind="recordings",
        organization_id=desk.organization.pk,
        period=30,
        action="delete",
    )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=31), tick=False):
        assert purge() == 1


def test_a_recording_on_hold_is_not_deleted_until_the_hold_is_released(recording, desk):
    hold = services.recording_hold_place(actor=desk.admin, recording=recording, reason="Klacht")
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=200), tick=False):
        assert purge() == 0
        services.recording_hold_release(actor=desk.admin, hold=hold)
        assert purge() == 1


def test_a_hold_needs_a_reason(recording, desk):
    with pytest.raises(services.ValidationFailed):
        services.recording_hold_place(actor=desk.admin, recording=recording, reason=" ")


def test_an_extension_of_the_exchange_rings_for_its_staff_member(desk, caller, send):
    from tests.phone.factories import PhoneExtensionFactory

    PhoneExtensionFactory(extension="201", user=desk.team_lead)
    new_call(send, user=["201", "servicedesk", "klant", "nobody-here"])
    ringing = set(Call.objects.get(call_id="c1").ringing_for.all())
    assert ringing == {desk.team_lead, desk.agent}  # a customer never gets a call to answer


def test_the_answering_extension_names_the_agent(desk, caller, send):
    from tests.phone.factories import PhoneExtensionFactory

    PhoneExtensionFactory(extension="202", user=desk.team_lead)
    new_call(send)
    send("answer", answeringNumber="202")
    assert Call.objects.get(call_id="c1").agent == desk.team_lead


def test_an_extension_goes_before_a_user_name_that_is_the_same(desk, caller, send):
    from tests.phone.factories import PhoneExtensionFactory

    PhoneExtensionFactory(extension="servicedesk", user=desk.team_lead)
    new_call(send, user=["servicedesk"])
    assert list(Call.objects.get(call_id="c1").ringing_for.all()) == [desk.team_lead]
    send("answer", user="servicedesk")
    assert Call.objects.get(call_id="c1").agent == desk.team_lead


def test_the_extension_of_someone_who_left_does_not_hide_a_user_name(desk, caller, send):
    from tests.phone.factories import PhoneExtensionFactory

    desk.team_lead.is_active = False
    desk.team_lead.save()
    PhoneExtensionFactory(extension="servicedesk", user=desk.team_lead)
    new_call(send, user=["servicedesk"])
    assert list(Call.objects.get(call_id="c1").ringing_for.all()) == [desk.agent]


def test_an_answer_by_nobody_known_keeps_the_agent_and_the_first_known_name_counts(
    desk, caller, send
):
    new_call(send)
    send("answer", user=["nobody-here", "teamleider", "servicedesk"])
    assert Call.objects.get(call_id="c1").agent == desk.team_lead
    new_call(send, call_id="c2")
    send("answer", call_id="c2", user="nobody-here")
    assert Call.objects.get(call_id="c2").agent is None


def _plain_int(value):
    """psycopg's Int4/Int8 as an int: they name the column type for server-side binding,
    which Eenloket does not use; a plain int goes into the statement the same."""
    return int(value) if type(value) not in (int, bool) and isinstance(value, int) else value


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        "",
        "+31781234567",
        Call.State.RINGING,
        None,
        0,
        42,
        True,
        False,
        dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC),
        "12",
    ],
)
def test_the_event_path_prepares_values_as_django_would(value):
    """The event path skips get_db_prep_save where it would change nothing: for every
    column of the call log and every kind of value, what it hands the database is what
    Django would have handed it (a number given as text, or a bool in a number column,
    still goes through Django)."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    fields = [
        f
        for model in (Call, CallEvent)
        for f in model._meta.concrete_fields
        if f.get_internal_type() != "JSONField"
    ]
    checked = 0
    for field in fields:
        try:
            expected = field.get_db_prep_save(value, connection)
        except (TypeError, ValueError, AttributeError, ValidationError):
            continue  # a value this column cannot take at all
        given = _plain_int(services._db_value(field, value))
        expected = _plain_int(expected)
        assert (type(given), given) == (type(expected), expected), field.name
        checked += 1
    assert checked >= 10
