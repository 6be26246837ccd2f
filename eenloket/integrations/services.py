"""Writes of the integrations app: API keys, idempotent creates, outbound webhooks."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext as _

from eenloket.core import clock, refcache
from eenloket.core.exceptions import ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.roles import Role
from eenloket.directory.services import service_account_create
from eenloket.integrations.exceptions import (
    ApiKeyExpired,
    ApiKeyInvalid,
    ApiKeyRevoked,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    RateLimited,
)
from eenloket.integrations.models import (
    ApiKey,
    IdempotencyRecord,
    SlaRiskNotice,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

if TYPE_CHECKING:
    from eenloket.directory.models import Department, Organization, User

logger = logging.getLogger(__name__)

KEY_PREFIX = "elk_"
# Writing last use on every request would add a write to every read; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


# --- API keys ----------------------------------------------------------------------------


def apikey_validate(
    *,
    name: str,
    role: str,
    department: Department | None,
    organization: Organization | None,
    user: User | None = None,
    rate_limit_per_minute: int = 600,
) -> None:
    """The rules for a key's scope; field errors say what does not fit."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the key a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    if user is not None:
        if department is not None or organization is not None:
            errors["user"] = [_("A key for an existing login takes that login's scope.")]
    elif role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    elif role == Role.SPECIALIST and department is None:
        errors["department"] = [_("A specialist key needs a department.")]
    elif role != Role.SPECIALIST and department is not None:
        errors["department"] = [_("Only a specialist key is limited to a department.")]
    elif role == Role.CUSTOMER and organization is None:
        errors["organization"] = [_("A customer key needs an organization.")]
    elif role != Role.CUSTOMER and organization is not None:
        errors["organization"] = [_("Only a customer key is limited to an organization.")]
    if rate_limit_per_minute < 1:
        errors["rate_limit_per_minute"] = [_("At least 1.")]
    if errors:
        raise ValidationFailed(field_errors=errors)


@transaction.atomic
def apikey_create(
    *,
    actor: User | None,
    name: str,
    role: str,
    department: Department | None = None,
    organization: Organization | None = None,
    user: User | None = None,
    expires_at: dt.datetime | None = None,
    rate_limit_per_minute: int = 600,
) -> tuple[ApiKey, str]:
    """Make a key; returns it and the secret, which is shown once and never stored.

    Without `user` a service login is made for the key: with the role, for a specialist the
    department, for a customer key the organization (it then sees that organization's
    tickets, like a contact person). With `user` the key acts as that existing login.
    """
    name = (name or "").strip()
    role = user.role if user is not None else role
    apikey_validate(
        name=name,
        role=role,
        department=department,
        organization=organization,
        user=user,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw_key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    if user is None:
        user = service_account_create(
            actor=actor,
            username=f"api-{prefix}",
            name=name,
            role=role,
            departments=[department] if department else [],
            organization=organization,
        )
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_hash(raw_key),
        user=user,
        role=role,
        department=department,
        organization=organization,
        rate_limit_per_minute=rate_limit_per_minute,
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=expires_at,
    )
    audit_record(actor=actor, obj=key, action="created", changes={"role": ("", role)})
    return key, raw_key


@transaction.atomic
def apikey_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, obj=key, action="revoked")
    return key


def apikey_authenticate(raw_key: str) -> ApiKey:
    """The key for a Bearer token, checked; records its use (at most once a minute)."""
    raw_key = (raw_key or "").strip()
    if not raw_key.startswith(KEY_PREFIX) or raw_key.count("_") < 2:
        raise ApiKeyInvalid()
    prefix = raw_key[len(KEY_PREFIX) :].split("_", 1)[0]
    key = _key_with_user(prefix)
    if key is None:
        raise ApiKeyInvalid()
    if not hmac.compare_digest(key.key_hash, _hash(raw_key)):
        raise ApiKeyInvalid()
    now = clock.now()
    if key.revoked_at is not None or not key.user.is_active:
        raise ApiKeyRevoked()
    if key.expires_at is not None and key.expires_at <= now:
        raise ApiKeyExpired()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


