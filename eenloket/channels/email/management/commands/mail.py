"""`eenloket mail fetch`: take in new mail now; `eenloket mail notify`: send notifications."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from eenloket.channels.email import imap, services
from eenloket.channels.email.exceptions import MailError
from eenloket.channels.email.selectors import mailbox_by_name, mailbox_list


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


class Command(BaseCommand):
    help = (
        "The mail channel. `mail fetch` takes in new mail from the active mailboxes (or the "
        "ones named) now, as the worker does every minute: each mail becomes a ticket, a "
        "message on its ticket, is ignored (auto-reply, our own) or is quarantined. "
        "`mail notify` creates and sends the customer notifications that are due."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{fetch,notify}")
        sub.required = True
        fetch = sub.add_parser(
            "fetch", help="take in new mail now", description="Take in new mail now."
        )
        fetch.add_argument(
            "--mailbox",
            action="append",
            default=[],
            metavar="NAME",
            help="only this mailbox (by its name); repeat for more; default: all active ones",
        )
        fetch.add_argument(
            "--limit", type=positive_int, default=None, metavar="N", help="at most N per mailbox"
        )
        sub.add_parser(
            "notify",
            help="create and send the due notifications now",
            description="Create and send the due customer notifications now.",
        )

    def handle(self, *args, action, **options):
        if action == "notify":
            created = services.notifications_prepare()
            sent = services.outbound_send_due()
            self.stdout.write(self.style.SUCCESS(f"Created {created} and sent {sent} mails."))
            return
        names = options["mailbox"]
        if names:
            mailboxes = []
            for name in names:
                mailbox = mailbox_by_name(name)
                if mailbox is None:
                    known = ", ".join(mailbox_list().values_list("name", flat=True)) or "none"
                    raise CommandError(f"No mailbox named {name!r} (known: {known}).")
                mailboxes.append(mailbox)
        else:
            mailboxes = list(mailbox_list(active_only=True))
            if not mailboxes:
                raise CommandError("No active mailbox is configured (see docs/mail.md).")
        failed = 0
        totals: dict[str, int] = {}
        for mailbox in mailboxes:
            self.stdout.write(f"{mailbox.name}: fetching from {mailbox.host}:{mailbox.port} …")
            try:
                result = imap.mailbox_fetch(
                    mailbox, limit=options["limit"], progress=self.stdout.write
                )
            except MailError as exc:
                failed += 1
                self.stderr.write(self.style.ERROR(str(exc.message)))
                continue
            for outcome, count in result.outcomes.items():
                totals[outcome] = totals.get(outcome, 0) + count
            for error in result.errors:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{mailbox.name}: {error}"))
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(totals.items()))
        self.stdout.write(
            self.style.SUCCESS(f"Done: {sum(totals.values())} mails ({summary or 'none new'}).")
        )
        if failed:
            raise CommandError(f"{failed} problem(s); the mails concerned stay in the mailbox.")
