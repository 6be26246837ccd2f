"""`eenloket demo`: a working service desk on this machine in one command."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from eenloket.core.gunicorn_app import (
    collect_static,
    from_env,
    port_in_use,
    port_number,
    run_server,
)


class Command(BaseCommand):
    help = (
        "Try Eenloket: migrate the database (SQLite under var/ unless DATABASE_URL is set), "
        "load the demo data once, print the demo logins and serve on http://127.0.0.1:PORT/. "
        "Running it again keeps the data and starts quicker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=port_number, help="Port to serve on (default: $PORT or 8000)."
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default: %(default)s, this machine only).",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Stop after migrating and loading the data; do not start the web server.",
        )

    def handle(self, *, port, host, no_serve, **options):
        port = port or from_env("PORT", 8000, port_number)
        if not no_serve and port_in_use(host, port):
            raise CommandError(
                f"Port {port} on {host} is in use. Pick another: `eenloket demo --port "
                f"{port + 1}` or `make demo PORT={port + 1}`."
            )
        load_demo, demo_logins, password = self._demo_module()

        self.stdout.write(f"Database: {self._database()}")
        self.stdout.write("Migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Collecting static files ...")
        collect_static(verbosity=0)
        self.stdout.write("Loading the demo data (only the first time takes a while) ...")
        counts = load_demo(progress=self._progress)

        self.stdout.write(self.style.SUCCESS("\nThe demo is ready:"))
        for name, count in counts.items():
            self.stdout.write(f"  {name:<24} {count:>7}")
        self.stdout.write(f"\nLog in with one of these users, password '{password}':")
        width = max((len(username) for username, _ in demo_logins), default=0)
        for username, description in demo_logins:
            self.stdout.write(f"  {username:<{width}}  {description}")
        self._second_factor([username for username, _ in demo_logins])
        url = f"http://{host}:{port}/"
        if no_serve:
            self.stdout.write(f"\nStart the server with `eenloket demo` and open {url}")
            return
        self.stdout.write(self.style.SUCCESS(f"\nOpen {url}  (Ctrl+C stops the server)\n"))
        # The demo's own SECRET_KEY is fine on loopback; `serve` demands a real one.
        run_server(host=host, port=port, workers=2)

    def _demo_module(self):
        try:
            from eenloket.demo import data
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith("eenloket.demo"):
                raise
            raise CommandError("The demo data (eenloket.demo.data) is not installed.") from None
        return data.load_demo, data.DEMO_LOGINS, getattr(data, "DEMO_PASSWORD", "demo")

    def _second_factor(self, usernames: list[str]) -> None:
        """Staff need two-step verification (docs/identity.md): the demo's staff share one
        published authenticator key, so that anyone trying the demo can log in."""
        from eenloket.identity.demo import demo_key_base32
        from eenloket.identity.services import demo_allowed, mfa_demo_enrol_staff

        if not settings.EENLOKET_MFA_REQUIRED:
            return
        if not demo_allowed():
            self.stdout.write(
                "\nSECRET_KEY is set, so this is no demo: staff set up two-step verification "
                "at their first login."
            )
            return
        enrolled = mfa_demo_enrol_staff(usernames=usernames)
        if not enrolled:
            return
        key = demo_key_base32()
        grouped = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
        self.stdout.write(
            "\nStaff logins then ask for a code (two-step verification). Add the demo key\n"
            f"  {grouped}\n"
            "to an authenticator app, or print the current code with\n"
            f"  eenloket mfa code {enrolled[0]}\n"
            "(the demo's key is public: never use it for a real account)."
        )

    def _progress(self, *parts) -> None:
        self.stdout.write("  " + " ".join(str(part) for part in parts))

    def _database(self) -> str:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            return f"SQLite, {db['NAME']}"
        return f"PostgreSQL, {db.get('NAME')} on {db.get('HOST') or 'localhost'}"