class _KeyQuery:
    """`ApiKey.objects.select_related("user").get(prefix=...)` with its SQL and column
    converters built once per connection: the key is read on every API request, and
    compiling that query cost more CPU than reading the row (0.7 of 0.9 ms on SQLite)."""

    def __init__(self, connection) -> None:
        self.connection = connection
        quote = connection.ops.quote_name
        user_model = ApiKey._meta.get_field("user").related_model
        self.key_fields = ApiKey._meta.concrete_fields
        self.user_fields = user_model._meta.concrete_fields
        columns = [f"k.{quote(f.column)}" for f in self.key_fields]
        columns += [f"u.{quote(f.column)}" for f in self.user_fields]
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(ApiKey._meta.db_table)} k "  # noqa: S608
            f"INNER JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{quote(user_model._meta.pk.column)} = k.{quote(ApiKey.user.field.column)} "
            f"WHERE k.{quote(ApiKey._meta.get_field('prefix').column)} = %s"
        )
        self.converters = []
        for index, field in enumerate([*self.key_fields, *self.user_fields]):
            col = field.get_col("k")
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((index, col, found))
        self.user_model = user_model
        self.key_names = [f.attname for f in self.key_fields]
        self.user_names = [f.attname for f in self.user_fields]

    def get(self, prefix: str) -> ApiKey | None:
        connection = self.connection
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [prefix])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, col, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], col, connection)
        count = len(self.key_fields)
        alias = connection.alias
        key = ApiKey.from_db(alias, self.key_names, values[:count])
        user = self.user_model.from_db(alias, self.user_names, values[count:])
        ApiKey.user.field.set_cached_value(key, user)
        return key


_key_queries: dict[str, _KeyQuery] = {}


def _key_with_user(prefix: str) -> ApiKey | None:
    connection = connections[router.db_for_read(ApiKey)]
    query = _key_queries.get(connection.alias)
    # One per connection object (each thread has its own).
    if query is None or query.connection is not connection:
        query = _key_queries[connection.alias] = _KeyQuery(connection)
    return query.get(prefix)


def rate_limit_check(*, key: ApiKey) -> None:
    """A fixed one-minute window per key, counted in Django's cache.

    With the default per-process cache each server process counts on its own; with
    EENLOKET_CACHE_URL (Redis) all processes share one count (docs/operations.md).
    """
    now = time.time()
    bucket = f"eenloket:api-rate:{key.pk}:{int(now // 60)}"
    if cache.add(bucket, 1, timeout=61):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, timeout=61)
            count = 1
    if count > key.rate_limit_per_minute:
        raise RateLimited(retry_after=max(1, 60 - int(now % 60)))


# --- idempotency -------------------------------------------------------------------------


def idempotent_create(
    *,
    user: User,
    key: str | None,
    request_hash: str,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any], bool]:
    """Run `create` once per (user, Idempotency-Key); a retry gets the first answer.

    Returns (status, body, replayed). The record is written in the create's transaction, so
    of two concurrent requests with one key exactly one creates; the other waits for the
    unique index, rolls back and answers what the first one answered.
    """
    if key is None:
        return (*create(), False)
    if not (0 < len(key) <= 200 and key.isprintable()):
        message = str(IdempotencyKeyInvalid.default_message)
        raise IdempotencyKeyInvalid(field_errors={"Idempotency-Key": [message]})
    existing = _idempotency_record(user=user, key=key)
    if existing is not None:
        return _replay(existing, request_hash)
    try:
        with transaction.atomic():
            status, body = create()
            IdempotencyRecord.objects.create(
                user=user,
                key=key,
                request_hash=request_hash,
                status_code=status,
                response=body,
                created_at=clock.now(),
            )
    except IntegrityError:
        existing = _idempotency_record(user=user, key=key)
        if existing is None:
            raise
        return _replay(existing, request_hash)
    return status, body, False


def _idempotency_record(*, user: User, key: str) -> IdempotencyRecord | None:
    # Checked before every create with a key and nearly always absent: a plain SELECT of the
    # id over the unique (user, key) index costs a fifth of the CPU of compiling get() for it;
    # the record itself is read only for a retry.
    meta = IdempotencyRecord._meta
    connection = connections[router.db_for_read(IdempotencyRecord)]
    table, pk, user_id, key_column = (
        connection.ops.quote_name(name)
        for name in (
            meta.db_table,
            meta.pk.column,
            meta.get_field("user").column,
            meta.get_field("key").column,
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk} FROM {table} WHERE {user_id} = %s AND {key_column} = %s",  # noqa: S608
            [user.pk, key],
        )
        row = cursor.fetchone()
    return IdempotencyRecord.objects.get(pk=row[0]) if row else None


def _replay(record: IdempotencyRecord, request_hash: str) -> tuple[int, dict[str, Any], bool]:
    if not hmac.compare_digest(record.request_hash, request_hash):
        raise IdempotencyKeyReused()
    return record.status_code, record.response, True


def idempotency_prune(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - older_than).delete()
    return deleted


# --- webhooks ----------------------------------------------------------------------------


