"""The `eenloket` command line: Eenloket's own commands plus Django's management commands."""

import os
import sys

EENLOKET_COMMANDS = {
    "demo": "migrate, load the demo data (once) and serve it with the demo logins printed",
    "serve": "run the production web server (gunicorn, static files by whitenoise)",
    "worker": "run background jobs and the periodic scheduler",
    "mail": "the mail channel: `mail fetch` takes in new mail now, `mail notify` sends",
    "seed": "add synthetic tickets for benchmarks (eenloket seed --tickets N)",
    "apikey": "create, list and revoke API keys for other systems (see docs/api.md)",
    "cti": "telephone exchange: tokens (cti token create) and a demo call simulator",
    "retention": "remove expired personal data (retention run [--dry-run] [--organization X])",
    "person": "a person's AVG rights: person export / person erase (with --dry-run)",
    "mfa": "two-step verification: status, reset USER, code USER (demo only)",
    "secrets": "secrets rekey: rewrite stored secrets under the current key after a rotation",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.settings")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        print("usage: eenloket <command> [options]\n\nEenloket's commands:")
        for name, summary in EENLOKET_COMMANDS.items():
            print(f"  {name:<10} {summary}")
        print("\n`eenloket <command> --help` explains one command;")
        print("`eenloket help --all` lists Django's management commands, which work too.")
        return 0
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help"]

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 -- reads the settings: a bad variable fails here
    except ImproperlyConfigured as exc:
        print(f"eenloket: {exc}", file=sys.stderr)
        return 1
    execute_from_command_line(argv)
    return 0
