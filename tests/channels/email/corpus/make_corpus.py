# ruff: noqa: E501, RUF001
"""Writes the mail corpus (*.eml) and manifest.json: `python tests/channels/email/corpus/make_corpus.py`.

Each case is a real-world shape of mail with what the desk must make of it. The two giants
(25 MB and 50 MB) are not checked in: `big_mail()` builds them when the tests run.

Conventions the tests rely on: the known customer is jan@dordrecht.example (an existing
person), the desk's own address is servicedesk@eenloket.example, dordrecht.example is an
allowed domain, and the first ticket of a test is M2026-00001 (time is frozen in 2026).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent
CUSTOMER = "Jan Jansen <jan@dordrecht.example>"
DESK = "servicedesk@eenloket.example"
DATE = format_datetime(dt.datetime(2026, 4, 14, 9, 0, tzinfo=dt.UTC))
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PARENT_ID = "<origineel-1@dordrecht.example>"

cases: list[dict] = []


def add(name: str, raw: bytes, **expect) -> None:
    expect.setdefault("outcome", "opened")
    cases.append({"name": name, "file": f"{name}.eml", "raw": raw, **expect})


def simple(
    subject="Laptop start niet",
    body="Mijn laptop start niet meer op.",
    sender=CUSTOMER,
    message_id=None,
    headers=None,
    charset="utf-8",
    cte=None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = DESK
    msg["Subject"] = subject
    msg["Date"] = DATE
    digest = hashlib.sha256(f"{subject}|{body}|{sender}".encode()).hexdigest()[:16]
    msg["Message-ID"] = message_id or f"<{digest}@corpus>"
    msg.set_content(body, charset=charset, cte=cte)
    # After set_content, which drops Content-* headers set before it.
    for key, value in (headers or {}).items():
        msg[key] = value
    return msg


def raw_mail(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body


# --- bodies, charsets and transfer encodings ----------------------------------------------
add(
    "plain_utf8",
    bytes(simple(message_id=PARENT_ID)),
    title="Laptop start niet",
    body_contains=["Mijn laptop start niet meer op."],
)
for name, charset, text in [
    ("plain_iso8859_1", "iso-8859-1", "Één probleem: de printer op de derde verdieping."),
    ("plain_windows1252", "windows-1252", "Kosten: €12,50 – “dringend”."),
    ("plain_koi8r", "koi8-r", "Привет, мой компьютер не работает."),
    ("plain_shift_jis", "shift_jis", "パソコンが起動しません。"),
]:
    body = text.encode(charset)
    raw = raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Charset {charset}\nDate: {DATE}\n"
        f"Message-ID: <{name}@corpus>\nMIME-Version: 1.0\n"
        f'Content-Type: text/plain; charset="{charset}"\nContent-Transfer-Encoding: 8bit\n',
        body + b"\r\n",
    )
    add(name, raw, title=f"Charset {charset}", body_contains=[text])
add(
    "quoted_printable",
    bytes(simple(subject="QP", body="Ça va? Dit is een lange regel " * 5, cte="quoted-printable")),
    title="QP",
    body_contains=["Ça va? Dit is een lange regel"],
)
add(
    "base64_utf8",
    bytes(simple(subject="Base64", body="Grüße uit Zwolle ☕", cte="base64")),
    title="Base64",
    body_contains=["Grüße uit Zwolle ☕"],
)


def alternative(text: str, html: str, subject="Alternatief", message_id=None) -> EmailMessage:
    msg = simple(subject=subject, body=text, message_id=message_id)
    msg.add_alternative(html, subtype="html")
    return msg


add(
    "alternative_text_html",
    bytes(alternative("Tekst versie.", "<p>HTML <b>versie</b>.</p>")),
    title="Alternatief",
    body_contains=["Tekst versie."],
    body_not_contains=["<b>"],
)
html_only = EmailMessage()
html_only["From"] = CUSTOMER
html_only["To"] = DESK
html_only["Subject"] = "Alleen HTML"
html_only["Message-ID"] = "<html-only@corpus>"
html_only.set_content(
    "<html><head><style>p{color:red}</style></head><body><p>Eerste alinea.</p>"
    "<p>Tweede &amp; laatste.</p></body></html>",
    subtype="html",
)
add(
    "html_only",
    bytes(html_only),
    title="Alleen HTML",
    body_contains=["Eerste alinea.", "Tweede & laatste."],
    body_not_contains=["color:red", "<p>"],
)
mixed = simple(subject="Met PDF", body="Zie bijlage.")
mixed.add_attachment(PDF, maintype="application", subtype="pdf", filename="factuur.pdf")
add(
    "mixed_pdf_attachment",
    bytes(mixed),
    body_contains=["Zie bijlage."],
    attachments=["factuur.pdf"],
)

related = alternative("Zie het plaatje.", '<p>Zie <img src="cid:logo1" alt="logo">.</p>', "Inline")
related.get_payload()[1].add_related(PNG, "image", "png", cid="<logo1>", filename="logo.png")
add(
    "related_inline_cid_image",
    bytes(related),
    body_contains=["Zie het plaatje."],
    attachments=["logo.png"],
    html_contains=['src="cid:logo1"'],
)
add(
    "rfc2047_subject_utf8",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: =?utf-8?b?V2VyayBpbiBkZSBrZXVrZW4g4pyT?=\n"
        "Message-ID: <2047a@corpus>\nContent-Type: text/plain; charset=utf-8\n",
        b"Tekst.\r\n",
    ),
    title="Werk in de keuken ✓",
)
add(
    "rfc2047_subject_iso_q",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: =?iso-8859-1?q?Vraag_over_salari=EBring?=\n"
        "Message-ID: <2047b@corpus>\nContent-Type: text/plain; charset=utf-8\n",
        b"Tekst.\r\n",
    ),
    title="Vraag over salariëring",
)
add(
    "rfc2047_from_name",
    raw_mail(
        f"From: =?utf-8?q?Jan_J=C3=A1nsen?= <jan@dordrecht.example>\nTo: {DESK}\n"
        "Subject: Naam\nMessage-ID: <2047c@corpus>\nContent-Type: text/plain; charset=utf-8\n",
        b"Tekst.\r\n",
    ),
    title="Naam",
)
add(
    "rfc2047_subject_broken",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: =?utf-8?b?!!!kapot?= vraag\n"
        "Message-ID: <2047d@corpus>\nContent-Type: text/plain; charset=utf-8\n",
        b"Tekst.\r\n",
    ),
    body_contains=["Tekst."],
)

# --- attachments with odd names -------------------------------------------------------
odd = simple(subject="Rare namen", body="Drie bijlagen.")
odd.add_attachment(PDF, maintype="application", subtype="pdf", filename="überstunden – april.pdf")
odd.add_attachment(PDF, maintype="application", subtype="pdf", filename="../../etc/passwd.pdf")
odd.add_attachment(PDF, maintype="application", subtype="pdf", filename="x" * 300 + ".pdf")
add(
    "attachment_odd_names",
    bytes(odd),
    attachments=["überstunden – april.pdf", "passwd.pdf", "x" * 146 + ".pdf"],
)
noname = simple(subject="Zonder naam", body="Bijlage zonder naam.")
noname.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream")
add("attachment_no_name", bytes(noname), attachments=["bijlage-2.bin"], opaque=["bijlage-2.bin"])
add(
    "attachment_rfc2231_name",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: RFC 2231\nMessage-ID: <2231@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n',
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZie bijlage.\r\n--b1\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
        b"filename*=utf-8''rapport%20%C3%A9t%C3%A9.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(PDF)
        + b"\r\n--b1--\r\n",
    ),
    attachments=["rapport été.pdf"],
)
add(
    "attachment_rfc2047_name",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: RFC 2047 naam\nMessage-ID: <2047n@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n',
        b"--b1\r\nContent-Type: text/plain\r\n\r\nZie bijlage.\r\n--b1\r\n"
        b'Content-Type: application/pdf; name="=?utf-8?q?c=C3=A9dille.pdf?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(PDF) + b"\r\n--b1--\r\n",
    ),
    attachments=["cédille.pdf"],
)
exe = simple(subject="Programma", body="Start dit.")
exe.add_attachment(
    b"MZ\x90\x00binary", maintype="application", subtype="x-msdownload", filename="run.exe"
)
add("attachment_executable_kept_as_file", bytes(exe), attachments=["run.exe"], opaque=["run.exe"])

inner = simple(
    subject="Oorspronkelijke vraag",
    body="Dit is de doorgestuurde tekst.",
    sender="Piet <piet@zwolle.example>",
)
forward = simple(subject="Fwd: Oorspronkelijke vraag", body="Zie hieronder, graag oppakken.")
forward.add_attachment(inner)
add(
    "forward_rfc822",
    bytes(forward),
    title="Oorspronkelijke vraag",
    body_contains=[
        "Zie hieronder, graag oppakken.",
        "Dit is de doorgestuurde tekst.",
        "piet@zwolle.example",
    ],
    attachments=["Oorspronkelijke vraag.eml"],
    opaque=["Oorspronkelijke vraag.eml"],
)
ics = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Overleg\r\n"
    "DTSTART:20260415T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
invite = simple(subject="Uitnodiging: Overleg", body="U bent uitgenodigd.")
invite.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"})
add(
    "calendar_invite",
    bytes(invite),
    body_contains=["U bent uitgenodigd."],
    attachments=["bijlage-2.ics"],
    opaque=["bijlage-2.ics"],
)
tnef = simple(subject="Outlook RTF", body="Bericht uit Outlook.")
tnef.add_attachment(
    b"\x78\x9f\x3e\x22tnefdata", maintype="application", subtype="ms-tnef", filename="winmail.dat"
)
add("tnef_winmail", bytes(tnef), attachments=["winmail.dat"], opaque=["winmail.dat"])
only_file = EmailMessage()
only_file["From"] = CUSTOMER
only_file["To"] = DESK
only_file["Subject"] = "Scan"
only_file["Message-ID"] = "<only-file@corpus>"
only_file.add_attachment(PDF, maintype="application", subtype="pdf", filename="scan.pdf")
add(
    "no_text_only_attachment",
    bytes(only_file),
    body_contains=["(De mail heeft geen tekst; zie de bijlagen.)"],
    attachments=["scan.pdf"],
)
add(
    "empty_body",
    raw_mail(f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Leeg\nMessage-ID: <empty@corpus>\n", b""),
    title="Leeg",
    body_contains=["(De mail heeft geen tekst; zie de bijlagen.)"],
)
add(
    "no_subject",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nMessage-ID: <nosubject@corpus>\n", b"Geen onderwerp.\r\n"
    ),
    title="Mail zonder onderwerp",
)
nested = simple(subject="Diep genest", body="Tekst diep.")
nested.add_alternative("<p>HTML diep <img src='cid:p'></p>", subtype="html")
nested.get_payload()[1].add_related(PNG, "image", "png", cid="<p>", filename="p.png")
nested.add_attachment(PDF, maintype="application", subtype="pdf", filename="diep.pdf")
add(
    "nested_mixed_alternative_related",
    bytes(nested),
    body_contains=["Tekst diep."],
    attachments=["p.png", "diep.pdf"],
)
add(
    "apple_two_text_parts",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Twee delen\nMessage-ID: <apple@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n',
        b"--b1\r\nContent-Type: text/plain\r\n\r\nBoven het plaatje.\r\n--b1\r\n"
        b"Content-Type: image/png; name=foto.png\r\nContent-Disposition: inline; filename=foto.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(PNG) + b"\r\n--b1\r\n"
        b"Content-Type: text/plain\r\n\r\nOnder het plaatje.\r\n--b1--\r\n",
    ),
    body_contains=["Boven het plaatje.", "Onder het plaatje."],
    attachments=["foto.png"],
)
cc = simple(
    subject="Met kopie",
    body="Collega in cc.",
    headers={"Cc": "Els <els@dordrecht.example>, servicedesk@eenloket.example"},
)
add("cc_recorded", bytes(cc), copies=["els@dordrecht.example"])

# --- threading ----------------------------------------------------------------------------
for index, prefix in enumerate(
    [
        "Re:",
        "RE:",
        "AW:",
        "Antw:",
        "VS:",
        "SV:",
        "Fwd:",
        "Doorst:",
        "Re: Re: AW:",
        "Re[2]:",
        "WG:",
        "Antwoord:",
    ]
):
    add(
        f"reply_prefix_{index:02d}",
        bytes(
            simple(subject=f"{prefix} [M2026-00001] Laptop start niet", body=f"Reactie {index}.")
        ),
        parent="plain_utf8",
        outcome="added",
        same_ticket=True,
        body_contains=[f"Reactie {index}."],
    )
add(
    "reply_in_reply_to_only",
    bytes(simple(subject="Laptop", body="Nog een vraag.", headers={"In-Reply-To": PARENT_ID})),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
)
add(
    "reply_references_only",
    bytes(
        simple(
            subject="Iets anders", body="Nog iets.", headers={"References": f"<x@y> {PARENT_ID}"}
        )
    ),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
)
add(
    "reply_number_from_stranger",
    bytes(
        simple(
            subject="Re: [M2026-00001] Laptop",
            body="Ik lift mee.",
            sender="Kees <kees@dordrecht.example>",
        )
    ),
    parent="plain_utf8",
    outcome="opened",
    same_ticket=False,
)
add(
    "reply_quote_outlook",
    bytes(
        simple(
            subject="RE: [M2026-00001] Laptop",
            body="Het werkt weer.\n\nVan: Servicedesk <servicedesk@eenloket.example>\n"
            "Verzonden: dinsdag 14 april 2026 10:00\nAan: Jan\nOnderwerp: Laptop\n\nOude tekst.",
        )
    ),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
    quote_starts_with="Van: Servicedesk",
    body_contains=["Het werkt weer.", "Oude tekst."],
)
add(
    "reply_quote_gmail",
    bytes(
        simple(
            subject="Re: [M2026-00001] Laptop",
            body="Dank!\n\nOn Tue, 14 Apr 2026 at 10:00, Servicedesk <sd@x.example> wrote:\n> Oude tekst\n> meer",
        )
    ),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
    quote_starts_with="On Tue",
)
add(
    "reply_quote_dutch",
    bytes(
        simple(
            subject="Antw: [M2026-00001] Laptop",
            body="Prima.\n\nOp di 14 apr 2026 om 10:00 schreef Servicedesk <sd@x.example>:\n> Oud",
        )
    ),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
    quote_starts_with="Op di 14",
)
add(
    "reply_quote_marks_only",
    bytes(simple(subject="Re: [M2026-00001] Laptop", body="Ja.\n> vraag 1\n> vraag 2\n> vraag 3")),
    parent="plain_utf8",
    outcome="added",
    same_ticket=True,
    quote_starts_with="> vraag 1",
)

# --- loops and noise ------------------------------------------------------------------------
add(
    "auto_submitted",
    bytes(simple(subject="Afwezig", headers={"Auto-Submitted": "auto-replied"})),
    outcome="auto_reply",
)
add(
    "precedence_bulk",
    bytes(simple(subject="Nieuwsbrief", headers={"Precedence": "bulk"})),
    outcome="auto_reply",
)
add(
    "x_autoreply",
    bytes(simple(subject="Ik ben er niet", headers={"X-Autoreply": "yes"})),
    outcome="auto_reply",
)
add(
    "out_of_office_subject",
    bytes(simple(subject="Automatisch antwoord: Laptop")),
    outcome="auto_reply",
)
add(
    "outlook_automatic_reply",
    bytes(simple(subject="Automatic reply: [M2026-00001]")),
    outcome="auto_reply",
)
dsn = raw_mail(
    "From: Mail Delivery System <MAILER-DAEMON@dordrecht.example>\nTo: servicedesk@eenloket.example\n"
    "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn@corpus>\nMIME-Version: 1.0\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n',
    b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r\r\n"
    b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
    b"Final-Recipient: rfc822; x@y\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n",
)
add("dsn_multipart_report", dsn, outcome="auto_reply")
add(
    "bounce_mailer_daemon",
    bytes(simple(subject="Failure notice", sender="MAILER-DAEMON@mx.dordrecht.example")),
    outcome="auto_reply",
)
add(
    "read_receipt",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Gelezen: Laptop\nMessage-ID: <mdn@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary="r"\n',
        b"--r\r\nContent-Type: text/plain\r\n\r\nGelezen.\r\n--r--\r\n",
    ),
    outcome="auto_reply",
)
add("own_address", bytes(simple(subject="Loop", sender=f"Servicedesk <{DESK}>")), outcome="own")
add(
    "unknown_sender_domain",
    bytes(simple(subject="Spam?", sender="Onbekend <iemand@elders.example>")),
    outcome="quarantined",
    reason="unknown_sender",
)
add(
    "new_person_allowed_domain",
    bytes(simple(subject="Nieuwe collega", sender="Anna de Boer <anna@dordrecht.example>")),
    title="Nieuwe collega",
    new_person="anna@dordrecht.example",
)

# --- untrusted HTML: stored-XSS vectors -----------------------------------------------------
XSS = {
    "xss_script": "<p>Hoi</p><script>alert(1)</script>",
    "xss_img_onerror": '<img src="x" onerror="alert(1)"><p>Hoi</p>',
    "xss_javascript_link": '<a href="javascript:alert(1)">klik</a>',
    "xss_svg_onload": '<svg onload="alert(1)"><circle r="1"/></svg><p>Hoi</p>',
    "xss_style_tag": "<style>body{background:url(javascript:alert(1))}</style><p>Hoi</p>",
    "xss_style_attribute": '<p style="position:fixed;top:0;left:0;width:100%">Hoi</p>',
    "xss_iframe": '<iframe src="https://evil.example/"></iframe><p>Hoi</p>',
    "xss_form": '<form action="https://evil.example/"><input name="password"></form>',
    "xss_remote_image": '<img src="https://tracker.example/pixel.gif" alt="pixel"><p>Hoi</p>',
    "xss_meta_refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>Hoi</p>',
    "xss_object_embed": '<object data="evil.swf"></object><embed src="evil.swf"><p>Hoi</p>',
    "xss_data_uri_link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "xss_entity_obfuscated": '<a href="&#106;avascript:alert(1)">x</a><p>Hoi</p>',
    "xss_mixed_case": "<ScRiPt>alert(1)</sCrIpT><IMG SRC=x OnErRoR=alert(1)>",
    "xss_base_tag": '<base href="https://evil.example/"><a href="/login">inloggen</a>',
}
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "<style",
    "style=",
    "<iframe",
    "<form",
    "<input",
    "https://tracker",
    "<meta",
    "<object",
    "<embed",
    "data:text",
    "<base",
    "<svg",
]
for name, markup in XSS.items():
    msg = alternative("Platte tekst.", f"<html><body>{markup}</body></html>", subject=name)
    add(name, bytes(msg), html_forbidden=FORBIDDEN, body_contains=["Platte tekst."])

# --- bad input --------------------------------------------------------------------------------
add(
    "malformed_missing_boundary",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Kapotte MIME\nMessage-ID: <nobound@corpus>\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed\n",
        b"Hier is tekst zonder grenzen.\r\n",
    ),
    title="Kapotte MIME",
    body_contains=["Hier is tekst zonder grenzen."],
)
add(
    "malformed_unterminated_multipart",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Half\nMessage-ID: <half@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="zz"\n',
        b"--zz\r\nContent-Type: text/plain\r\n\r\nBegin van een afgebroken mail.\r\n--zz\r\n"
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x",
    ),
    body_contains=["Begin van een afgebroken mail."],
    attachments=["bijlage-2.pdf"],
)
add(
    "broken_charset_unknown",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Onbekende tekenset\nMessage-ID: <unknowncs@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: text/plain; charset="x-does-not-exist"\n',
        "Café geopend.".encode() + b"\r\n",
    ),
    body_contains=["Café geopend."],
)
add(
    "broken_charset_lying_utf8",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Liegende tekenset\nMessage-ID: <lying@corpus>\n"
        'MIME-Version: 1.0\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 8bit\n',
        "Café in Zwolle.".encode("latin-1") + b"\r\n",
    ),
    body_contains=["Caf", "in Zwolle."],
)
add(
    "broken_base64",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Kapotte base64\nMessage-ID: <b64@corpus>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        b"SGFsbG8gd2VyZWxk!!!@@@\r\n",
    ),
    title="Kapotte base64",
)
add(
    "header_bomb",
    raw_mail(
        f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Bom\nMessage-ID: <bomb@corpus>\n"
        + "".join(f"X-Filler-{i}: {'a' * 20}\n" for i in range(2000)),
        b"Tekst.\r\n",
    ),
    outcome="quarantined",
    reason="header_bomb",
)
add(
    "no_from",
    raw_mail(
        f"To: {DESK}\nSubject: Zonder afzender\nMessage-ID: <nofrom@corpus>\n", b"Wie ben ik?\r\n"
    ),
    outcome="quarantined",
    reason="no_sender",
)
add(
    "garbage_bytes",
    b"\x00\xff\xfe garbage \x00\x00\r\n\r\n\xff\xff",
    outcome="quarantined",
    reason="no_sender",
)
add(
    "no_message_id",
    raw_mail(f"From: {CUSTOMER}\nTo: {DESK}\nSubject: Geen ID\n", b"Zonder Message-ID.\r\n"),
    title="Geen ID",
)


def big_mail(megabytes: int) -> bytes:
    """A mail of about `megabytes` MB: a text and one PDF attachment filling the rest."""
    msg = simple(
        subject=f"Groot: {megabytes} MB",
        body="Zie de grote bijlage.",
        message_id=f"<big{megabytes}@corpus>",
    )
    # base64 grows by 4/3 (plus line ends): pick the payload so the whole mail is the size.
    payload = PDF + b"0" * (megabytes * 1024 * 1024 * 3 // 4 - 4096)
    msg.add_attachment(payload, maintype="application", subtype="pdf", filename="groot.pdf")
    return bytes(msg)


GENERATED = {
    "big_25mb": {
        "name": "big_25mb",
        "megabytes": 25,
        "outcome": "opened",
        "attachments": ["groot.pdf"],
    },
    "big_50mb": {
        "name": "big_50mb",
        "megabytes": 50,
        "outcome": "quarantined",
        "reason": "too_large",
    },
}


def main() -> None:
    for old in HERE.glob("*.eml"):
        old.unlink()
    manifest = []
    for case in cases:
        (HERE / case["file"]).write_bytes(case["raw"])
        manifest.append({key: value for key, value in case.items() if key != "raw"})
    manifest.extend({**case, "generated": True} for case in GENERATED.values())
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(manifest)} cases written to {HERE}")


if __name__ == "__main__":
    main()
