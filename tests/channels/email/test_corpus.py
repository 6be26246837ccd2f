"""Every mail of the corpus through the intake: the outcome, ticket, body, attachments and
thread that the manifest expects. Regenerate the corpus with corpus/make_corpus.py."""

import json

import pytest

from eenloket.channels.email import services
from eenloket.channels.email.models import InboundMessage
from eenloket.channels.email.selectors import body_split
from tests.channels.email.conftest import CORPUS, corpus_mail
from tests.channels.email.corpus.make_corpus import big_mail

MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
CHECKED_IN = [case for case in MANIFEST if not case.get("generated")]


def _cases(condition):
    chosen = [case for case in CHECKED_IN if condition(case)]
    return pytest.mark.parametrize("case", chosen, ids=[case["name"] for case in chosen])


def _take_in(mailbox, case):
    """The case's parent first (the mail it answers), then the case; returns both intakes."""
    parent_name = case.get("parent")
    parent = (
        services.mail_receive(mailbox=mailbox, raw=corpus_mail(parent_name))
        if (parent_name)
        else None
    )
    return parent, services.mail_receive(mailbox=mailbox, raw=corpus_mail(case["name"]))


def _entry(intake):
    return InboundMessage.objects.select_related("entry").get(pk=intake.inbound_id).entry


def test_the_corpus_covers_at_least_sixty_mails():
    assert len(MANIFEST) >= 60
    assert all((CORPUS / case["file"]).exists() for case in CHECKED_IN)


@_cases(lambda case: True)
def test_outcome_and_the_raw_mail_kept(case, mailbox, at_tuesday_10):
    _parent, intake = _take_in(mailbox, case)

    assert intake.outcome == case["outcome"]
    assert intake.reason == case.get("reason", intake.reason)
    inbound = InboundMessage.objects.get(pk=intake.inbound_id)
    assert inbound.raw.read() == corpus_mail(case["name"])


@_cases(lambda case: case["outcome"] in {"opened", "added"})
def test_body_and_attachments(case, mailbox, at_tuesday_10):
    _parent, intake = _take_in(mailbox, case)

    entry = _entry(intake)
    assert entry.ticket.channel == "email"
    assert [text for text in case.get("body_contains", []) if text not in entry.body] == []
    assert [text for text in case.get("body_not_contains", []) if text in entry.body] == []
    attachments = entry.attachments.all()
    assert sorted(a.filename for a in attachments) == sorted(case.get("attachments", []))
    assert sorted(
        a.filename for a in attachments if a.content_type == "application/octet-stream"
    ) == sorted(case.get("opaque", []))


@_cases(lambda case: "title" in case)
def test_ticket_title(case, mailbox, at_tuesday_10):
    _parent, intake = _take_in(mailbox, case)

    assert _entry(intake).ticket.title == case["title"]


@_cases(lambda case: "parent" in case)
def test_thread(case, mailbox, at_tuesday_10):
    parent, intake = _take_in(mailbox, case)

    assert (intake.ticket_number == parent.ticket_number) is case["same_ticket"]


@_cases(lambda case: "quote_starts_with" in case)
def test_quoted_history_is_kept_and_marked(case, mailbox, at_tuesday_10):
    _parent, intake = _take_in(mailbox, case)

    entry = _entry(intake)
    assert body_split(entry.body, entry.data)[1].startswith(case["quote_starts_with"])


@_cases(lambda case: "html_forbidden" in case)
def test_stored_html_is_inert(case, mailbox, at_tuesday_10):
    _parent, intake = _take_in(mailbox, case)

    html = InboundMessage.objects.get(pk=intake.inbound_id).html.lower()
    assert [markup for markup in case["html_forbidden"] if markup in html] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [case for case in MANIFEST if case.get("generated")],
    ids=lambda case: case["name"],
)
def test_giant_mails(case, mailbox, at_tuesday_10):
    raw = big_mail(case["megabytes"])
    assert len(raw) >= case["megabytes"] * 1024 * 1024 * 0.95

    intake = services.mail_receive(mailbox=mailbox, raw=raw)

    assert (intake.outcome, intake.reason) == (case["outcome"], case.get("reason", ""))
    inbound = InboundMessage.objects.get(pk=intake.inbound_id)
    assert inbound.size == len(raw)
    assert sorted(
        InboundMessage.objects.filter(pk=inbound.pk).values_list(
            "entry__attachments__filename", flat=True
        )
    ) == case.get("attachments", [None])


def test_the_inline_image_stays_referenced_by_cid(mailbox, at_tuesday_10):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("related_inline_cid_image"))

    assert 'src="cid:logo1"' in InboundMessage.objects.get(pk=intake.inbound_id).html


def test_a_new_sender_of_an_allowed_domain_becomes_a_person(mailbox, at_tuesday_10):
    from eenloket.directory.selectors import person_find_by_email

    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("new_person_allowed_domain"))

    person = person_find_by_email("anna@dordrecht.example")
    assert (person.first_name, person.last_name) == ("Anna", "de Boer")
    assert _entry(intake).ticket.requester == person


def test_the_cc_addresses_of_a_new_mail_are_kept_in_copy_but_not_our_own(mailbox, at_tuesday_10):
    from eenloket.channels.email.models import TicketCopy

    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("cc_recorded"))

    copies = TicketCopy.objects.filter(ticket=_entry(intake).ticket)
    assert [(c.address, c.kept) for c in copies] == [("els@dordrecht.example", True)]
