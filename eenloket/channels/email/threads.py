"""Which ticket a mail belongs to: by our Message-IDs, else by the number in the subject."""

from __future__ import annotations

import re
import secrets

TICKET_NUMBER = re.compile(r"\bM(\d{4})-(\d{5,})\b")
# Reply and forward prefixes of the mail clients our customers use, in any combination and
# case, with Outlook's counters ("Re[2]:") and Dutch, German and Nordic variants.
PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|antw|antwoord|vs|sv|fw|fwd|wg|doorst|tr|r)\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]\s*)+",
    re.IGNORECASE,
)


def subject_strip(subject: str) -> str:
    """The subject without reply prefixes and without our ticket number tag."""
    without = TICKET_NUMBER.sub("", subject or "")
    without = re.sub(r"\[\s*\]", "", without)
    previous = None
    while previous != without:
        previous = without
        without = PREFIX.sub("", without).strip()
    return re.sub(r"\s+", " ", without).strip()


def ticket_number_in(subject: str) -> str | None:
    match = TICKET_NUMBER.search(subject or "")
    return f"M{match.group(1)}-{match.group(2)}" if match else None


def thread_ids(*, in_reply_to: list[str], references: list[str]) -> list[str]:
    """The Message-IDs a reply points at, the most direct first."""
    seen: list[str] = []
    for message_id in [*in_reply_to, *reversed(references)]:
        if message_id not in seen:
            seen.append(message_id)
    return seen[:50]


def message_id_new(*, ticket_number: str, domain: str) -> str:
    """An unguessable Message-ID for an outgoing mail (guessing one would let a stranger
    write on someone else's ticket)."""
    return f"<{ticket_number}.{secrets.token_hex(12)}@{domain}>"
