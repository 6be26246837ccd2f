"""The phone channel's recording retention per organization becomes a privacy rule."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("privacy", "0001_initial"), ("phone", "0001_initial")]
AFTER = [("privacy", "0002_recording_rules_from_phone"), ("phone", "0002_delete_retentionrule")]


@pytest.mark.django_db(transaction=True)
def test_recording_days_per_organization_are_carried_over():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organization = old.get_model("directory", "Organization").objects.create(name="Gemeente Oud")
    old.get_model("phone", "RetentionRule").objects.create(
        organization=organization, recording_days=30
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rule = new.get_model("privacy", "RetentionRule").objects.get()
    assert (rule.organization_id, rule.kind, rule.period, rule.action) == (
        organization.pk,
        "recordings",
        30,
        "delete",
    )
