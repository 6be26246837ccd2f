"""The phone channel's API: the exchange's Generic CTI events and call recordings.

Self-contained: its own authentication (the exchange's token; a staff session for uploads by
an agent) and its own error bodies ({"detail", "code", "errors"}).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.security import HttpBearer, django_auth

from eenloket.channels.phone import services
from eenloket.channels.phone.exceptions import InvalidEvent, InvalidToken, RecordingTooLarge
from eenloket.channels.phone.models import CtiToken
from eenloket.core.exceptions import Conflict, EenloketError, NotAllowed, NotFound

router = Router(tags=["phone"])


class CtiBearer(HttpBearer):
    """`Authorization: Bearer <exchange token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> CtiToken | None:
        try:
            return services.cti_token_check(token)
        except InvalidToken:
            return None


def _error(exc: EenloketError) -> Status:
    if isinstance(exc, InvalidToken):
        status = 401
    elif isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, Conflict):
        status = 409
    elif isinstance(exc, NotAllowed):
        status = 403
    elif isinstance(exc, RecordingTooLarge):
        status = 413
    else:
        status = 400
    body: dict[str, Any] = {"detail": str(exc.message), "code": exc.code}
    if exc.field_errors:
        body["errors"] = {key: [str(m) for m in msgs] for key, msgs in exc.field_errors.items()}
    return Status(status, body)


def _payload(request: HttpRequest) -> dict[str, Any]:
    """JSON or form data; a repeated form field (user, user[]) becomes a list."""
    content_type = (request.content_type or "").lower()
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise InvalidEvent("The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise InvalidEvent("The body must be a JSON object.")
        return data
    data: dict[str, Any] = {}
    for key, values in request.POST.lists():
        name = key.removesuffix("[]")
        data[name] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return data


ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 413: dict}


@router.post(
    "/cti/{token}",
    auth=None,
    response={200: dict, **ERRORS},
    summary="Receive a telephone-exchange event (Generic CTI)",
    description=(
        "Events newCall, answer and hangup with the fields event, from, to, direction, callId, "
        "user, queue, answeringNumber and cause, as JSON or form data. Answers {} or, for a "
        'blocked number, {"action": "reject", "reason": "busy"}. An answer or hangup for an '
        "unknown callId is a 404; a repeated event changes nothing."
    ),
)
def cti_event(request: HttpRequest, token: str):
    try:
        cti_token = services.cti_token_check(token)
        answer = services.cti_event_receive(token=cti_token, data=_payload(request))
    except EenloketError as exc:
        return _error(exc)
    # Written here rather than validated and rendered by ninja: the answer is one of two
    # fixed bodies, and the exchange's events are the busiest path there is.
    return HttpResponse(json.dumps(answer), content_type="application/json; charset=utf-8")


def _upload_bytes(request: HttpRequest) -> bytes:
    """The recording: the multipart field `file`, or the raw body of an audio/* request."""
    limit = settings.EENLOKET_PHONE_MAX_RECORDING_BYTES
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > limit:
            services.recording_check(content=b"", size=upload.size)
        return upload.read()
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > limit:
        services.recording_check(content=b"", size=length)
    content = request.read(limit + 1)
    if len(content) > limit:
        services.recording_check(content=content)
    return content


@router.post(
    "/calls/{call_id}/recording",
    auth=[CtiBearer(), django_auth],
    response={200: dict, 201: dict, **ERRORS},
    summary="Upload the recording of a call (WAV, MP3 or Ogg)",
    description=(
        "The exchange (Bearer token) or an agent (session) sends the audio as the multipart "
        "field `file` or as the raw body. The type is checked by content; the size limit is "
        "EENLOKET_PHONE_MAX_RECORDING_BYTES. Sending the same file again is harmless (200)."
    ),
)
def call_recording(request: HttpRequest, call_id: str):
    auth = request.auth
    token = auth if isinstance(auth, CtiToken) else None
    actor = None if token is not None else request.user
    try:
        content = _upload_bytes(request)
        recording, created = services.recording_store(
            call_id=call_id, content=content, token=token, actor=actor
        )
    except EenloketError as exc:
        return _error(exc)
    body = {
        "callId": call_id,
        "recording": recording.pk,
        "contentType": recording.content_type,
        "size": recording.size,
        "sha256": recording.sha256,
    }
    return Status(201 if created else 200, body)
