"""`eenloket worker`: runs background tasks and the periodic scheduler."""

import logging
import os
import socket
import threading
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.management.commands.db_worker import Worker

from eenloket.core.scheduler import Scheduler
from eenloket.core.tasks import PERIODIC_JOBS

logger = logging.getLogger("eenloket.worker")


def seconds(value: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        number = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < number < 3600:
        raise ArgumentTypeError(f"{value!r} must be more than 0 and less than 3600 seconds")
    return number


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[-64:]


class _Worker(Worker):
    """django_tasks_db's worker loop, which also stops the scheduler thread on a signal."""

    def __init__(self, *, stop: threading.Event, **kwargs):
        super().__init__(**kwargs)
        self.stop = stop

    def shutdown(self, signum, frame):
        self.stop.set()
        super().shutdown(signum, frame)


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue and the periodic scheduler "
        "(SLA checks, housekeeping). Run one or more; they never run a scheduled slot twice. "
        "Stops cleanly on Ctrl+C or SIGTERM, after the task at hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one scheduler tick, process every queued task, then exit (for cron, tests).",
        )
        parser.add_argument(
            "--queue",
            default="*",
            help="Queues to process, comma-separated; '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=seconds,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--tick",
            type=seconds,
            default=5.0,
            help="Seconds between scheduler ticks (default: %(default)s).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only process tasks; leave the periodic jobs to other workers.",
        )
        parser.add_argument(
            "--worker-id",
            default=default_worker_id(),
            help="A name unique in the worker pool (default: host name and process id).",
        )

    def handle(self, *, once, queue, interval, tick, no_scheduler, worker_id, **options):
        if not 0 < len(worker_id) <= 64:
            raise CommandError("--worker-id must have 1 to 64 characters.")
        queues = [name.strip() for name in queue.split(",") if name.strip()]
        if not queues:
            raise CommandError("--queue needs a queue name or '*'.")
        if options["verbosity"] == 0:
            for name in ("django_tasks", "django_tasks_db", "eenloket"):
                logging.getLogger(name).setLevel(logging.WARNING)

        stop = threading.Event()
        scheduler = None if no_scheduler else Scheduler(PERIODIC_JOBS, worker=worker_id)
        worker = _Worker(
            stop=stop,
            queue_names=queues,
            interval=interval,
            batch=once,
            backend_name="default",
            startup_delay=not once,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if once:
            if scheduler:
                ran = scheduler.tick()
                logger.info("Scheduler enqueued: %s", ", ".join(ran) or "nothing")
            worker.run()
            return

        thread = None
        if scheduler:
            thread = threading.Thread(
                target=scheduler.run_forever,
                args=(stop,),
                kwargs={"every": tick},
                name="eenloket-scheduler",
                daemon=True,
            )
            thread.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            # The worker loop ends on a signal (SystemExit) or an error; stop ticking too.
            stop.set()
            if thread:
                thread.join(timeout=30)
            worker.reset_signals()
