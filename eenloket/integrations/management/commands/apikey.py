"""`eenloket apikey create|list|revoke`: API keys for other systems."""

from django.core.management.base import BaseCommand, CommandError

from eenloket.core.exceptions import ValidationFailed
from eenloket.directory.roles import Role
from eenloket.directory.selectors import department_list, organization_list
from eenloket.integrations import selectors, services


class Command(BaseCommand):
    help = (
        "Manage API keys for other systems. `create` prints the key once (only a hash is "
        "stored); `list` shows keys by prefix; `revoke PREFIX` ends a key at once."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        create = sub.add_parser(
            "create",
            help="make a key and print it once",
            description="Make a key and print it once.",
        )
        create.add_argument("--name", required=True, help="what system uses the key")
        create.add_argument(
            "--role", required=True, choices=Role.values, help="the role the key acts with"
        )
        create.add_argument("--department", help="department code (specialist keys)")
        create.add_argument("--organization", help="organization name (customer keys)")
        create.add_argument(
            "--rate-limit", type=int, default=600, help="requests per minute (default 600)"
        )
        sub.add_parser(
            "list",
            help="list the keys (prefix, scope, last use)",
            description="List the keys (prefix, scope, last use).",
        )
        revoke = sub.add_parser(
            "revoke", help="revoke a key by its prefix", description="Revoke a key by its prefix."
        )
        revoke.add_argument("prefix", help="the 8 characters after elk_")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _create(self, *, name, role, department, organization, rate_limit, **_):
        dept = org = None
        if department:
            dept = department_list().filter(code=department).first()
            if dept is None:
                codes = ", ".join(department_list().values_list("code", flat=True))
                raise CommandError(f"Unknown department {department!r}; known: {codes}")
        if organization:
            org = organization_list().filter(name=organization).first()
            if org is None:
                raise CommandError(f"Unknown organization {organization!r}")
        try:
            key, raw_key = services.apikey_create(
                actor=None,
                name=name,
                role=role,
                department=dept,
                organization=org,
                rate_limit_per_minute=rate_limit,
            )
        except ValidationFailed as exc:
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in exc.field_errors.items()
            )
            raise CommandError(problems) from None
        self.stdout.write(f"Created API key {key.name!r} (prefix {key.prefix}, role {key.role}).")
        self.stdout.write("The key is shown only now; store it safely:")
        self.stdout.write(raw_key)

    def _list(self, **_):
        keys = selectors.apikey_list()
        for key in keys:
            scope = key.department.code if key.department else ""
            scope = scope or (key.organization.name if key.organization else "")
            state = "revoked" if key.revoked_at else "active"
            used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
            self.stdout.write(
                f"{key.prefix}  {state:<7}  {key.role:<13}  {scope:<25}  "
                f"last used {used}  {key.name}"
            )
        self.stdout.write(f"{len(keys)} key(s).")

    def _revoke(self, *, prefix, **_):
        key = selectors.apikey_list().filter(prefix=prefix.removeprefix("elk_")).first()
        if key is None:
            raise CommandError(f"No API key with prefix {prefix!r} (see `eenloket apikey list`).")
        services.apikey_revoke(actor=None, key=key)
        self.stdout.write(f"Revoked API key {key.name!r} ({key.prefix}).")
