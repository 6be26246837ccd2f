"""Where a form sends the user back to: never a place the request itself may choose freely."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, value: str | None, *, fallback: str) -> str:
    """`value` if it is a URL of this site (same host, and HTTPS when the request was), else
    `fallback`: a `next` parameter must not turn Eenloket into an open redirect."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return fallback
