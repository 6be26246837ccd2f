"""Bad input and bad keys: each gets the documented error body, and nothing is written."""

import datetime as dt

import pytest
import time_machine

from eenloket.directory.roles import Role
from eenloket.integrations import services
from eenloket.tickets.models import Ticket
from tests.apiclient import ApiClient, key_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def desk_key(desk):
    return key_for(role=Role.FIRST_LINE, name="CRM")


@pytest.fixture
def new_ticket(desk):
    return {
        "service_id": desk.laptop.pk,
        "requester_id": desk.person.pk,
        "title": "Laptop kapot",
        "description": "Zwart scherm.",
    }


def test_no_key_is_401_with_a_bearer_challenge(desk):
    response = ApiClient().get(f"{API}/tickets")
    assert (response.status_code, response.json()["code"], response["WWW-Authenticate"]) == (
        401,
        "not_authenticated",
        'Bearer realm="eenloket"',
    )


def test_an_unknown_key_is_401(desk):
    response = ApiClient("elk_deadbeef_notakey").get(f"{API}/tickets")
    assert (response.status_code, response.json()["code"]) == (401, "key_invalid")


def test_a_key_with_a_wrong_secret_is_401(desk_key):
    forged = desk_key.raw_key[:-4] + "AAAA"
    response = ApiClient(forged).get(f"{API}/tickets")
    assert (response.status_code, response.json()["code"]) == (401, "key_invalid")


def test_a_revoked_key_is_401_and_opens_nothing(desk_key, new_ticket, at_tuesday_10):
    services.apikey_revoke(actor=None, key=desk_key.key)
    response = desk_key.post_json(f"{API}/tickets", new_ticket)
    assert (response.status_code, response.json()["code"], Ticket.objects.count()) == (
        401,
        "key_revoked",
        0,
    )


def test_an_expired_key_is_401(desk):
    client = key_for(
        role=Role.FIRST_LINE, expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), name="Oud"
    )
    response = client.get(f"{API}/tickets")
    assert (response.status_code, response.json()["code"]) == (401, "key_expired")


def test_the_last_use_of_a_key_is_recorded(desk_key):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        desk_key.get(f"{API}/tickets")
    desk_key.key.refresh_from_db()
    assert desk_key.key.last_used_at == dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_errors_are_in_dutch_by_default(desk_key, new_ticket):
    client = ApiClient(desk_key.raw_key, language="nl")
    response = client.post_json(f"{API}/tickets", {**new_ticket, "colour": "rood"})
    assert response.json()["field_errors"] == {"colour": ["Onbekend veld."]}


def test_an_unknown_field_is_400(desk_key, new_ticket):
    response = desk_key.post_json(f"{API}/tickets", {**new_ticket, "colour": "red"})
    body = response.json()
    assert (response.status_code, body["code"], body["field_errors"], Ticket.objects.count()) == (
        400,
        "invalid",
        {"colour": ["Unknown field."]},
        0,
    )


def test_a_wrong_type_is_400_naming_the_field(desk_key, new_ticket):
    response = desk_key.post_json(f"{API}/tickets", {**new_ticket, "title": 12})
    assert (response.status_code, response.json()["field_errors"]) == (
        400,
        {"title": ["Must be text."]},
    )


def test_a_missing_field_is_400(desk_key, new_ticket):
    del new_ticket["title"]
    response = desk_key.post_json(f"{API}/tickets", new_ticket)
    assert response.json()["field_errors"] == {"title": ["This field is required."]}


def test_broken_json_is_400(desk_key):
    response = desk_key.post(f"{API}/tickets", data='{"title": ', content_type="application/json")
    assert (response.status_code, response.json()["code"], Ticket.objects.count()) == (
        400,
        "malformed",
        0,
    )


def test_a_wrong_query_type_is_400(desk_key):
    response = desk_key.get(f"{API}/tickets", {"limit": "many"})
    assert (response.status_code, response.json()["field_errors"]) == (
        400,
        {"limit": ["Must be a whole number."]},
    )


def test_a_huge_body_is_413_and_writes_nothing(settings, desk_key, new_ticket):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = desk_key.post_json(f"{API}/tickets", {**new_ticket, "description": "x" * 20_000})
    assert (response.status_code, response.json()["code"], Ticket.objects.count()) == (
        413,
        "too_large",
        0,
    )