def webhook_subscription_create(
    *, actor: User | None, name: str, url: str, events: list[str], secret: str = ""
) -> WebhookSubscription:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown or not events:
        errors["events"] = [_("Pick one or more known events.")]
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        errors["url"] = [_("Enter an http:// or https:// address.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    subscription = WebhookSubscription.objects.create(
        name=name.strip(),
        url=url.strip(),
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
        created_at=clock.now(),
    )
    audit_record(actor=actor, obj=subscription, action="created")
    return subscription


def webhook_emit(*, event: str, payload: dict[str, Any]) -> None:
    """Queue `event` for every subscriber once the current transaction commits.

    Called from inside services: nothing is sent for a change that is rolled back, and a
    failure here is logged, never raised into the request that caused the event.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    transaction.on_commit(partial(_webhook_queue, event, payload), robust=True)


@refcache.reference("webhook-subscriptions", models=[WebhookSubscription])
def _active_subscriptions() -> list[tuple[int, frozenset[str]]]:
    """(id, events) of the active subscriptions: read once a minute per process instead of
    after every change that emits an event. A subscription saved in another process is seen
    within refcache.CACHE_SECONDS; the delivery reads its URL and secret when it sends."""
    return [
        (pk, frozenset(events))
        for pk, events in WebhookSubscription.objects.filter(is_active=True).values_list(
            "pk", "events"
        )
    ]


def _webhook_queue(event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    try:
        return _webhook_queue_for(event, payload)
    except IntegrityError:
        # A subscription deleted in another process since this one read the list.
        _active_subscriptions.forget()
        return _webhook_queue_for(event, payload)


def _webhook_queue_for(event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    subscriptions = [pk for pk, events in _active_subscriptions() if event in events]
    if not subscriptions:
        return []
    from eenloket.integrations.tasks import webhook_deliver_task

    now = clock.now()
    deliveries = []
    with transaction.atomic():
        for subscription in subscriptions:
            delivery = WebhookDelivery.objects.create(
                subscription_id=subscription,
                event=event,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
            deliveries.append(delivery)
            transaction.on_commit(partial(webhook_deliver_task.enqueue, delivery_id=delivery.pk))
    return deliveries


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _retry_delay(attempts: int) -> dt.timedelta:
    base = settings.EENLOKET_WEBHOOK_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=base * 2 ** (attempts - 1))


def webhook_deliver(*, delivery_id: int) -> str:
    """POST one delivery; on failure schedule the next attempt with exponential back-off.

    Returns the delivery's status. A delivery already delivered (a duplicate job) is left
    alone, so a retry never posts an event twice after it succeeded.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    subscription = delivery.subscription
    body = json.dumps(
        {
            "id": str(delivery.event_id),
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    timestamp = int(time.time())
    # Only web URLs: the subscription is checked when saved, and again here.
    if urllib.parse.urlsplit(subscription.url).scheme not in {"http", "https"}:
        raise ValueError(f"Webhook URL must be http(s): {subscription.url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Eenloket-Webhooks/1",
            "X-Eenloket-Event": delivery.event,
            "X-Eenloket-Delivery": str(delivery.event_id),
            "X-Eenloket-Signature": webhook_signature(
                secret=subscription.secret, timestamp=timestamp, body=body
            ),
        },
    )
    timeout = settings.EENLOKET_WEBHOOK_TIMEOUT_SECONDS
    status_code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status_code = response.status
    except urllib.error.HTTPError as exc:
        status_code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        error = str(getattr(exc, "reason", exc))[:500]
    now = clock.now()
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.EENLOKET_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + _retry_delay(delivery.attempts)
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if delivery.status == WebhookDelivery.Status.PENDING:
        from eenloket.integrations.tasks import webhook_deliver_task

        webhook_deliver_task.using(run_after=delivery.next_attempt_at).enqueue(
            delivery_id=delivery.pk
        )
    return delivery.status


def sla_risk_notify(*, tickets: list[dict[str, Any]]) -> int:
    """Emit `sla.at_risk` once per ticket and due time; `tickets` are the payloads of the
    tickets whose resolution target comes close (each with `id` and `resolution_due_at`)."""
    sent = 0
    for payload in tickets:
        due = dt.datetime.fromisoformat(payload["resolution_due_at"])
        try:
            with transaction.atomic():
                SlaRiskNotice.objects.create(ticket_id=payload["id"], due_at=due)
                webhook_emit(event=WebhookEvent.SLA_AT_RISK, payload={"ticket": payload})
        except IntegrityError:
            continue
        sent += 1
    return sent
