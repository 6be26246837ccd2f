"""`eenloket mfa status|reset|code`: two-step verification from the command line."""

from django.core.management.base import BaseCommand, CommandError

from eenloket.directory.selectors import active_staff, user_by_username
from eenloket.identity import services
from eenloket.identity.exceptions import MfaNotAllowed


class Command(BaseCommand):
    help = (
        "Two-step verification: `status` lists staff logins and whether they have it on; "
        "`reset USER` switches it off for a login (lost phone; they enrol again at the next "
        "login); `code USER` prints the current code of a demo login (demo only)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        sub.add_parser(
            "status",
            help="staff logins and whether two-step verification is on",
            description="Staff logins and whether two-step verification is on.",
        )
        reset = sub.add_parser(
            "reset",
            help="switch two-step verification off for a login",
            description="Switch two-step verification off for a login.",
        )
        reset.add_argument("username")
        code = sub.add_parser(
            "code",
            help="the current code of a demo login (refused outside the demo)",
            description="The current code of a demo login (refused outside the demo).",
        )
        code.add_argument("username")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _user(self, username):
        user = user_by_username(username)
        if user is None:
            raise CommandError(f"No login {username!r}.")
        return user

    def _status(self, **_):
        staff = list(active_staff())
        enrolled = 0
        for user in staff:
            on = services.mfa_is_enrolled(user=user)
            enrolled += on
            self.stdout.write(f"  {user.username:<24} {user.role:<14} {'on' if on else 'OFF'}")
        self.stdout.write(f"{enrolled} of {len(staff)} staff logins have two-step verification on.")

    def _reset(self, *, username, **_):
        services.mfa_reset(actor=None, user=self._user(username))
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-step verification is off for {username}; they set it up again at the "
                "next login."
            )
        )

    def _code(self, *, username, **_):
        try:
            self.stdout.write(services.mfa_demo_code(user=self._user(username)))
        except MfaNotAllowed:
            raise CommandError(
                "Refused: `mfa code` works only in the demo (no SECRET_KEY set) and only for "
                "logins with the published demo key."
            ) from None
