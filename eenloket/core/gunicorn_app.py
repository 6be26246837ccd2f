"""Gunicorn in-process, for `eenloket serve` and `eenloket demo`.

Shared by both commands so that `demo` can serve without the production SECRET_KEY check,
which lives in the `serve` command.
"""

import os
import socket
from argparse import ArgumentTypeError
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication


def port_number(value: str) -> int:
    """An argparse type (and PORT check): a TCP port, 1-65535."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{value!r} is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return port


def worker_count(value: str) -> int:
    """An argparse type (and WEB_CONCURRENCY check): 1-64 worker processes."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{value!r} is not a number of workers (1-64)") from None
    if not 1 <= count <= 64:
        raise ArgumentTypeError(f"{value!r} is not a number of workers (1-64)")
    return count


def from_env(name: str, default, parse):
    """An option's default from the environment; a malformed value is a CommandError."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ArgumentTypeError as error:
        raise CommandError(f"{name} in the environment: {error}") from None


def default_workers() -> int:
    """2 x cores + 1, capped at 4: requests mostly wait on the database, memory is finite."""
    return min(2 * (os.cpu_count() or 1) + 1, 4)


def static_needs_collecting() -> bool:
    """True when STATIC_ROOT is missing, empty, or lacks the manifest the storage needs."""
    root = Path(settings.STATIC_ROOT)
    if not root.is_dir() or not any(root.iterdir()):
        return True
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    return "Manifest" in backend and not (root / "staticfiles.json").is_file()


def collect_static(*, verbosity: int = 0) -> None:
    call_command("collectstatic", interactive=False, verbosity=verbosity)


class EenloketApplication(BaseApplication):
    """Serves `eenloket.wsgi.application` with the options given, ignoring gunicorn.conf.py."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from eenloket.wsgi import application

        return application


def run_server(*, host: str, port: int, workers: int, timeout: int = 60) -> None:
    """Serve until SIGTERM/SIGINT; gunicorn exits the process when it stops."""
    # Workers are forked: no database connection may be shared with them.
    connections.close_all()
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "timeout": timeout,
        "graceful_timeout": 30,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "eenloket",
        # Behind a reverse proxy on the same machine, trust its X-Forwarded-* headers.
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }
    if Path("/dev/shm").is_dir():  # noqa: S108
        # Heartbeat files in memory, not on a disk that may stall (gunicorn's advice).
        options["worker_tmp_dir"] = "/dev/shm"  # noqa: S108
    EenloketApplication(options).run()


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (checked before slow start-up work)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # Same option as gunicorn, so a port in TIME_WAIT does not count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False
