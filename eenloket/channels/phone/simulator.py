"""`eenloket cti simulate`: a realistic stretch of calls played against a running server."""

from __future__ import annotations

import io
import json
import math
import random
import shutil
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SENTENCES = [
    "Goedemorgen, u spreekt met de servicedesk. Waarmee kan ik u helpen?",
    "Mijn laptop start niet meer op sinds vanochtend.",
    "Ik heb een vraag over mijn loonstrook van deze maand.",
    "Kunt u mijn wachtwoord opnieuw instellen?",
    "Ik maak een melding voor u aan en u hoort vandaag nog van ons.",
]
FALLBACK_NUMBERS = ["+31781234567", "+31612345678", "+31104567890", "+31207654321"]


@dataclass
class SimCall:
    call_id: str
    direction: str
    number: str
    start: float
    wait: float
    talk: float
    outcome: str  # answered, cancel, busy, forwarded
    queue: str
    agent: str

    def events(self, desk_number: str) -> list[tuple[float, dict]]:
        caller = "anonymous" if self.number == "anonymous" else self.number
        base = {
            "callId": self.call_id,
            "direction": self.direction,
            "from": caller if self.direction == "in" else desk_number,
            "to": desk_number if self.direction == "in" else caller,
            "queue": self.queue,
        }
        events = [(self.start, {**base, "event": "newCall", "user": [self.agent]})]
        if self.outcome == "answered":
            answered = self.start + self.wait
            events.append((answered, {**base, "event": "answer", "user": self.agent}))
            events.append(
                (
                    answered + self.talk,
                    {**base, "event": "hangup", "cause": "normalClearing"},
                )
            )
        else:
            cause = {"cancel": "cancel", "busy": "busy", "forwarded": "forwarded"}[self.outcome]
            events.append((self.start + self.wait, {**base, "event": "hangup", "cause": cause}))
        return events


def plan_calls(
    *, minutes: int, calls: int, agents: list[str], numbers: list[str], seed: int
) -> list[SimCall]:
    """Arrivals spread over the period; three in four answered, mostly within 25 seconds."""
    rng = random.Random(seed)
    planned = []
    for index in range(calls):
        start = rng.uniform(0, minutes * 60)
        roll = rng.random()
        outcome = (
            "answered"
            if roll < 0.75
            else "cancel"
            if roll < 0.88
            else "busy"
            if roll < 0.95
            else "forwarded"
        )
        direction = "out" if rng.random() < 0.1 else "in"
        if direction == "out":
            outcome = "answered" if outcome != "busy" else "busy"
        number = "anonymous" if direction == "in" and rng.random() < 0.08 else rng.choice(numbers)
        planned.append(
            SimCall(
                call_id=f"sim-{seed}-{index}-{uuid.uuid4().hex[:8]}",
                direction=direction,
                number=number,
                start=start,
                wait=rng.choice([rng.uniform(3, 25), rng.uniform(3, 25), rng.uniform(25, 90)]),
                talk=rng.uniform(45, 420),
                outcome=outcome,
                queue=rng.choice(["servicedesk", "servicedesk", "ict", "hr"]),
                agent=rng.choice(agents),
            )
        )
    return sorted(planned, key=lambda call: call.start)


def tone_wav(seconds: float = 2.0, rate: int = 8000) -> bytes:
    """A plain WAV (a soft two-tone beep) when espeak-ng is not installed."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        frames = b"".join(
            struct.pack(
                "<h", int(8000 * math.sin(2 * math.pi * (440 if i < rate else 660) * i / rate))
            )
            for i in range(int(seconds * rate))
        )
        writer.writeframes(frames)
    return buffer.getvalue()


def spoken_wav(text: str) -> bytes:
    """Dutch speech from espeak-ng, or a tone when it is missing."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return tone_wav()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "call.wav"
        subprocess.run(
            [espeak, "-v", "nl", "-w", str(target), text], check=True, capture_output=True
        )
        return target.read_bytes()


@dataclass
class Summary:
    events: int = 0
    calls: int = 0
    answered: int = 0
    missed: int = 0
    rejected: int = 0
    recordings: int = 0
    errors: list[str] = field(default_factory=list)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _multipart(content: bytes, filename: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def simulate(
    *,
    url: str,
    token: str,
    calls: list[SimCall],
    speed: float,
    recordings: bool,
    desk_number: str = "+31788001000",
    say: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> Summary:
    """Send every event at its (sped-up) time; upload a recording after each answered call."""
    base = url.rstrip("/")
    timeline = sorted(
        ((at, payload, call) for call in calls for at, payload in call.events(desk_number)),
        key=lambda item: item[0],
    )
    summary = Summary(calls=len(calls))
    audio = spoken_wav(" ".join(SENTENCES[:2])) if recordings else b""
    began = time.monotonic()
    for number, (at, payload, call) in enumerate(timeline, start=1):
        if speed > 0:
            delay = at / speed - (time.monotonic() - began)
            if delay > 0:
                sleep(delay)
        status, body = _post(
            f"{base}/api/v1/cti/{token}",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        summary.events += 1
        if status != 200:
            summary.errors.append(
                f"{payload['event']} {call.call_id}: HTTP {status} {body[:200]!r}"
            )
            if status == 401:
                say("The server does not accept this token: stopping.")
                break
            continue
        if json.loads(body or b"{}").get("action") == "reject":
            summary.rejected += 1
        if payload["event"] == "hangup":
            if call.outcome == "answered":
                summary.answered += 1
                if recordings:
                    data, content_type = _multipart(audio, f"{call.call_id}.wav")
                    status, body = _post(
                        f"{base}/api/v1/calls/{call.call_id}/recording",
                        data,
                        {"Content-Type": content_type, "Authorization": f"Bearer {token}"},
                    )
                    if status in (200, 201):
                        summary.recordings += 1
                    else:
                        summary.errors.append(f"recording {call.call_id}: HTTP {status}")
            elif call.direction == "in":
                summary.missed += 1
        if number % 20 == 0 or number == len(timeline):
            say(f"  {number}/{len(timeline)} events sent")
    return summary
