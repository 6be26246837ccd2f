"""`eenloket retention run`: remove what has expired under the retention rules."""

from django.core.management.base import BaseCommand, CommandError

from eenloket.core.exceptions import EenloketError
from eenloket.directory import selectors as directory
from eenloket.privacy import services
from eenloket.privacy.models import RetentionRun


def _organization_id(value: str) -> int:
    """An organization by id, name or short name."""
    for organization in directory.organization_list():
        if value in {str(organization.pk), organization.name, organization.short_name}:
            return organization.pk
    raise CommandError(f"There is no organization {value!r} (give its id, name or short name).")


class Command(BaseCommand):
    help = (
        "Retention (AVG). `retention run` anonymizes or deletes what has expired under the "
        "retention rules (tickets: closed tickets; attachments; recordings: call recordings; "
        "survey_comments; quarantine: quarantined mail), per organization, in batches, "
        "with a summary per kind and organization. --dry-run shows the same figures and "
        "changes nothing. Every run is logged and shown to administrators under Privacy."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{run}")
        run = actions.add_parser(
            "run",
            help="remove what has expired (or preview it)",
            description="Remove what has expired (or preview it).",
        )
        run.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        run.add_argument("--organization", help="only this organization (id, name or short name)")
        run.add_argument("--batch", type=int, default=200, help="items per transaction")

    def handle(self, *args, **options):
        organization_id = (
            _organization_id(options["organization"]) if options["organization"] else None
        )
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")

        def progress(kind: str, organization: str, done: int, total: int) -> None:
            self.stdout.write(f"  {kind} {organization}: {done}/{total}")

        try:
            run = services.retention_run(
                trigger=RetentionRun.Trigger.COMMAND,
                dry_run=options["dry_run"],
                organization_id=organization_id,
                batch=options["batch"],
                progress=progress if options["verbosity"] >= 1 else None,
            )
        except EenloketError as exc:
            raise CommandError(str(exc.message)) from None
        verb = "would be" if run.dry_run else "were"
        self.stdout.write(
            f"Retention run {run.pk}{' (dry run: nothing changed)' if run.dry_run else ''}:"
        )
        for row in run.counts:
            where = row["organization"] or "all organizations"
            self.stdout.write(
                f"  {row['kind']:<16} {where:<30} {row['count']:>6} {verb} {row['action']}d"
            )
        self.stdout.write(f"Total: {run.total} item(s) {verb} handled.")
