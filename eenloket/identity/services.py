"""Writes of the identity app: logins from single sign-on, the second factor (TOTP and
recovery codes), and identity provider secrets."""

import base64
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from eenloket.core import clock, secretbox
from eenloket.core.services import audit_record
from eenloket.directory.roles import Role
from eenloket.directory.selectors import department_list, person_in_organization, user_by_username
from eenloket.directory.services import login_create_for_person, user_set_role
from eenloket.identity import credentials
from eenloket.identity.credentials import recovery_code_digests, secret_encrypt
from eenloket.identity.demo import DEMO_DEVICE_NAME, DEMO_TOTP_KEY_HEX, demo_code
from eenloket.identity.exceptions import (
    MfaCodeInvalid,
    MfaKeyUnreadable,
    MfaNotAllowed,
    MfaThrottled,
    SsoFailed,
)
from eenloket.identity.models import (
    AuthenticatorDevice,
    ExternalIdentity,
    GroupRoleMapping,
    IdentityProvider,
)
from eenloket.identity.selectors import mfa_required_by_role

security_log = logging.getLogger("eenloket.security")

RECOVERY_CODE_COUNT = 10
# The strongest role wins when several groups map to a role.
ROLE_RANK = [
    Role.CUSTOMER,
    Role.CHANGE_LEAD,
    Role.SPECIALIST,
    Role.FIRST_LINE,
    Role.TEAM_LEAD,
    Role.ADMINISTRATOR,
]


# --- identity providers ---------------------------------------------------------------------


def provider_set_client_secret(*, provider: IdentityProvider, secret: str) -> None:
    """Store the client secret encrypted (used when no environment variable is named)."""
    provider.client_secret_encrypted = secret_encrypt(secret) if secret else ""
    provider.save(update_fields=["client_secret_encrypted"])


# --- single sign-on ---------------------------------------------------------------------------


def _claim_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def _email_of(claims: dict) -> str:
    for name in ("email", "preferred_username", "upn"):
        value = str(claims.get(name) or "").strip().lower()
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            return value
    return ""


def _username_for(provider: IdentityProvider, subject: str) -> str:
    digest = hashlib.sha256(f"{provider.pk}:{subject}".encode()).digest()
    return f"sso-{provider.slug}-{base64.b32encode(digest[:10]).decode().lower()}"[:150]


def role_from_groups(*, provider: IdentityProvider, groups: list[str]):
    """The role and departments the provider's groups give; (customer, []) for none."""
    mappings = [m for m in provider.group_mappings.all() if m.group in set(groups)]
    if not mappings:
        return Role.CUSTOMER, []
    role = max((Role(m.role) for m in mappings), key=ROLE_RANK.index)
    department_ids = {m.department_id for m in mappings if m.department_id}
    departments = list(department_list().filter(pk__in=department_ids))
    return role, departments


