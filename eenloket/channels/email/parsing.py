"""A raw mail into what the desk needs: sender, threading headers, text, safe HTML, files.

Built on the standard library's `email` with the modern policy, made to survive real mail:
unknown or lying charsets, broken encodings, missing text parts, forwarded messages, TNEF,
invites. What cannot be read at all raises `MailRejected` with a reason for the quarantine.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings

from eenloket.channels.email.sanitize import html_sanitize_counting, html_to_text

MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_FIELDS = 500
MAX_NESTING = 5
_ADDRESS = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_HEADER_END = re.compile(rb"\r?\n\r?\n")

AUTO_SUBJECTS = re.compile(
    r"^\s*(automatic reply|auto(matisch)?[ -]?(reply|antwoord)|out of (the )?office|afwezig|"
    r"abwesenheitsnotiz|undeliverable|onbestelbaar|niet bezorgd|delivery status notification|"
    r"mail delivery (failed|subsystem)|returned mail|undelivered mail)\b",
    re.IGNORECASE,
)
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


class MailRejected(Exception):
    """The mail cannot be taken in; `reason` is a Quarantine.Reason value."""

    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass
class ParsedAttachment:
    name: str
    content: bytes
    content_type: str
    inline: bool = False
    content_id: str = ""  # without <>, as `cid:` URLs in the HTML name it
    # Kept whatever its type (TNEF, invites, forwarded mails): never rendered, only downloaded.
    opaque: bool = False


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    to: list[str]
    cc: list[str]
    in_reply_to: list[str]
    references: list[str]
    text: str
    html: str
    attachments: list[ParsedAttachment] = field(default_factory=list)
    auto_reason: str = ""  # why it is an auto-reply or bounce; empty for a person's mail
    language: str = ""
    quote_at: int | None = None  # where the quoted history starts in `text`
    remote_images: int = 0  # how many remote images the HTML has (left out of `html`)
    defects: list[str] = field(default_factory=list)


_MISSING = object()


class _Message(EmailMessage):
    """An EmailMessage that parses each header once: the modern policy parses a header again
    on every `get` (a part's Content-Type is asked for a dozen times), which was a third of
    the time spent parsing a mail. Parsed mails are only read, never changed."""

    def get(self, name, failobj=None):
        cache = self.__dict__.setdefault("_parsed_headers", {})
        key = name.lower()
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = cache[key] = super().get(name, _MISSING)
        return failobj if value is _MISSING else value


def message_key(raw: bytes, message_id: str = "") -> str:
    """The de-duplication key: the Message-ID, else a hash of the raw mail."""
    if message_id and len(message_id) <= 255:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def peek_message_id(raw: bytes) -> str:
    """The Message-ID read straight from the header bytes, for mails too broken to parse."""
    head = _HEADER_END.split(raw[:MAX_HEADER_BYTES], maxsplit=1)[0]
    match = re.search(rb"^message-id:[ \t]*(<[^<>\s]{1,250}>)", head, re.IGNORECASE | re.MULTILINE)
    return match.group(1).decode("ascii", "replace") if match else ""


def _check_headers(raw: bytes) -> None:
    parts = _HEADER_END.split(raw[: MAX_HEADER_BYTES + 4], maxsplit=1)
    head = parts[0]
    if len(parts) == 1 and len(raw) > MAX_HEADER_BYTES:
        raise MailRejected("header_bomb", f"The header is longer than {MAX_HEADER_BYTES} bytes.")
    fields = sum(1 for line in head.splitlines() if line and line[:1] not in (b" ", b"\t"))
    if fields > MAX_HEADER_FIELDS:
        raise MailRejected(
            "header_bomb", f"The mail has {fields} header fields (at most {MAX_HEADER_FIELDS})."
        )


def _raw(msg: Message, name: str) -> str:
    """A plain ASCII header as sent (ids, flags): the modern policy's parse is slow and
    these need none of it."""
    first = next((value for key, value in msg.raw_items() if key.lower() == name.lower()), "")
    return re.sub(r"\s+", " ", str(first)).strip()


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot parse: use its raw, decoded leniently
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _addresses(msg: Message, name: str) -> list[str]:
    try:
        values = msg.get_all(name) or []
        pairs = getaddresses([str(v) for v in values])
    except Exception:
        return []
    return [address.lower() for _, address in pairs if _ADDRESS.match(address or "")]


def _sender(msg: Message) -> tuple[str, str]:
    for name in ("From", "Sender", "Return-Path"):
        raw = _header(msg, name)
        display, address = parseaddr(raw)
        if _ADDRESS.match(address or ""):
            return address.lower(), display.strip()
    return "", ""


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _auto_reason(msg: Message, sender: str, subject: str) -> str:
    auto = _raw(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _raw(msg, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if _raw(msg, name):
            return name
    if _raw(msg, "X-Auto-Response-Suppress").lower() in {"all", "oof"} and AUTO_SUBJECTS.match(
        subject
    ):
        return "X-Auto-Response-Suppress"
    if msg.get_content_type() == "multipart/report":
        return f"report: {msg.get_param('report-type') or 'unknown'}"
    if BOUNCE_SENDERS.match(sender or "") or _raw(msg, "Return-Path") == "<>":
        return "bounce sender"
    if AUTO_SUBJECTS.match(subject):
        return "auto-reply subject"
    return ""


def _decode_text(part: Message) -> str:
    return _decode_raw_text(part).replace("\r\n", "\n").replace("\r", "\n")


def _decode_raw_text(part: Message) -> str:
    try:
        content = part.get_content()
    except Exception:  # unknown charset, broken transfer encoding: decode it ourselves
        content = None
    if isinstance(content, str) and "\ufffd" not in content:
        return content
    # A charset that lies (Windows-1252 sent as UTF-8) is the common case in the wild.
    payload = part.get_payload(decode=True) or b""
    if isinstance(part.get_payload(), str) and not payload:
        payload = part.get_payload().encode("utf-8", "replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    return payload.decode("utf-8", "replace")


def _leaves(part: Message, depth: int = 0):
    """The leaf parts, not descending into forwarded messages (they are kept whole)."""
    if depth > MAX_NESTING * 4:
        return
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    payload = part.get_payload()
    for child in payload if isinstance(payload, list) else []:
        yield from _leaves(child, depth + 1)


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name:
        name = re.sub(r"[\x00-\x1f\x7f]", "", str(name)).strip()
    if name:
        return _shorten(name)
    content_type = part.get_content_type()
    extension = (
        {
            "text/calendar": ".ics",
            "message/rfc822": ".eml",
            "application/ms-tnef": ".dat",
        }.get(content_type)
        or mimetypes.guess_extension(content_type)
        or ".bin"
    )
    return f"bijlage-{index}{extension}"


def _shorten(name: str, limit: int = 150) -> str:
    """Long names lose the middle of their stem, never their extension."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:limit]
    return f"{stem[: limit - len(extension) - 1]}.{extension}"


def _forwarded(part: Message, depth: int) -> tuple[bytes, str, str]:
    """The forwarded message's bytes and a short text of it for the timeline."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        raw = part.get_payload(decode=True) or b""
        return raw, "", "forwarded.eml"
    try:
        raw = inner.as_bytes(policy=policy.SMTP)
    except Exception:
        raw = str(inner).encode("utf-8", "replace")
    subject = _header(inner, "Subject")
    if depth >= MAX_NESTING:
        return raw, "", subject
    try:
        nested = _parse_message(inner, raw, depth + 1)
    except Exception:
        return raw, "", subject
    heading = (
        f"---------- Forwarded message ----------\nFrom: {nested.sender_name} <{nested.sender}>\n"
        f"Subject: {nested.subject}\n\n"
    )
    return raw, heading + nested.text, subject or "forwarded"


QUOTE_HEADERS = [
    re.compile(r"^\s*On .{1,300}wrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Op .{1,300}schreef.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am .{1,300}schrieb.{0,200}:\s*$", re.IGNORECASE),
    re.compile(
        r"^\s*-{2,}\s*(original message|oorspronkelijk bericht|origineel bericht|"
        r"forwarded message|doorgestuurd bericht|ursprüngliche nachricht)\s*-{2,}",
        re.IGNORECASE,
    ),
    re.compile(r"^_{10,}\s*$"),
]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|van|von):\*?\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(sent|verzonden|gesendet|date|datum|to|aan|an|subject|onderwerp):", re.IGNORECASE
)


def quote_start(text: str) -> int | None:
    """Where the quoted history below a reply starts (a character offset), or None."""
    lines = text.splitlines(keepends=True)
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line)
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r\n")
        found = any(pattern.match(stripped) for pattern in QUOTE_HEADERS)
        if not found and _OUTLOOK_FROM.match(stripped):
            following = list(lines[index + 1 : index + 4])
            found = any(_OUTLOOK_NEXT.match(next_line) for next_line in following)
        if not found and stripped.startswith(">"):
            rest = [value for value in lines[index:] if value.strip()]
            found = sum(value.lstrip().startswith(">") for value in rest) * 2 >= len(rest)
        if found:
            before = "".join(lines[:index]).strip()
            return offsets[index] if before else None
    return None


def _content_id(part: Message) -> str:
    value = _raw(part, "Content-ID").strip()
    return value[1:-1].strip() if value.startswith("<") and value.endswith(">") else value


def _parse_message(
    msg: Message, raw: bytes, depth: int = 0, *, remote_images: bool = False
) -> ParsedMail:
    sender, sender_name = _sender(msg)
    subject = _header(msg, "Subject")
    try:
        text_part = msg.get_body(preferencelist=("plain",))
        html_part = msg.get_body(preferencelist=("html",))
    except Exception:
        text_part = html_part = None
    texts: list[str] = []
    html_raw = ""
    attachments: list[ParsedAttachment] = []
    forwarded_texts: list[str] = []
    for index, part in enumerate(_leaves(msg), start=1):
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        has_name = bool(
            part.get_param("name") or part.get_param("filename", header="content-disposition")
        )
        if part is text_part:
            texts.insert(0, _decode_text(part))
            continue
        if part is html_part:
            html_raw = _decode_text(part)
            continue
        if part.get_content_maintype() == "multipart":
            # A multipart without a usable boundary: its body is all there is, read it as text.
            texts.append(_decode_text(part))
            continue
        if content_type == "message/rfc822":
            content, forwarded_text, forwarded_subject = _forwarded(part, depth)
            name = _shorten(part.get_filename() or f"{forwarded_subject or 'forwarded'}.eml")
            attachments.append(
                ParsedAttachment(name=name, content=content, content_type=content_type, opaque=True)
            )
            if forwarded_text:
                forwarded_texts.append(forwarded_text)
            continue
        if content_type == "text/plain" and disposition != "attachment" and not has_name:
            texts.append(_decode_text(part))
            continue
        if content_type == "text/html" and disposition != "attachment" and not has_name:
            html_raw = html_raw or _decode_text(part)
            continue
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:
            content = b""
        if not content:
            continue
        opaque = content_type in {"application/ms-tnef", "text/calendar"} or _filename(
            part, index
        ).lower() in {"winmail.dat"}
        attachments.append(
            ParsedAttachment(
                name=_filename(part, index),
                content=content,
                content_type=content_type,
                inline=disposition == "inline" or bool(part.get("Content-ID")),
                content_id=_content_id(part)[:250],
                opaque=opaque,
            )
        )
    safe_html, remote = html_sanitize_counting(html_raw, remote_images=remote_images)
    text = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    if not text and safe_html:
        text = html_to_text(safe_html)
    text = text.replace("\r\n", "\n").replace("\x00", "")
    quote_at = quote_start(text)
    if forwarded_texts:
        text = "\n\n".join([text, *forwarded_texts]).strip()
    language = _raw(msg, "Content-Language").lower()[:2]
    return ParsedMail(
        message_id=(_ids(_raw(msg, "Message-ID")) or [""])[0],
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        in_reply_to=_ids(_raw(msg, "In-Reply-To")),
        references=_ids(_raw(msg, "References")),
        text=text,
        html=safe_html,
        attachments=attachments,
        auto_reason=_auto_reason(msg, sender, subject),
        language=language if language in {"nl", "en"} else "",
        quote_at=quote_at,
        remote_images=remote,
        defects=[type(defect).__name__ for defect in msg.defects],
    )


def parse(raw: bytes, *, remote_images: bool = False) -> ParsedMail:
    """Parse a raw mail. Raises MailRejected when it is too large or cannot be read.

    The HTML is sanitized without remote images, unless the agent allowed them for this mail
    (`remote_images`)."""
    limit = settings.EENLOKET_MAIL_MAX_BYTES
    if len(raw) > limit:
        raise MailRejected(
            "too_large",
            f"The mail is {len(raw) / 1024 / 1024:.1f} MB; at most {limit // 1024 // 1024} MB "
            "is taken in.",
        )
    _check_headers(raw)
    try:
        msg = BytesParser(policy=policy.default, _class=_Message).parsebytes(raw)
        parsed = _parse_message(msg, raw, remote_images=remote_images)
    except MailRejected:
        raise
    except Exception as exc:
        raise MailRejected("unparseable", f"{type(exc).__name__}: {exc}"[:500]) from exc
    if not parsed.sender:
        raise MailRejected("no_sender", "The mail has no valid From address.")
    return parsed
