"""Security headers Django has no setting for, and the client's address behind a proxy.

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy,
XFrameOptionsMiddleware X-Frame-Options and django-csp the Content-Security-Policy; this adds
Permissions-Policy, so that a page (or something injected into one) cannot reach the camera,
the microphone or the location, and keeps stored files from being framed or read elsewhere.
"""

import contextlib
import ipaddress

from django.conf import settings


class ForwardedClientMiddleware:
    """Behind EENLOKET_TRUSTED_PROXIES reverse proxies, the client's address is the one the
    outermost trusted proxy saw: X-Forwarded-For's entry that many places from the right.
    Everything that reads REMOTE_ADDR (the lock-out of django-axes, the access log, the
    counter's screen networks, the security log) then sees the client and not the proxy.
    Entries further left were written by the client and are never trusted; without the
    setting (0) the header is ignored, so nobody can pick their own address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.EENLOKET_TRUSTED_PROXIES
        if proxies:
            forwarded = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(forwarded) >= proxies:
                # A malformed entry leaves the proxy's address.
                with contextlib.suppress(ValueError):
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded[-proxies]))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.EENLOKET_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
