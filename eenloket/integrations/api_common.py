"""What every router of /api/v1/ shares: authentication, the one error body, idempotent
creates. The API root (eenloket/api.py) installs the handlers; routers import the rest."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security import django_auth as session_auth

from eenloket.core.exceptions import Conflict, EenloketError, NotAllowed, NotFound
from eenloket.integrations.exceptions import (
    IdempotencyKeyReused,
    NotAuthenticated,
    RateLimited,
)
from eenloket.integrations.services import apikey_authenticate, idempotent_create, rate_limit_check

__all__ = ["ERRORS", "ErrorOut", "PayloadTooLarge", "auth", "idempotent", "install"]

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """Every error: a stable code for programs, a message for people, errors per field."""

    code: str
    message: str
    field_errors: dict[str, list[str]] = {}


# Declared on every operation, so the OpenAPI document lists each answer a client can get.
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), ErrorOut)


class PayloadTooLarge(EenloketError):
    code = "too_large"
    default_message = gettext_lazy("The request is too large.")


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`: the request then acts as the key's login."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None  # no key: try the browser session
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = apikey_authenticate(token)
        rate_limit_check(key=key)
        request.user = key.user
        request.api_key = key
        return key.user


# A key first: a system sends no session cookie, and the session check demands CSRF.
auth = [ApiKeyAuth(), session_auth]


def _status(exc: EenloketError) -> int:
    for kind, status in (
        (NotAuthenticated, 401),
        (RateLimited, 429),
        (NotFound, 404),
        (NotAllowed, 403),
        (Conflict, 409),
        (PayloadTooLarge, 413),
        (IdempotencyKeyReused, 422),
    ):
        if isinstance(exc, kind):
            return status
    if exc.code in {"invalid_transition", "ticket_closed"}:
        return 409
    return 400


def _error(status: int, code: str, message: str, field_errors=None) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": str(message), "field_errors": field_errors or {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


# Pydantic's own messages are English only; these are the ones a client meets.
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "string_type": gettext_lazy("Must be text."),
    "string_too_long": gettext_lazy("Too long."),
    "string_too_short": gettext_lazy("Too short."),
    "int_type": gettext_lazy("Must be a whole number."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_from_float": gettext_lazy("Must be a whole number."),
    "bool_type": gettext_lazy("Must be true or false."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "literal_error": gettext_lazy("Not one of the allowed values."),
    "enum": gettext_lazy("Not one of the allowed values."),
    "dict_type": gettext_lazy("Must be an object."),
    "model_attributes_type": gettext_lazy("Must be an object."),
    "greater_than_equal": gettext_lazy("Too small."),
    "less_than_equal": gettext_lazy("Too large."),
}
# The first part of a location says where the value came from, not which field it is.
_SOURCES = {"body", "query", "path", "header", "form", "file", "cookie"}


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _SOURCES:
            location = location[1:]
        # ninja wraps a body in its parameter's name (`payload`); clients never see it.
        if len(location) > 1 and location[0] == "payload":
            location = location[1:]
        name = ".".join(location) or "body"
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), gettext_lazy("Invalid value."))
        fields.setdefault(name, []).append(str(message))
    return fields


def install(api) -> None:
    """Every error the API gives goes out in one body: {code, message, field_errors}."""

    @api.exception_handler(EenloketError)
    def business_error(request, exc: EenloketError):
        response = _error(_status(exc), exc.code, exc.message, exc.field_errors)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, NotAuthenticated):
            response["WWW-Authenticate"] = 'Bearer realm="eenloket"'
        return response

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc: ValidationError):
        return _error(
            400, "invalid", _("Please correct the errors below."), _field_errors(exc.errors)
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        response = _error(401, NotAuthenticated.code, NotAuthenticated.default_message)
        response["WWW-Authenticate"] = 'Bearer realm="eenloket"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403:
            return _error(403, "csrf_failed", _("The CSRF check failed: reload the page."))
        if "parse" in str(exc):
            return _error(400, "malformed", _("The request body is not valid JSON."))
        return _error(exc.status_code, "error", str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(404, "not_found", _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return _error(413, PayloadTooLarge.code, PayloadTooLarge.default_message)

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        return _error(413, PayloadTooLarge.code, PayloadTooLarge.default_message)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        if settings.DEBUG:
            raise exc
        return _error(500, "server_error", _("Something went wrong on our side."))


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.FILES or request.content_type == "multipart/form-data":
        # A retried upload has a new multipart boundary: compare the fields and the files.
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(name.encode() + upload.name.encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotent(
    request: HttpRequest, key: str | None, create: Callable[[], tuple[int, dict[str, Any]]]
) -> HttpResponse:
    """Answer a create; with an Idempotency-Key a retry gets the first answer again."""
    request_hash = _request_hash(request) if key is not None else ""
    status, body, replayed = idempotent_create(
        user=request.user, key=key, request_hash=request_hash, create=create
    )
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def check_size(request: HttpRequest, limit: int) -> None:
    """Refuse a body over `limit` bytes before reading it."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(
            _("The request is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
