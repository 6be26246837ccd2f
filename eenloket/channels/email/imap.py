"""IMAP intake: fetch new mail, take each in (its own transaction), then move or flag it.

A mail leaves the inbox only after its entry is committed. A crash in between leaves it in
the inbox; the next fetch finds its Message-ID already stored and only moves it.
"""

from __future__ import annotations

import logging
import ssl
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from eenloket.channels.email import services
from eenloket.channels.email.credentials import secret_of
from eenloket.channels.email.exceptions import MailboxUnreachable
from eenloket.channels.email.models import Mailbox

logger = logging.getLogger(__name__)

# One FETCH per batch and one MOVE after its mails are committed: a batch is at most BATCH
# mails and BATCH_BYTES; a mail above BIG is fetched on its own.
BATCH = 100
BATCH_BYTES = 8 * 1024 * 1024
BIG = 1024 * 1024
DONE_FLAGS = [b"\\Seen", b"\\Flagged"]


@dataclass
class FetchResult:
    mailbox: str
    outcomes: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())


def connect(mailbox: Mailbox, *, timeout: float = 60) -> IMAPClient:
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            mailbox.host,
            port=mailbox.port,
            ssl=mailbox.security == Mailbox.Security.SSL,
            ssl_context=context,
            timeout=timeout,
        )
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.starttls(context)
        secret = secret_of(mailbox)
        if mailbox.auth == Mailbox.Auth.XOAUTH2:
            client.oauth2_login(mailbox.username, secret)
        else:
            client.login(mailbox.username, secret)
    except (OSError, IMAPClientError) as exc:
        raise MailboxUnreachable(
            f"{mailbox.name}: cannot sign in at {mailbox.host}:{mailbox.port}: {exc}"
        ) from exc
    return client


def _unprocessed(client: IMAPClient, mailbox: Mailbox) -> list[int]:
    criteria = ["NOT", "DELETED"]
    if mailbox.after_intake == Mailbox.AfterIntake.FLAG:
        criteria = ["NOT", "FLAGGED", "NOT", "DELETED"]
    return sorted(client.search(criteria))


def _mark_done(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if not uids:
        return
    if mailbox.after_intake == Mailbox.AfterIntake.FLAG:
        client.add_flags(uids, DONE_FLAGS, silent=True)
    elif client.has_capability("MOVE"):
        client.move(uids, mailbox.processed_folder)
    else:
        client.copy(uids, mailbox.processed_folder)
        client.delete_messages(uids, silent=True)
        client.expunge(uids) if client.has_capability("UIDPLUS") else client.expunge()


def _batches(client: IMAPClient, uids: list[int]):
    sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
    batch: list[int] = []
    batch_bytes = 0
    big = []
    for uid in uids:
        size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
        if size > BIG:
            big.append(uid)
            continue
        if batch and (len(batch) >= BATCH or batch_bytes + size > BATCH_BYTES):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(uid)
        batch_bytes += size
    if batch:
        yield batch
    for uid in big:
        yield [uid]


def mailbox_fetch(
    mailbox: Mailbox, *, limit: int | None = None, progress: Callable[[str], None] | None = None
) -> FetchResult:
    """Take in the mailbox's new mail; returns how many mails ended how."""
    result = FetchResult(mailbox=mailbox.name)
    try:
        client = connect(mailbox)
    except Exception as exc:
        services.mailbox_record_fetch(mailbox=mailbox, error=str(exc))
        raise
    try:
        client.select_folder(mailbox.folder)
        if mailbox.after_intake == Mailbox.AfterIntake.MOVE and not client.folder_exists(
            mailbox.processed_folder
        ):
            client.create_folder(mailbox.processed_folder)
        uids = _unprocessed(client, mailbox)[:limit]
        run = services.IntakeRun(mailbox)
        for batch in _batches(client, uids):
            fetched = client.fetch(batch, ["BODY.PEEK[]"])
            # Expunged by someone else meanwhile: not there.
            raws = {
                uid: fetched[uid][b"BODY[]"] for uid in batch if b"BODY[]" in fetched.get(uid, {})
            }
            run.prefetch(list(raws.values()))
            done = []
            for uid, raw in raws.items():
                try:
                    intake = services.mail_receive(mailbox=mailbox, raw=raw, run=run)
                except Exception as exc:
                    # The database failed for this mail: it stays in the inbox for next time,
                    # and the next mail is still taken in.
                    logger.exception("Mailbox %s: mail %s not taken in", mailbox.name, uid)
                    result.errors.append(f"{uid}: {type(exc).__name__}: {exc}")
                    continue
                result.outcomes[str(intake.outcome)] += 1
                done.append(uid)
            services.stop_here_for_tests("before_mark_done")
            _mark_done(client, mailbox, done)
            if progress:
                progress(f"{mailbox.name}: {result.total} of {len(uids)} mails taken in")
        services.mailbox_record_fetch(mailbox=mailbox, error="; ".join(result.errors)[:2000])
    finally:
        try:
            client.logout()
        except Exception:  # the server hung up already; nothing left to tidy
            logger.debug("IMAP logout failed", exc_info=True)
    return result


def fetch_all(*, progress: Callable[[str], None] | None = None) -> list[FetchResult]:
    """Fetch every active mailbox; one unreachable mailbox does not stop the others."""
    results = []
    for mailbox in Mailbox.objects.filter(is_active=True).order_by("name"):
        try:
            results.append(mailbox_fetch(mailbox, progress=progress))
        except Exception as exc:
            logger.warning("Mailbox %s not fetched: %s", mailbox.name, exc)
            results.append(FetchResult(mailbox=mailbox.name, errors=[str(exc)]))
    return results
