"""Store the recovery codes as keyed digests (identity/credentials.py) instead of in plain
text, as django-otp keeps them; the codes people have keep working. There is no way back: after
a downgrade, people make new recovery codes."""

from django.db import migrations

from eenloket.identity.credentials import recovery_code_digests


def digest_codes(apps, schema_editor):
    token_model = apps.get_model("otp_static", "StaticToken")
    for token in token_model.objects.order_by("pk").iterator():
        token_model.objects.filter(pk=token.pk).update(token=recovery_code_digests(token.token)[0])


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_authenticator_keys_from_django_otp"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(digest_codes, migrations.RunPython.noop)]
