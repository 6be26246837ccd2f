"""Login policy for every request: session expiry (idle and absolute) and the second factor.

An authenticated staff session without a second factor reaches only the verification and
enrolment pages and logout; the admin site and the API included.
"""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.identity import sessions
from eenloket.identity.selectors import mfa_required_by_role
from eenloket.identity.services import mfa_is_enrolled

security_log = logging.getLogger("eenloket.security")


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx swaps fragments: make it load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(request, url: str) -> str:
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = settings.EENLOKET_SESSION_IDLE_SECONDS
        absolute = settings.EENLOKET_SESSION_MAX_SECONDS
        mfa = settings.EENLOKET_MFA_REQUIRED
        if not (idle or absolute or mfa) or not request.user.is_authenticated:
            return self.get_response(request)
        if idle or absolute:
            expired = self._expired(request, idle=idle, absolute=absolute)
            if expired is not None:
                return expired
        if mfa and not self._open_path(request.path) and self._needs_mfa(request):
            return self._ask_for_mfa(request)
        return self.get_response(request)

    def _expired(self, request, *, idle: int, absolute: int) -> HttpResponse | None:
        session = request.session
        now = time.time()
        login_at = session.get(sessions.LOGIN_AT)
        seen_at = session.get(sessions.SEEN_AT)
        if login_at is None or seen_at is None:
            # A session from before this policy: start counting now.
            session[sessions.LOGIN_AT] = session[sessions.SEEN_AT] = now
            return None
        too_old = absolute and now - login_at > absolute
        too_idle = idle and now - seen_at > idle
        if too_old or too_idle:
            username = request.user.get_username()
            logout(request)
            security_log.info(
                "session of %s expired (%s)", username, "absolute" if too_old else "idle"
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Your session has expired.")}, status=401)
            messages.warning(request, _("Your session has expired. Please log in again."))
            return _redirect(request, _with_next(request, reverse("login")))
        if now - seen_at > sessions.SEEN_GRANULARITY_SECONDS:
            session[sessions.SEEN_AT] = now
        return None

    def _open_path(self, path: str) -> bool:
        return path.startswith(
            (
                reverse("identity:mfa_verify"),
                reverse("identity:mfa_enrol"),
                reverse("logout"),
                "/" + settings.STATIC_URL.lstrip("/"),
                "/i18n/",
            )
        )

    def _needs_mfa(self, request) -> bool:
        if sessions.mfa_done(request):
            return False
        user = request.user
        if mfa_required_by_role(user):
            return True
        # A customer who switched it on must give it too; remember the "no" per role.
        marker = f"{user.pk}:{user.role}"
        if request.session.get(sessions.MFA_NOT_NEEDED) == marker:
            return False
        if mfa_is_enrolled(user=user):
            return True
        request.session[sessions.MFA_NOT_NEEDED] = marker
        return False

    def _ask_for_mfa(self, request) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-step verification is required. Log in again.")}, status=403
            )
        if mfa_is_enrolled(user=request.user):
            target = reverse("identity:mfa_verify")
        else:
            target = reverse("identity:mfa_enrol")
        return _redirect(request, _with_next(request, target))
