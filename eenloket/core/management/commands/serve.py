"""`eenloket serve`: the production web server (gunicorn; whitenoise serves static files)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eenloket.core.gunicorn_app import (
    collect_static,
    default_workers,
    from_env,
    port_number,
    run_server,
    static_needs_collecting,
    worker_count,
)
from eenloket.core.production import production_problems


class Command(BaseCommand):
    help = (
        "Run the production web server: gunicorn serving Eenloket, static files by whitenoise. "
        "Refuses to start without a strong SECRET_KEY and ALLOWED_HOSTS in the environment, "
        "or with DEBUG on; behind HTTPS set EENLOKET_HTTPS=1 (secure cookies, HSTS). HOST, "
        "PORT and WEB_CONCURRENCY set the defaults of --host, --port and --workers. Collects "
        "static files first when STATIC_ROOT is empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", help="Address to listen on (default: $HOST or 127.0.0.1).")
        parser.add_argument(
            "--port", type=port_number, help="Port to listen on (default: $PORT or 8000)."
        )
        parser.add_argument(
            "--workers",
            type=worker_count,
            help="Worker processes (default: $WEB_CONCURRENCY or 2 x cores + 1, at most 4).",
        )
        parser.add_argument(
            "--collectstatic",
            action="store_true",
            help="Run collectstatic before serving (do this after an upgrade).",
        )

    def handle(self, *, host, port, workers, collectstatic, **options):
        problems = production_problems()
        if problems:
            raise CommandError(
                "Not starting: these settings are unsafe for a production server.\n- "
                + "\n- ".join(problems)
                + "\nTo try Eenloket on this machine, run `eenloket demo` instead."
            )
        host = host or os.environ.get("HOST", "").strip() or "127.0.0.1"
        port = port or from_env("PORT", 8000, port_number)
        workers = workers or from_env("WEB_CONCURRENCY", default_workers(), worker_count)
        if not settings.EENLOKET_HTTPS:
            self.stderr.write(
                "Note: EENLOKET_HTTPS is off, so cookies are not marked Secure and no HSTS is "
                "sent. Serve through HTTPS and set EENLOKET_HTTPS=1 (docs/security.md)."
            )
        if collectstatic or static_needs_collecting():
            self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} ...")
            collect_static(verbosity=0)
        self.stdout.write(f"Eenloket on http://{host}:{port}/ with {workers} workers")
        run_server(host=host, port=port, workers=workers)
