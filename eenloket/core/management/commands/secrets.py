"""`eenloket secrets rekey`: rewrite the secrets stored in the database under the current key."""

from django.core.management.base import BaseCommand

from eenloket.core import secretbox


class Command(BaseCommand):
    help = (
        "Secrets stored in the database (mailbox passwords and tokens, client secrets of "
        "identity providers, authenticator keys). `secrets rekey` rewrites them under the "
        "current key: run it after rotating SECRET_KEY (old value in SECRET_KEY_FALLBACKS) or "
        "setting EENLOKET_MAIL_KEY or EENLOKET_IDENTITY_KEY, before the old key leaves the "
        "fallbacks. It says what it rewrote and what it could not read."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{rekey}")
        sub.required = True
        sub.add_parser(
            "rekey",
            help="rewrite the stored secrets under the current key",
            description="Rewrite the stored secrets under the current key and say what was "
            "rewritten and what could not be read.",
        )

    def handle(self, *args, action, **options):
        for app, lines in secretbox.rekey_all().items():
            for line in lines:
                self.stdout.write(f"{app}: {line}")
        self.stdout.write(
            self.style.SUCCESS("Done: what could be read is now under the current key.")
        )
