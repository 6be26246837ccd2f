"""Caller identification: a number as the exchange sends it, matched to the directory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eenloket.directory.exceptions import InvalidPhoneNumber
from eenloket.directory.phones import phone_normalize
from eenloket.directory.selectors import organizations_by_phone, people_by_phone

if TYPE_CHECKING:
    from eenloket.directory.models import Organization, Person

# What exchanges send when the caller withholds their number.
ANONYMOUS = frozenset(
    {"", "anonymous", "anoniem", "unknown", "onbekend", "private", "restricted", "withheld"}
)
# Digits with the separators people and exchanges write; anything else is malformed input.
_NUMBER = re.compile(r"^\+?[\d\s()\-./]{1,40}$")


def is_anonymous(raw: str) -> bool:
    return (raw or "").strip().lower() in ANONYMOUS


def is_well_formed(raw: str) -> bool:
    """A number, an extension or an anonymous marker; letters and symbols are not."""
    text = (raw or "").strip()
    return is_anonymous(text) or (bool(_NUMBER.match(text)) and any(c.isdigit() for c in text))


def number_e164(raw: str) -> str:
    """The E.164 form, or "" for an extension, a short number or an anonymous caller."""
    if is_anonymous(raw):
        return ""
    try:
        return phone_normalize(raw)
    except InvalidPhoneNumber:
        return ""


@dataclass(frozen=True)
class CallerIdentity:
    number: str  # E.164, "" when anonymous or not a public number
    match: str  # one of Call.Match
    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)

    @property
    def person(self) -> Person | None:
        return self.people[0] if len(self.people) == 1 else None

    @property
    def organization(self) -> Organization | None:
        if self.person is not None:
            return self.person.organization
        organizations = {p.organization_id: p.organization for p in self.people}
        if len(organizations) == 1:
            return next(iter(organizations.values()))
        return self.organizations[0] if len(self.organizations) == 1 else None

    @property
    def person_id(self) -> int | None:
        return self.people[0].pk if len(self.people) == 1 else None

    @property
    def organization_id(self) -> int | None:
        """As `organization`, without loading it (people may be loaded without details)."""
        ids = {p.organization_id for p in self.people}
        if len(ids) == 1:
            return next(iter(ids))
        if self.people:
            return None
        return self.organizations[0].pk if len(self.organizations) == 1 else None


def caller_identify(raw: str, *, details: bool = True) -> CallerIdentity:
    """Known (one person), several matches, only the organization, unknown or anonymous.

    `details=False`: the people come without their organization loaded (use person_id and
    organization_id), for the exchange's hot path."""
    if is_anonymous(raw):
        return CallerIdentity(number="", match="anonymous")
    number = number_e164(raw)
    if not number:
        return CallerIdentity(number="", match="unknown")
    people = people_by_phone(number=number, details=details)
    if len(people) == 1:
        return CallerIdentity(number=number, match="known", people=people)
    if people:
        return CallerIdentity(number=number, match="several", people=people)
    organizations = organizations_by_phone(number=number)
    if organizations:
        return CallerIdentity(number=number, match="organization", organizations=organizations)
    return CallerIdentity(number=number, match="unknown")
