"""Fixtures of the phone tests: an exchange token, real audio made with espeak-ng and sox."""

import shutil
import subprocess
from pathlib import Path

import pytest

from eenloket.channels.phone import services


@pytest.fixture
def token(db):
    return services.cti_token_create(actor=None, name="Centrale")


@pytest.fixture
def cti(client, token):
    """Send one exchange event as JSON; returns the response."""
    _token, plaintext = token

    def send(**fields):
        return client.post(f"/api/v1/cti/{plaintext}", fields, content_type="application/json")

    return send


@pytest.fixture(scope="session")
def audio(tmp_path_factory) -> dict[str, bytes]:
    """Dutch speech as WAV (espeak-ng), MP3 and Ogg Vorbis (sox)."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed (apt-get install espeak-ng sox libsox-fmt-mp3)")
    folder = tmp_path_factory.mktemp("audio")
    wav = folder / "gesprek.wav"
    subprocess.run(
        ["espeak-ng", "-v", "nl", "-w", str(wav), "Goedemorgen, u spreekt met de servicedesk."],
        check=True,
        capture_output=True,
    )
    for extension in ("mp3", "ogg"):
        subprocess.run(["sox", str(wav), str(folder / f"gesprek.{extension}")], check=True)
    return {ext: Path(folder / f"gesprek.{ext}").read_bytes() for ext in ("wav", "mp3", "ogg")}
