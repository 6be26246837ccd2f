"""The phone channel in the browser: a call rings, the agent opens a ticket from the pop-up,
after hang-up the recording plays in the ticket's timeline. axe on the call log."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from eenloket.channels.phone import services
from eenloket.channels.phone.models import PlaybackLog
from tests.e2e.conftest import axe_violations, log_in, screenshot


@pytest.fixture
def spoken_wav(tmp_path) -> bytes:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is needed (apt-get install espeak-ng)")
    target = tmp_path / "gesprek.wav"
    subprocess.run(
        ["espeak-ng", "-v", "nl", "-w", str(target), "Goedemorgen, met de servicedesk."],
        check=True,
    )
    return target.read_bytes()


def test_a_call_rings_the_agent_opens_a_ticket_and_hears_the_recording(
    page, desk, ticket, spoken_wav
):
    desk.person.phone = "+31781234567"
    desk.person.save()
    cti_token, _plaintext = services.cti_token_create(actor=None, name="Centrale")

    def send(**data):
        return services.cti_event_receive(token=cti_token, data={"callId": "e2e-1", **data})

    log_in(page, "servicedesk")
    send(
        event="newCall",
        direction="in",
        to="+31788001000",
        user="servicedesk",
        **{"from": "078-123 45 67"},
    )
    popup = page.locator("#phone-live .caller--popup")
    expect(popup).to_contain_text(desk.person.full_name, timeout=8_000)
    expect(popup).to_contain_text(ticket.number)
    screenshot(page, "phone-popup")
    send(event="answer", user="servicedesk")

    popup.get_by_role("button", name=ticket.number).click()
    expect(page).to_have_url(
        f"{page.url.split('/werkplek')[0]}/werkplek/meldingen/{ticket.number}/"
    )

    send(event="hangup", cause="normalClearing")
    services.recording_store(call_id="e2e-1", content=spoken_wav, token=cti_token)
    page.reload()
    audio = page.locator(".timeline audio")
    expect(audio).to_have_count(1)
    page.wait_for_function(
        "() => { const a = document.querySelector('.timeline audio');"
        " return a.readyState >= 1 && a.duration > 0; }"
    )
    duration = audio.evaluate("a => a.duration")
    assert 1.0 < duration < 6.0
    # Loading the player fetched the audio: that is logged as this agent's playback.
    assert PlaybackLog.objects.filter(user=desk.agent).exists()
    screenshot(page, "phone-timeline")


def test_the_call_log_page_has_no_serious_accessibility_problems(page, desk, ticket):
    cti_token, _plaintext = services.cti_token_create(actor=None, name="Centrale")
    services.cti_event_receive(
        token=cti_token,
        data={"event": "newCall", "callId": "a1", "direction": "in", "from": "0612345678"},
    )
    services.cti_event_receive(
        token=cti_token, data={"event": "hangup", "callId": "a1", "cause": "cancel"}
    )
    log_in(page, "servicedesk")
    page.goto("/werkplek/telefonie/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("table.calls tbody tr")).to_have_count(1)
    screenshot(page, "phone-call-log")
    serious = [line for line in axe_violations(page) if "(serious)" in line or "(critical)" in line]
    assert serious == [], "\n".join(serious)
    page.goto("/werkplek/telefonie/gemist/")
    serious = [line for line in axe_violations(page) if "(serious)" in line or "(critical)" in line]
    assert serious == [], "\n".join(serious)