def test_an_unknown_ticket_is_404(desk_key):
    response = desk_key.get(f"{API}/tickets/M2026-99999")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_replayed_idempotency_key_returns_the_first_ticket(desk_key, new_ticket, at_tuesday_10):
    headers = {"Idempotency-Key": "open-1"}
    first = desk_key.post_json(f"{API}/tickets", new_ticket, headers=headers)
    again = desk_key.post_json(f"{API}/tickets", new_ticket, headers=headers)
    assert (
        again.status_code,
        again.json(),
        again["Idempotent-Replayed"],
        Ticket.objects.count(),
    ) == (
        201,
        first.json(),
        "true",
        1,
    )


def test_an_idempotency_key_reused_for_another_body_is_422(desk_key, new_ticket, at_tuesday_10):
    headers = {"Idempotency-Key": "open-2"}
    desk_key.post_json(f"{API}/tickets", new_ticket, headers=headers)
    other = desk_key.post_json(
        f"{API}/tickets", {**new_ticket, "title": "Iets anders"}, headers=headers
    )
    assert (other.status_code, other.json()["code"], Ticket.objects.count()) == (
        422,
        "idempotency_key_reused",
        1,
    )


def test_an_idempotency_key_belongs_to_one_caller(desk, desk_key, new_ticket, at_tuesday_10):
    other = key_for(role=Role.FIRST_LINE, name="Ander systeem")
    headers = {"Idempotency-Key": "open-3"}
    desk_key.post_json(f"{API}/tickets", new_ticket, headers=headers)
    second = other.post_json(f"{API}/tickets", new_ticket, headers=headers)
    assert (second.status_code, Ticket.objects.count()) == (201, 2)


def test_a_failed_create_leaves_its_idempotency_key_unused(desk_key, new_ticket, at_tuesday_10):
    headers = {"Idempotency-Key": "open-4"}
    desk_key.post_json(f"{API}/tickets", {**new_ticket, "title": " "}, headers=headers)
    retry = desk_key.post_json(f"{API}/tickets", new_ticket, headers=headers)
    assert (retry.status_code, Ticket.objects.count()) == (201, 1)


def test_a_replayed_reply_adds_one_entry(desk_key, it_ticket):
    headers = {"Idempotency-Key": "reply-1"}
    url = f"{API}/tickets/{it_ticket.number}/replies"
    desk_key.post_json(url, {"body": "Komt goed."}, headers=headers)
    desk_key.post_json(url, {"body": "Komt goed."}, headers=headers)
    assert it_ticket.entries.filter(kind="reply").count() == 1


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(desk):
    from django.core.cache import cache

    cache.clear()
    client = key_for(role=Role.FIRST_LINE, rate_limit_per_minute=2, name="Druk")
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, 15, tzinfo=dt.UTC), tick=False):
        statuses = [client.get(f"{API}/tickets").status_code for _ in range(3)]
        response = client.get(f"{API}/tickets")
    assert (statuses, response.json()["code"], response["Retry-After"]) == (
        [200, 200, 429],
        "rate_limited",
        "45",
    )


def test_a_replayed_upload_attaches_the_file_once(desk_key, it_ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"{API}/tickets/{it_ticket.number}/attachments"
    headers = {"Idempotency-Key": "upload-1"}
    for _ in range(2):
        upload = SimpleUploadedFile("notitie.txt", b"hallo", content_type="text/plain")
        response = desk_key.post(url, {"file": upload}, headers=headers)
    assert (response.status_code, it_ticket.entries.filter(kind="note").count()) == (201, 1)


def _redis_cache(prefix: str):
    """A Redis-backed Django cache as a separate server process would have its own."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    return RedisCache(url, {"KEY_PREFIX": prefix})


def test_with_a_shared_cache_the_rate_limit_holds_across_server_processes(desk, monkeypatch):
    import uuid

    prefix = f"eenloket-test-{uuid.uuid4().hex}"
    first_process, second_process = _redis_cache(prefix), _redis_cache(prefix)
    key = services.apikey_create(
        actor=None, name="Druk", role=Role.FIRST_LINE, rate_limit_per_minute=3
    )[0]
    refused = []
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, 15, tzinfo=dt.UTC), tick=False):
        for process in (first_process, second_process, first_process, second_process):
            monkeypatch.setattr(services, "cache", process)
            try:
                services.rate_limit_check(key=key)
                refused.append(False)
            except services.RateLimited:
                refused.append(True)
    # (The counter expires by itself after a minute; clear() would empty all of Redis.)
    # Per-process counting would let each process allow three: four requests, none refused.
    assert refused == [False, False, False, True]
