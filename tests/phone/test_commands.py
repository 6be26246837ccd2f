"""`eenloket cti`: tokens on the command line and the demo simulator."""

import io

import pytest
from django.core.management import CommandError, call_command

from eenloket.channels.phone import services
from eenloket.channels.phone.models import Call, CtiToken, Recording


def run(*args):
    out = io.StringIO()
    call_command("cti", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_token_create_prints_the_token_once(db):
    output = run("token", "create", "--name", "Centrale")
    plaintext = output.splitlines()[1]
    assert services.cti_token_check(plaintext) == CtiToken.objects.get()
    assert plaintext not in run("token", "list")


def test_token_create_needs_a_name(db):
    with pytest.raises(CommandError, match="token"):
        run("token", "create", "--name", " ")


def test_token_revoke(db, token):
    assert "revoked" in run("token", "revoke", str(token[0].pk))
    with pytest.raises(CommandError, match="no token with id 999"):
        run("token", "revoke", "999")


def test_simulate_needs_a_token_and_a_url(db):
    with pytest.raises(CommandError, match="token"):
        run("simulate", "--token", "")
    with pytest.raises(CommandError, match="http"):
        run("simulate", "--token", "x", "--url", "ftp://example")


def test_simulate_with_a_bad_number_of_calls_is_refused(db):
    with pytest.raises(CommandError, match="at least 1"):
        run("simulate", "--token", "x", "--calls", "0")


@pytest.mark.django_db(transaction=True)
def test_simulate_plays_calls_with_recordings_against_a_server(live_server, desk):
    _token, plaintext = services.cti_token_create(actor=None, name="Simulator")
    output = run(
        "simulate",
        "--url",
        live_server.url,
        "--token",
        plaintext,
        "--calls",
        "6",
        "--minutes",
        "5",
        "--speed",
        "0",
        "--seed",
        "7",
    )
    assert "Done: 6 calls" in output and "0 errors" in output
    assert Call.objects.count() == 6
    answered = Call.objects.filter(result="answered").count()
    assert answered >= 1
    assert Recording.objects.count() == answered


def test_simulate_against_no_server_fails_clearly(db):
    with pytest.raises(CommandError, match=r"Every event failed|Cannot reach"):
        run(
            "simulate",
            "--url",
            "http://127.0.0.1:9",
            "--token",
            "x",
            "--calls",
            "1",
            "--speed",
            "0",
            "--no-recordings",
        )
