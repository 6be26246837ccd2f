"""What the ticket services offer channels: data kept on the entry, files kept whatever their
type, and the timeline walk for notifications."""

import datetime as dt

import pytest

from eenloket.tickets import services
from eenloket.tickets.exceptions import UploadRejected
from eenloket.tickets.selectors import entries_after, entry_last_id, ticket_for_channel


def test_a_channel_keeps_its_data_on_the_opening_message(open_ticket):
    ticket = open_ticket(channel="email", entry_data={"mail": {"quote_at": 5}})

    entry = ticket.entries.get()
    assert entry.data == {"mail": {"quote_at": 5}, "recorded_by_agent": True}


def test_a_channel_keeps_its_data_on_a_customer_message(desk, open_ticket):
    ticket = open_ticket()

    entry = services.ticket_add_customer_message(
        actor=None,
        ticket=ticket,
        person=desk.person,
        body="Aanvulling",
        channel="email",
        entry_data={"mail": {"inbound_id": 7}},
    )

    assert entry.data == {"mail": {"inbound_id": 7}}


def test_a_file_kept_as_file_is_stored_as_opaque_bytes(open_ticket):
    ticket = open_ticket(
        files=[services.Upload(name="winmail.dat", content=b"\x78\x9f\x3e", kept_as_file=True)]
    )

    attachment = ticket.entries.get().attachments.get()
    assert (attachment.filename, attachment.content_type) == (
        "winmail.dat",
        "application/octet-stream",
    )


def test_a_file_kept_as_file_still_has_a_size_limit(open_ticket, settings):
    settings.EENLOKET_MAX_UPLOAD_BYTES = 10

    with pytest.raises(UploadRejected, match="te groot"):
        open_ticket(files=[services.Upload(name="x.dat", content=b"0" * 11, kept_as_file=True)])


def test_the_same_file_without_the_flag_is_refused(open_ticket):
    with pytest.raises(UploadRejected):
        open_ticket(files=[services.Upload(name="winmail.dat", content=b"\x78\x9f\x3e")])


def test_the_walk_stops_at_entries_too_young_to_be_surely_committed(desk, open_ticket):
    start = entry_last_id()
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Notitie")
    opened = ticket.entries.order_by("pk").first()

    assert entries_after(after_id=start, before=opened.at) == []
    assert [e.kind for e in entries_after(after_id=start, before=opened.at + dt.timedelta(1))] == [
        "customer_message",
        "note",
    ]


def test_a_channel_finds_a_ticket_by_number_or_not_at_all(open_ticket):
    ticket = open_ticket()

    assert ticket_for_channel(number=ticket.number) == ticket
    assert ticket_for_channel(number="M1999-00001") is None
