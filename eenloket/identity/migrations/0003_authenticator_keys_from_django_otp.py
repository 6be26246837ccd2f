"""Move the authenticator apps from django-otp's TOTPDevice (key in plain hex) to
AuthenticatorDevice (key encrypted), keeping every field, so nobody has to enrol again; the
plain keys are deleted. Backwards, the keys are decrypted into TOTPDevice again."""

from django.db import migrations

from eenloket.identity.credentials import authenticator_key_decrypt, authenticator_key_encrypt

SHARED_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)


def _copy(device, model, **key):
    copy = model.objects.create(**key, **{field: getattr(device, field) for field in SHARED_FIELDS})
    # created_at is auto_now_add: written again, as it was
    model.objects.filter(pk=copy.pk).update(created_at=device.created_at)


def encrypt_keys(apps, schema_editor):
    plain = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("identity", "AuthenticatorDevice")
    for device in plain.objects.order_by("pk").iterator():
        _copy(device, sealed, key_encrypted=authenticator_key_encrypt(bytes.fromhex(device.key)))
    plain.objects.all().delete()


def decrypt_keys(apps, schema_editor):
    plain = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("identity", "AuthenticatorDevice")
    for device in sealed.objects.order_by("pk").iterator():
        _copy(device, plain, key=authenticator_key_decrypt(device.key_encrypted).hex())
    sealed.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_authenticator_device"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(encrypt_keys, decrypt_keys)]
