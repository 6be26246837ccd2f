"""Stored files are never pages: only pictures and sound may show inline, everything else is
an opaque download with a safe name, and every file answer forbids sniffing and scripts."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from eenloket.core.files import content_disposition, harden_file_response, served_type
from eenloket.tickets import services
from eenloket.tickets.models import Attachment
from tests.knowledge.factories import publish

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"
HTML = b"<!doctype html><script>alert(document.cookie)</script><svg onload=alert(1)>"


def download(client, user, attachment):
    client.force_login(user)
    response = client.get(reverse("attachment", args=[attachment.pk]))
    return response, b"".join(response.streaming_content)


def headers(response):
    return (
        response["Content-Type"],
        response["Content-Disposition"].split(";")[0],
        response["X-Content-Type-Options"],
        response["Content-Security-Policy"],
    )


@pytest.mark.parametrize(
    ("claimed", "served"),
    [
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("text/xml", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("", "application/octet-stream"),
        (None, "application/octet-stream"),
        ("image/png", "image/png"),
        ("IMAGE/PNG; charset=x", "image/png"),
        ("application/pdf", "application/pdf"),
        ("text/plain", "text/plain; charset=utf-8"),
    ],
)
def test_only_allow_listed_types_keep_their_type(claimed, served):
    assert served_type(claimed) == served


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("brief.pdf", "attachment; filename=\"brief.pdf\"; filename*=UTF-8''brief.pdf"),
        (
            'a"b;c.txt',
            "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%3Bc.txt",
        ),
        (
            "rapport\r\nSet-Cookie: x=1.txt",
            'attachment; filename="rapportSet-Cookie: x=1.txt"; '
            "filename*=UTF-8''rapportSet-Cookie%3A%20x%3D1.txt",
        ),
        ("../../etc/passwd", "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"),
        (
            "één overzicht.pdf",
            'attachment; filename="een overzicht.pdf"; '
            "filename*=UTF-8''%C3%A9%C3%A9n%20overzicht.pdf",
        ),
        ("...", "attachment; filename=\"bestand\"; filename*=UTF-8''bestand"),
    ],
)
def test_the_file_name_is_a_safe_rfc_6266_header(name, header):
    assert content_disposition(name, inline=False) == header


def test_inline_only_for_pictures_and_sound():
    audio = harden_file_response(
        HttpResponse(), filename="opname", content_type="audio/wav", inline=True
    )
    page = harden_file_response(
        HttpResponse(), filename="x.html", content_type="text/html", inline=True
    )
    assert (headers(audio), headers(page)) == (
        ("audio/wav", "inline", "nosniff", SANDBOX),
        ("application/octet-stream", "attachment", "nosniff", SANDBOX),
    )


def test_an_html_mail_part_is_an_opaque_download(client, desk, open_ticket):
    ticket = open_ticket(
        files=[services.Upload(name="uitnodiging.html", content=HTML, kept_as_file=True)]
    )
    attachment = Attachment.objects.get(entry__ticket=ticket)
    response, body = download(client, desk.agent, attachment)
    assert (headers(response), body) == (
        ("application/octet-stream", "attachment", "nosniff", SANDBOX),
        HTML,
    )


def test_html_in_a_text_file_is_a_plain_text_download(client, desk, open_ticket):
    ticket = open_ticket(files=[services.Upload(name="notitie.txt", content=HTML)])
    attachment = Attachment.objects.get(entry__ticket=ticket)
    response, _body = download(client, desk.agent, attachment)
    assert headers(response) == ("text/plain; charset=utf-8", "attachment", "nosniff", SANDBOX)


@pytest.mark.parametrize("name", ["pagina.html", "logo.svg", "pagina.htm", "script.js"])
def test_an_html_or_svg_upload_is_refused(desk, open_ticket, name):
    from eenloket.tickets.exceptions import UploadRejected

    with pytest.raises(UploadRejected):
        open_ticket(files=[services.Upload(name=name, content=HTML)])


def test_the_api_serves_attachments_the_same_way(desk, open_ticket):
    from tests.apiclient import key_for

    ticket = open_ticket(
        files=[services.Upload(name="uitnodiging.html", content=HTML, kept_as_file=True)]
    )
    attachment = Attachment.objects.get(entry__ticket=ticket)
    api = key_for(role="first_line")
    response = api.get(f"/api/v1/attachments/{attachment.pk}")
    assert headers(response) == ("application/octet-stream", "attachment", "nosniff", SANDBOX)


def test_a_knowledge_attachment_is_a_download_with_a_sandbox(client, desk):
    from eenloket.knowledge import services as knowledge

    article = publish(
        desk, files=[knowledge.FileUpload(name="formulier.txt", content=b"<b>hallo</b>")]
    )
    item = article.published_version.attachments.get()
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:attachment", args=[item.pk]))
    assert headers(response) == ("text/plain; charset=utf-8", "attachment", "nosniff", SANDBOX)
