"""The phone channel's recording retention per organization becomes a privacy rule: one
retention mechanism. The old global setting stays the built-in default."""

from django.db import migrations


def copy_rules(apps, schema_editor):
    PhoneRule = apps.get_model("phone", "RetentionRule")
    Rule = apps.get_model("privacy", "RetentionRule")
    for old in PhoneRule.objects.all():
        Rule.objects.update_or_create(
            organization_id=old.organization_id,
            kind="recordings",
            defaults={"period": old.recording_days, "action": "delete"},
        )


def copy_back(apps, schema_editor):
    PhoneRule = apps.get_model("phone", "RetentionRule")
    Rule = apps.get_model("privacy", "RetentionRule")
    for rule in Rule.objects.filter(kind="recordings", organization__isnull=False):
        PhoneRule.objects.update_or_create(
            organization_id=rule.organization_id, defaults={"recording_days": rule.period}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("phone", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_rules, copy_back)]
