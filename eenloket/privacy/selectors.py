"""Reads of the privacy app. Everything here is for administrators only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from eenloket.directory import personal_data as directory_data
from eenloket.directory.roles import Role
from eenloket.privacy.models import DataSubjectRequest, Kind, RetentionRule, RetentionRun
from eenloket.privacy.services import ACTIONS, GLOBAL_ONLY, defaults


def may_manage_privacy(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and actor.role == Role.ADMINISTRATOR


@dataclass
class KindRules:
    kind: str
    label: str
    unit: str  # "years" or "days"
    default_period: int
    default_action: str
    default_rule: RetentionRule | None
    organization_rules: list[RetentionRule]
    actions: list[str]
    global_only: bool


def retention_overview() -> list[KindRules]:
    """Per kind: the default that holds and the organizations with a rule of their own."""
    rules = list(RetentionRule.objects.select_related("organization", "updated_by"))
    built_in = defaults()
    overview = []
    for kind in Kind:
        own = [rule for rule in rules if rule.kind == kind]
        default_rule = next((rule for rule in own if rule.organization_id is None), None)
        period, action = built_in[kind]
        overview.append(
            KindRules(
                kind=kind.value,
                label=str(kind.label),
                unit="years" if kind == Kind.TICKETS else "days",
                default_period=default_rule.period if default_rule else period,
                default_action=default_rule.action if default_rule else action,
                default_rule=default_rule,
                organization_rules=sorted(
                    (rule for rule in own if rule.organization_id is not None),
                    key=lambda rule: rule.organization.name,
                ),
                actions=sorted(ACTIONS[kind]),
                global_only=kind in GLOBAL_ONLY,
            )
        )
    return overview


def retention_runs(*, limit: int = 20) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("actor", "organization")[:limit]


def retention_run_get(run_id: int) -> RetentionRun | None:
    return RetentionRun.objects.select_related("actor", "organization").filter(pk=run_id).first()


def subject_requests(*, limit: int = 20) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("person", "handled_by")[:limit]


def person_search(*, query: str):
    return directory_data.person_search(query=query)


def person_get(person_id: int):
    return directory_data.person_find(person_id)
