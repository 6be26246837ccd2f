"""Serving stored files (attachments, recordings, knowledge files) without letting them act as
pages: an uploaded HTML or SVG file must never run in our origin.

Only an allow-list of passive types may be shown inline (pictures, sound); everything else is
`application/octet-stream` with `Content-Disposition: attachment`. Every file response carries
`nosniff` and a sandboxing CSP, so even a browser that renders it gets no script, no form and
no access to the session.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponseBase

# Types a browser only displays (no script, no markup): safe to show inline. SVG is markup.
INLINE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "audio/mpeg",
        "audio/wav",
        "audio/x-wav",
        "audio/ogg",
        "audio/webm",
        "audio/mp4",
    }
)
# Types that are downloaded under their own name (the browser then opens the right program).
DOWNLOAD_TYPES = INLINE_TYPES | {
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-outlook",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
OPAQUE = "application/octet-stream"
SANDBOX_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def served_type(content_type: str | None) -> str:
    """The type a stored file is served as: its own when allow-listed, otherwise opaque."""
    bare = (content_type or "").split(";", 1)[0].strip().lower()
    if bare in DOWNLOAD_TYPES:
        return "text/plain; charset=utf-8" if bare == "text/plain" else bare
    return OPAQUE


def content_disposition(filename: str, *, inline: bool) -> str:
    """An RFC 6266 header: an ASCII fallback name and the exact name as RFC 5987 UTF-8."""
    name = "".join(ch for ch in filename.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    name = name.strip().strip(".") or "bestand"
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").strip()
    )
    # Quotes, backslashes, semicolons and commas end or split a parameter in naive parsers.
    ascii_name = "".join("_" if ch in '"\\;,%' else ch for ch in ascii_name) or "bestand"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def harden_file_response(
    response: HttpResponseBase, *, filename: str, content_type: str | None, inline: bool = False
) -> HttpResponseBase:
    """Set the type, disposition and protective headers on a response that carries a file."""
    served = served_type(content_type)
    show_inline = inline and served in INLINE_TYPES
    response["Content-Type"] = served
    response["Content-Disposition"] = content_disposition(filename, inline=show_inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(
    handle, *, filename: str, content_type: str | None, inline: bool = False
) -> FileResponse:
    """A streamed stored file, served safely (see the module docstring)."""
    response = FileResponse(handle, content_type=OPAQUE)
    return harden_file_response(
        response, filename=filename, content_type=content_type, inline=inline
    )
