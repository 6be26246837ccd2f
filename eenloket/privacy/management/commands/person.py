"""`eenloket person export|erase`: the data-subject rights of the AVG from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eenloket.core.exceptions import EenloketError
from eenloket.directory import personal_data as directory_data
from eenloket.privacy import services


def _message(exc: EenloketError) -> str:
    details = "; ".join(str(m) for ms in exc.field_errors.values() for m in ms)
    return details or str(exc.message)


class Command(BaseCommand):
    help = (
        "A person's rights under the AVG. `person export PERSON --requested-by WHO "
        "[--output FILE]` writes a ZIP of everything held about the person (JSON and files, "
        "with README.json); `person erase PERSON --requested-by WHO [--dry-run] [--yes]` "
        "removes their names, contact details, texts, files and recordings while their tickets "
        "stay counted. PERSON is a person id or an email address."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,erase}")
        export = actions.add_parser(
            "export",
            help="write a ZIP of the person's data",
            description="Write a ZIP of the person's data.",
        )
        export.add_argument("person", help="person id or email address")
        export.add_argument("--requested-by", required=True, help="who asked, and how")
        export.add_argument("--output", help="where to write the ZIP (default: ./<id>.zip)")
        erase = actions.add_parser(
            "erase",
            help="erase the person (keeps the statistics)",
            description="Erase the person (keeps the statistics).",
        )
        erase.add_argument("person", help="person id or email address")
        erase.add_argument("--requested-by", required=True, help="who asked, and how")
        erase.add_argument("--dry-run", action="store_true", help="show what would go")
        erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        person = directory_data.person_by_id_or_email(options["person"])
        if person is None:
            raise CommandError(
                f"No person {options['person']!r}: give a person id, or an email address "
                "that belongs to exactly one person."
            )
        try:
            if options["action"] == "export":
                return self._export(person, options)
            return self._erase(person, options)
        except EenloketError as exc:
            raise CommandError(_message(exc)) from None

    def _export(self, person, options):
        request = services.person_export(
            actor=None, person_id=person.pk, requested_by=options["requested_by"]
        )
        output = Path(options["output"] or f"person-{person.pk}.zip")
        with request.file.open("rb") as source:
            output.write_bytes(source.read())
        self.stdout.write(f"Export of person {person.pk} written to {output}:")
        for name, count in request.counts.items():
            self.stdout.write(f"  {name:<28} {count:>6}")

    def _erase(self, person, options):
        counts = services.person_erase_preview(person_id=person.pk)
        self.stdout.write(f"Person {person.pk} ({person.organization.name}) holds:")
        for name, count in counts.items():
            self.stdout.write(f"  {name:<28} {count:>6}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if not options["yes"]:
            answer = input("Erase this person for good? Type 'erase' to confirm: ")
            if answer.strip() != "erase":
                raise CommandError("Not confirmed: nothing was changed.")
        services.person_erase(actor=None, person_id=person.pk, requested_by=options["requested_by"])
        self.stdout.write(
            f"Person {person.pk} is erased; their tickets stay counted for "
            f"{person.organization.name}."
        )
