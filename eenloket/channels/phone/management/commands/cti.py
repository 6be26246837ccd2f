"""`eenloket cti`: exchange tokens and the demo call simulator."""

import argparse
import os

from django.core.management.base import BaseCommand, CommandError

from eenloket.channels.phone import services, simulator
from eenloket.channels.phone.models import CtiToken
from eenloket.core.exceptions import EenloketError
from eenloket.directory.selectors import known_phone_numbers


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {number}")
    return number


class Command(BaseCommand):
    help = (
        "The telephone exchange link. `cti token create --name NAME` makes a token for the "
        "exchange's URL /api/v1/cti/<token> (shown once); `cti token list` and "
        "`cti token revoke ID` manage them; `cti simulate --token T` plays a realistic hour of "
        "calls (with recordings) against a running server for the demo."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{token,simulate}")
        token = actions.add_parser(
            "token",
            help="create, list or revoke exchange tokens",
            description="Create, list or revoke exchange tokens.",
        )
        token_actions = token.add_subparsers(
            dest="token_action", required=True, metavar="{create,list,revoke}"
        )
        create = token_actions.add_parser(
            "create", help="create a token (shown once)", description="Create a token (shown once)."
        )
        create.add_argument("--name", required=True, help="what the token is for, e.g. the PBX")
        token_actions.add_parser(
            "list",
            help="list tokens (never their secret)",
            description="List tokens (never their secret).",
        )
        revoke = token_actions.add_parser(
            "revoke", help="revoke a token by its id", description="Revoke a token by its id."
        )
        revoke.add_argument("id", type=positive_int)

        simulate = actions.add_parser(
            "simulate",
            help="play calls against a running server",
            description="Play calls against a running server.",
        )
        simulate.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
        simulate.add_argument(
            "--token",
            default=os.environ.get("EENLOKET_CTI_TOKEN", ""),
            help="an exchange token (or EENLOKET_CTI_TOKEN)",
        )
        simulate.add_argument("--minutes", type=positive_int, default=60, help="simulated time")
        simulate.add_argument("--calls", type=positive_int, default=40, help="calls in that time")
        simulate.add_argument(
            "--speed",
            type=non_negative,
            default=60.0,
            help="how much faster than real time (60: an hour in a minute; 0: no waiting)",
        )
        simulate.add_argument(
            "--agents",
            default="servicedesk",
            help="comma-separated user names or extensions the calls ring for",
        )
        simulate.add_argument("--seed", type=int, default=2026)
        simulate.add_argument(
            "--no-recordings", action="store_true", help="do not upload recordings"
        )

    def handle(self, *args, **options):
        if options["action"] == "token":
            return self._token(options)
        return self._simulate(options)

    def _token(self, options):
        action = options["token_action"]
        if action == "create":
            try:
                token, plaintext = services.cti_token_create(actor=None, name=options["name"])
            except EenloketError as exc:
                raise CommandError(
                    "; ".join(str(m) for ms in exc.field_errors.values() for m in ms)
                    or str(exc.message)
                ) from None
            self.stdout.write(f"Token {token.pk} “{token.name}” created. It is shown only once:")
            self.stdout.write(plaintext)
            self.stdout.write(f"Exchange URL: https://<your server>/api/v1/cti/{plaintext}")
        elif action == "list":
            tokens = list(CtiToken.objects.order_by("id"))
            for token in tokens:
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.pk:>4}  {token.name}  …{token.hint}  {state}  used {used}"
                )
            self.stdout.write(f"{len(tokens)} token(s).")
        else:
            token = CtiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"There is no token with id {options['id']}.")
            services.cti_token_revoke(actor=None, token=token)
            self.stdout.write(f"Token {token.pk} “{token.name}” is revoked.")

    def _simulate(self, options):
        if not options["token"]:
            raise CommandError("Give an exchange token: --token (see `eenloket cti token create`).")
        if not options["url"].startswith(("http://", "https://")):
            raise CommandError(f"--url must start with http:// or https://: {options['url']!r}")
        agents = [name.strip() for name in options["agents"].split(",") if name.strip()]
        if not agents:
            raise CommandError("--agents needs at least one user name or extension.")
        numbers = known_phone_numbers(limit=50) or simulator.FALLBACK_NUMBERS
        calls = simulator.plan_calls(
            minutes=options["minutes"],
            calls=options["calls"],
            agents=agents,
            numbers=numbers,
            seed=options["seed"],
        )
        self.stdout.write(
            f"Playing {len(calls)} calls over {options['minutes']} simulated minutes against "
            f"{options['url']} (speed x{options['speed'] or 'max'})…"
        )
        try:
            summary = simulator.simulate(
                url=options["url"],
                token=options["token"],
                calls=calls,
                speed=options["speed"],
                recordings=not options["no_recordings"],
                say=self.stdout.write,
            )
        except OSError as exc:
            raise CommandError(f"Cannot reach {options['url']}: {exc}") from None
        self.stdout.write(
            f"Done: {summary.calls} calls, {summary.events} events, {summary.answered} answered, "
            f"{summary.missed} missed, {summary.rejected} rejected, "
            f"{summary.recordings} recordings, {len(summary.errors)} errors."
        )
        for error in summary.errors[:10]:
            self.stderr.write(f"  {error}")
        if summary.errors and summary.events == len(summary.errors):
            raise CommandError("Every event failed: is the server running and the token right?")
