"""The quoted history of a mail is folded away in the timeline, and kept."""

from django.template import Context, Template

from eenloket.channels.email.selectors import body_split


class Entry:
    def __init__(self, body, data):
        self.body = body
        self.data = data


def test_the_quote_is_split_off_at_the_recorded_offset():
    body = "Het werkt.\n\nOn Tue wrote:\n> oud"

    assert body_split(body, {"mail": {"quote_at": 12}}) == ("Het werkt.", "On Tue wrote:\n> oud")


def test_an_offset_outside_the_body_folds_nothing():
    assert body_split("Kort.", {"mail": {"quote_at": 99}}) == ("Kort.", "")


def test_the_filter_folds_the_quote_in_a_details_element_and_escapes_everything():
    entry = Entry("<b>Nieuw</b>\n\n> <script>oud</script>", {"mail": {"quote_at": 14}})

    html = Template("{% load mail_timeline %}{{ entry|mail_body }}").render(
        Context({"entry": entry})
    )

    assert "&lt;b&gt;Nieuw&lt;/b&gt;" in html
    assert '<details class="mail-quote"><summary>' in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_the_filter_shows_a_mail_without_quote_as_plain_paragraphs():
    html = Template("{% load mail_timeline %}{{ entry|mail_body }}").render(
        Context({"entry": Entry("Alleen dit.", {})})
    )

    assert html == "<p>Alleen dit.</p>"


def test_the_agents_ticket_page_folds_the_quoted_history_of_a_mail(
    client, mailbox, mail_desk, at_tuesday_10
):
    from django.urls import reverse

    from eenloket.channels.email import services
    from tests.channels.email.conftest import corpus_mail

    services.mail_receive(mailbox=mailbox, raw=corpus_mail("plain_utf8"))
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("reply_quote_outlook"))
    client.force_login(mail_desk.agent)

    page = client.get(reverse("workspace:ticket", args=["M2026-00001"])).content.decode()

    assert "<p>Het werkt weer.</p><details" in page
    assert "Oude tekst." in page
