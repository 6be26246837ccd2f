"""Every mail of the corpus through the intake: the ticket, body, attachments and thread that
the manifest expects. Regenerate the corpus with corpus/make_corpus.py."""

import json

import pytest

from eenloket.channels.email import services
from eenloket.channels.email.models import InboundMessage, TicketCopy
from eenloket.channels.email.selectors import body_split
from eenloket.directory.selectors import person_find_by_email
from eenloket.tickets.selectors import ticket_for_channel
from tests.channels.email.conftest import CORPUS, corpus_mail
from tests.channels.email.corpus.make_corpus import big_mail

MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
CHECKED_IN = [case for case in MANIFEST if not case.get("generated")]


def _raw(case) -> bytes:
    return big_mail(case["megabytes"]) if case.get("generated") else corpus_mail(case["name"])


def test_the_corpus_covers_at_least_sixty_mails():
    assert len(MANIFEST) >= 60
    assert all((CORPUS / case["file"]).exists() for case in CHECKED_IN)


@pytest.mark.parametrize("case", CHECKED_IN, ids=[case["name"] for case in CHECKED_IN])
def test_corpus_mail(case, mailbox, at_tuesday_10):
    parent = (
        services.mail_receive(mailbox=mailbox, raw=corpus_mail(case["parent"]))
        if case.get("parent")
        else None
    )

    intake = services.mail_receive(mailbox=mailbox, raw=_raw(case))

    assert intake.outcome == case["outcome"], intake
    assert intake.reason == case.get("reason", intake.reason)
    inbound = InboundMessage.objects.get(pk=intake.inbound_id)
    assert inbound.raw.size == len(_raw(case))
    ticket = ticket_for_channel(number=intake.ticket_number) if intake.ticket_number else None
    assert (ticket is not None) == (case["outcome"] in {"opened", "added"})
    if parent is not None:
        assert (intake.ticket_number == parent.ticket_number) == case["same_ticket"]
    if ticket is None:
        return
    entry = inbound.entry
    assert ticket.title == case.get("title", ticket.title)
    assert ticket.channel == "email"
    for text in case.get("body_contains", []):
        assert text in entry.body
    for text in case.get("body_not_contains", []):
        assert text not in entry.body
    names = sorted(entry.attachments.values_list("filename", flat=True))
    assert names == sorted(case.get("attachments", []))
    opaque = sorted(
        entry.attachments.filter(content_type="application/octet-stream").values_list(
            "filename", flat=True
        )
    )
    assert opaque == sorted(case.get("opaque", []))
    for markup in case.get("html_forbidden", []):
        assert markup not in inbound.html.lower()
    for markup in case.get("html_contains", []):
        assert markup in inbound.html
    if "quote_starts_with" in case:
        assert body_split(entry.body, entry.data)[1].startswith(case["quote_starts_with"])
    if "copies" in case:
        assert (
            list(TicketCopy.objects.filter(ticket=ticket).values_list("address", flat=True))
            == (case["copies"])
        )
    if "new_person" in case:
        assert ticket.requester == person_find_by_email(case["new_person"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["big_25mb", "big_50mb"])
def test_giant_mails(name, mailbox, at_tuesday_10):
    case = next(case for case in MANIFEST if case["name"] == name)
    raw = _raw(case)
    assert len(raw) >= case["megabytes"] * 1024 * 1024 * 0.95

    intake = services.mail_receive(mailbox=mailbox, raw=raw)

    assert intake.outcome == case["outcome"]
    assert intake.reason == case.get("reason", intake.reason)
    inbound = InboundMessage.objects.get(pk=intake.inbound_id)
    assert inbound.size == len(raw)
    if case.get("attachments"):
        assert (
            list(inbound.entry.attachments.values_list("filename", flat=True))
            == (case["attachments"])
        )