@transaction.atomic
def sso_user_from_claims(*, provider: IdentityProvider, claims: dict):
    """The login for verified claims: by the provider's subject, else the person of the
    provider's organization with that employee number or email, else a new one. With group
    mappings, the provider's groups decide the role at every login."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoFailed("the claims have no subject")
    email = _email_of(claims)
    employee_number = ""
    if provider.employee_number_claim:
        employee_number = str(claims.get(provider.employee_number_claim) or "").strip()
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if link is not None:
        user = link.user
    else:
        person = person_in_organization(
            organization=provider.organization, email=email, employee_number=employee_number
        )
        user = person.user if person is not None else None
        if user is None:
            if person is None and not provider.create_people:
                raise SsoFailed(
                    f"no person of {provider.organization} matches (email {email!r}, "
                    f"employee number {employee_number!r}) and the provider creates none",
                    message=_(
                        "Your organization's account is not known here yet. Contact the "
                        "service desk to get access."
                    ),
                )
            user = login_create_for_person(
                actor=None,
                username=_username_for(provider, subject),
                organization=provider.organization,
                first_name=str(claims.get("given_name") or ""),
                last_name=str(claims.get("family_name") or claims.get("name") or ""),
                email=email,
                employee_number=employee_number,
                person=person,
            )
        link = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    if not user.is_active:
        raise SsoFailed(f"the login {user.username} is not active")
    if provider.group_mappings.exists():
        role, departments = role_from_groups(
            provider=provider, groups=_claim_list(claims.get(provider.groups_claim))
        )
        user_set_role(actor=None, user=user, role=role, departments=departments)
    link.last_login_at = clock.now()
    link.save(update_fields=["last_login_at"])
    return user


def group_mapping_add(
    *, provider: IdentityProvider, group: str, role: Role, department=None
) -> GroupRoleMapping:
    return GroupRoleMapping.objects.create(
        provider=provider, group=group, role=role, department=department
    )


# --- the second factor --------------------------------------------------------------------------


def _confirmed_totp(user) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _device_create(*, user, name: str, key: bytes, confirmed: bool) -> AuthenticatorDevice:
    device = AuthenticatorDevice(user=user, name=name, confirmed=confirmed)
    device.set_key(key)
    device.save()
    return device


@transaction.atomic
def mfa_totp_begin(*, user) -> AuthenticatorDevice:
    """A new, unconfirmed authenticator key for `user` (a pending one is reused while its key
    can still be read)."""
    pending = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if pending is not None:
        try:
            pending.bin_key  # noqa: B018 (decrypting is the check)
        except MfaKeyUnreadable:
            pending.delete()
        else:
            return pending
    # 20 random bytes (160 bits), as django-otp and RFC 4226 recommend
    return _device_create(
        user=user, name="authenticator", key=secrets.token_bytes(20), confirmed=False
    )


def _new_recovery_codes(*, user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digests(code)[0]) for code in codes
    )
    return codes


def _recovery_code_use(device: StaticDevice, code: str) -> bool:
    """django-otp's check of a recovery code (throttled, each code once), given the stored
    digest that matches the code under the current or an earlier key."""
    digests = recovery_code_digests(code)
    stored = device.token_set.filter(token__in=digests).values_list("token", flat=True).first()
    return device.verify_token(stored or digests[0])


@transaction.atomic
def mfa_totp_confirm(*, user, device: AuthenticatorDevice, code: str) -> list[str]:
    """Switch the authenticator on once it gives a right code; returns the recovery codes
    (shown once; only their digests are stored)."""
    if device.user_id != user.pk or device.confirmed:
        raise MfaCodeInvalid()
    if not device.verify_token(_digits(code)):
        security_log.warning("MFA enrolment: wrong code for %s", user.username)
        raise MfaCodeInvalid()
    AuthenticatorDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, obj=user, action="mfa_enrolled")
    return _new_recovery_codes(user=user)


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def mfa_is_enrolled(*, user) -> bool:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_verify(*, user, code: str) -> str:
    """Check a code from the authenticator app or, failing that, a recovery code (each works
    once). Returns "totp" or "recovery"; raises MfaCodeInvalid or MfaThrottled.

    Not one transaction: a failure is counted (django-otp's throttling doubles the wait after
    each one) and committed before the error is raised, which would roll it back otherwise.
    """
    code = _digits(code)
    device = _confirmed_totp(user)
    if device is None:
        raise MfaCodeInvalid()
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        security_log.warning("MFA: %s tried a code while throttled", user.username)
        raise MfaThrottled()
    if len(code) == device.digits and code.isdigit():
        # The device counts a failure itself (and refuses a code already used).
        try:
            verified = device.verify_token(code)
        except MfaKeyUnreadable:
            security_log.error(
                "MFA: the authenticator key of %s cannot be decrypted (EENLOKET_IDENTITY_KEY or "
                "SECRET_KEY changed without SECRET_KEY_FALLBACKS?)",
                user.username,
            )
            raise
        if verified:
            return "totp"
    else:
        recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
        with transaction.atomic():
            used = recovery is not None and _recovery_code_use(recovery, code.lower())
            if used:
                device.throttle_reset()  # the person is who they say: start counting afresh
                audit_record(actor=user, obj=user, action="mfa_recovery_code_used")
        if used:
            security_log.info("MFA: %s used a recovery code", user.username)
            return "recovery"
        device.throttle_increment(commit=True)
    security_log.warning("MFA: wrong code for %s", user.username)
    raise MfaCodeInvalid()


@transaction.atomic
def mfa_recovery_codes_regenerate(*, user) -> list[str]:
    if not mfa_is_enrolled(user=user):
        raise MfaCodeInvalid(_("Switch on two-step verification first."))
    audit_record(actor=user, obj=user, action="mfa_recovery_codes_regenerated")
    return _new_recovery_codes(user=user)


@transaction.atomic
def mfa_reset(*, actor, user) -> None:
    """Switch a login's second factor off (an administrator does this, e.g. for a lost
    phone); the person enrols again at the next login."""
    AuthenticatorDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, obj=user, action="mfa_reset")
    security_log.warning(
        "MFA reset for %s by %s", user.username, getattr(actor, "username", None) or "command"
    )


# --- the keys at rest -------------------------------------------------------------------------


@transaction.atomic
def identity_secrets_rekey() -> list[str]:
    """Rewrite the authenticator keys and the stored client secrets under the current key
    (after SECRET_KEY or EENLOKET_IDENTITY_KEY changed, with the old one still a fallback) and
    count the logins whose recovery codes were made under an earlier key. One summary line
    per kind, for `eenloket secrets rekey`."""
    box = credentials.box()
    devices, lost_devices = secretbox.rekey_field(
        box, AuthenticatorDevice.objects.select_related("user"), "key_encrypted"
    )
    providers, lost_providers = secretbox.rekey_field(
        box, IdentityProvider.objects.all(), "client_secret_encrypted"
    )
    older_codes = (
        StaticToken.objects.exclude(token__startswith=credentials.recovery_key_id())
        .values("device__user")
        .distinct()
        .count()
    )
    lines = [
        f"{devices} authenticator keys rewritten under the current key"
        + (
            f"; {len(lost_devices)} cannot be read: switch off two-step verification of "
            + ", ".join(sorted(device.user.username for device in lost_devices))
            + " (eenloket mfa reset USERNAME)"
            if lost_devices
            else ""
        ),
        f"{providers} client secrets of identity providers rewritten"
        + (
            f"; {len(lost_providers)} cannot be read: enter them again in the admin for "
            + ", ".join(sorted(provider.name for provider in lost_providers))
            if lost_providers
            else ""
        ),
        f"{older_codes} logins hold recovery codes made under an earlier key: they work while "
        "that key is in SECRET_KEY_FALLBACKS, so ask them to make new ones first"
        if older_codes
        else "all recovery codes are made under the current key",
    ]
    security_log.warning("Identity secrets rewritten under the current key: %s", "; ".join(lines))
    return lines


# --- the demo ---------------------------------------------------------------------------------


def demo_allowed() -> bool:
    """Only a demo: production sets SECRET_KEY (`eenloket serve` refuses to start without)."""
    return not settings.SECRET_KEY_FROM_ENV


@transaction.atomic
def mfa_demo_enrol(*, user) -> None:
    """Enrol a demo login with the published demo key (idempotent)."""
    if not demo_allowed():
        raise MfaNotAllowed()
    if AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
        return
    AuthenticatorDevice.objects.filter(user=user).delete()
    _device_create(
        user=user, name=DEMO_DEVICE_NAME, key=bytes.fromhex(DEMO_TOTP_KEY_HEX), confirmed=True
    )


def mfa_demo_code(*, user) -> str:
    """The current code of a demo login; refused outside the demo and for any other key."""
    device = _confirmed_totp(user)
    if not demo_allowed() or device is None:
        raise MfaNotAllowed()
    try:
        if device.bin_key != bytes.fromhex(DEMO_TOTP_KEY_HEX):
            raise MfaNotAllowed()
    except MfaKeyUnreadable:
        raise MfaNotAllowed() from None
    return demo_code()


def mfa_demo_enrol_staff(*, usernames) -> list[str]:
    """Enrol the demo's staff logins (those that need a second factor) with the demo key."""
    enrolled = []
    for username in usernames:
        user = user_by_username(username)
        if user is not None and mfa_required_by_role(user):
            mfa_demo_enrol(user=user)
            enrolled.append(username)
    return enrolled


# --- housekeeping ------------------------------------------------------------------------------


def login_records_prune(*, days: int) -> int:
    """django-axes keeps a record of every login (address, browser): keep `days` of them."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.reset_logs(age_days=days) or 0


def login_records_forget(*, username: str) -> int:
    """Erasure of a person: django-axes keeps their user name (a plain string, not a key to
    the login) with addresses and browsers; those records go with them."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if not username:
        return 0
    return sum(
        model.objects.filter(username=username).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )
