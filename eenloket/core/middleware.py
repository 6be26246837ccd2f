"""Security headers Django has no setting for, and the client's address behind a proxy.

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy,
XFrameOptionsMiddleware X-Frame-Options and django-csp the Content-Security-Policy; this adds
Permissions-Policy, so that a page (or something injected into one) cannot reach the camera,
the microphone or the location, and keeps stored files from being framed or read elsewhere.
"""

import contextlib
import ipaddress

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string


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


class MachineRequestMiddleware:
    """Requests from systems rather than people's browsers take a shorter middleware chain.

    A telephone exchange's events (`/api/v1/cti/<token>`), health probes and API calls with a
    Bearer key and no session cookie carry no session, no CSRF token and no messages, and get
    JSON back, not a page. Sessions, CSRF, messages, htmx, the login policy (it concerns
    sessions), django-axes (it concerns the login form) and the pages' Content-Security-Policy
    have nothing to do for them, yet cost about as much as an exchange's whole event
    (docs/phone.md, Throughput). They pass EENLOKET_MACHINE_MIDDLEWARE instead: security
    headers, the caller's language (API errors are in it), Content-Length and the access log.
    Their answer gets a fixed policy that allows nothing (JSON needs nothing) and
    X-Frame-Options.

    Comes right after ForwardedClientMiddleware, so both chains see the client's address.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = tuple(settings.EENLOKET_MACHINE_PATHS)
        self.machine = _MachineHandler(settings.EENLOKET_MACHINE_MIDDLEWARE)
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.policy = MACHINE_POLICY
        self.frame_options = settings.X_FRAME_OPTIONS

    def is_machine(self, request) -> bool:
        path = request.path_info
        if path.startswith(self.paths):
            return True
        # A key and no session: a browser's call, with its cookie, keeps the whole chain.
        return (
            path.startswith("/api/")
            and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
            and self.session_cookie not in request.COOKIES
        )

    def __call__(self, request):
        if not self.is_machine(request):
            return self.get_response(request)
        # What AuthenticationMiddleware would have set: nobody, until an API key says who.
        request.user = AnonymousUser()
        response = self.machine.chain(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("X-Frame-Options", self.frame_options)
        return response


MACHINE_POLICY = "default-src 'none'; frame-ancestors 'none'"


class _MachineHandler(BaseHandler):
    """Django's request handling (URL resolution, view middleware, the view, exception
    middleware) behind a middleware list of its own: BaseHandler.load_middleware always reads
    settings.MIDDLEWARE, so this is its loop for another list (synchronous, as we serve)."""

    def __init__(self, middleware: list[str]):
        super().__init__()
        self.middleware = middleware
        self.load_middleware()

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(self.middleware):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self.chain = handler
