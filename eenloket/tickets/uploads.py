"""Upload checks: size, and type by content (the name and the browser's claim are not trusted)."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from eenloket.tickets.exceptions import UploadRejected

# (magic prefix, content type, extensions that may carry it)
_SIGNATURES: tuple[tuple[bytes, str, frozenset[str]], ...] = (
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
    (b"GIF87a", "image/gif", frozenset({".gif"})),
    (b"GIF89a", "image/gif", frozenset({".gif"})),
    (b"RIFF", "audio/wav", frozenset({".wav", ".webp"})),
    (b"ID3", "audio/mpeg", frozenset({".mp3"})),
    (b"OggS", "audio/ogg", frozenset({".ogg", ".opus"})),
    (
        b"PK\x03\x04",
        "application/zip",
        frozenset({".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".zip"}),
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "application/x-ole-storage",
        frozenset({".doc", ".xls", ".ppt", ".msg"}),
    ),
)
_TEXT_EXTENSIONS = frozenset({".txt", ".csv", ".eml", ".log", ".md"})
_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".msg": "application/vnd.ms-outlook",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content: bytes
    content_type: str
    sha256: str


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip().strip(".")
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:200] or "bijlage"


def upload_check(*, name: str, content: bytes) -> CheckedUpload:
    filename = _safe_name(name)
    limit = settings.EENLOKET_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise UploadRejected(
            _("“%(name)s” is too large: at most %(mb)s MB.")
            % {"name": filename, "mb": limit // (1024 * 1024)}
        )
    if not content:
        raise UploadRejected(_("“%(name)s” is empty.") % {"name": filename})
    extension = PurePath(filename).suffix.lower()
    content_type = None
    for magic, kind, extensions in _SIGNATURES:
        if content.startswith(magic) and extension in extensions:
            content_type = _OFFICE_TYPES.get(extension, kind)
            break
    if content_type is None and extension in _TEXT_EXTENSIONS:
        try:
            content[:65536].decode("utf-8")
        except UnicodeDecodeError:
            try:
                content[:65536].decode("cp1252")
            except UnicodeDecodeError:
                content_type = None
            else:
                content_type = "text/plain"
        else:
            content_type = "text/plain"
        if b"\x00" in content[:65536]:
            content_type = None
    if content_type is None:
        raise UploadRejected(
            _(
                "“%(name)s” is not an accepted file: its content does not match a PDF, image, "
                "office document, sound recording or text file."
            )
            % {"name": filename}
        )
    return CheckedUpload(
        filename=filename,
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def upload_keep(*, name: str, content: bytes) -> CheckedUpload:
    """Keep a file whatever its type (a channel's winmail.dat, an invite): size checked only,
    typed as opaque bytes so that it is only ever downloaded, never rendered."""
    filename = _safe_name(name)
    limit = settings.EENLOKET_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise UploadRejected(
            _("“%(name)s” is too large: at most %(mb)s MB.")
            % {"name": filename, "mb": limit // (1024 * 1024)}
        )
    if not content:
        raise UploadRejected(_("“%(name)s” is empty.") % {"name": filename})
    return CheckedUpload(
        filename=filename,
        content=content,
        content_type="application/octet-stream",
        sha256=hashlib.sha256(content).hexdigest(),
    )
