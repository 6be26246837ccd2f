"""Login pages: password login (with lock-out), single sign-on per organization, and the
second factor (verification, enrolment, recovery codes)."""

import base64
import logging
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.utils import generate_code_challenge

from eenloket.core.redirects import safe_next_url
from eenloket.identity import selectors, services, sessions
from eenloket.identity.exceptions import (
    MfaCodeInvalid,
    MfaKeyUnreadable,
    MfaThrottled,
    ProviderMisconfigured,
    ProviderNotFound,
    SsoFailed,
)
from eenloket.identity.forms import CodeForm, EnrolForm, SsoEmailForm
from eenloket.identity.oidc import (
    ProviderBackend,
    discovery_document,
    end_session_url,
    endpoint_url,
    mfa_from_claims,
)

security_log = logging.getLogger("eenloket.security")

SSO_STATES = "eenloket_sso_states"
# The provider and ID token of a single sign-on login, for logging out there too.
SSO_LOGIN = "eenloket_sso_login"
SSO_STATE_SECONDS = 10 * 60
BACKEND = "eenloket.identity.oidc.ProviderBackend"


def _safe_next(request, value: str | None) -> str:
    return safe_next_url(request, value, fallback=resolve_url(settings.LOGIN_REDIRECT_URL))


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    """Username and password (django-axes counts the failures), and "log in with your
    organization" for organizations with single sign-on."""

    template_name = "identity/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = list(selectors.providers_for_login())
        context["sso_form"] = SsoEmailForm()
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The work-email form posts here and is redirected on to the provider: the page's CSP
        # (form-action 'self') must let that redirect reach the providers' own origins.
        origins = sorted(
            {f"{url.scheme}://{url.netloc}" for url in map(urlsplit, _issuers(context))}
        )
        if origins:
            response._csp_update = {"form-action": origins}
        return response


def _issuers(context) -> list[str]:
    return [p.issuer for p in context.get("providers", []) if p.issuer.startswith("http")]


def locked_out(request, response=None, credentials=None):
    """django-axes' answer once a username and address pair is locked: one message, whether
    or not the account exists."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    security_log.warning("login locked out: username %r from %s", username, _client_ip(request))
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": AuthenticationForm(request),
        "providers": list(selectors.providers_for_login()),
        "sso_form": SsoEmailForm(),
        "next": _safe_next(request, request.POST.get(REDIRECT_FIELD_NAME)),
        "locked_out": _(
            "Too many failed attempts to log in. For your safety, logging in with this "
            "username is blocked for %(minutes)d minutes. Try again later, or contact the "
            "service desk."
        )
        % {"minutes": minutes},
    }
    return render(request, "identity/login.html", context, status=429)


# --- single sign-on ----------------------------------------------------------------------------


@require_POST
def sso_find(request):
    """From a work email address to the organization's identity provider."""
    form = SsoEmailForm(request.POST)
    if form.is_valid():
        try:
            provider = selectors.provider_for_email(form.cleaned_data["email"])
        except ProviderNotFound as error:
            messages.error(request, error.message)
        else:
            query = urlencode({"next": request.POST.get("next", "")})
            return redirect(f"{resolve_url('identity:sso_start', slug=provider.slug)}?{query}")
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("login")


@require_GET
def sso_start(request, slug: str):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    try:
        provider = selectors.provider_by_slug(slug)
        endpoint = discovery_document(provider)["authorization_endpoint"]
    except (ProviderNotFound, ProviderMisconfigured) as error:
        messages.error(request, error.message)
        return redirect("login")
    state = get_random_string(32)
    nonce = get_random_string(32)
    verifier = get_random_string(64)
    now = time.time()
    states = {
        key: value
        for key, value in request.session.get(SSO_STATES, {}).items()
        if now - value["at"] < SSO_STATE_SECONDS
    }
    states[state] = {
        "provider": provider.pk,
        "nonce": nonce,
        "verifier": verifier,
        "at": now,
        "next": _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME)),
    }
    request.session[SSO_STATES] = states
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "scope": provider.scopes,
        "redirect_uri": request.build_absolute_uri(resolve_url("identity:sso_callback")),
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    return redirect(endpoint_url(endpoint, params))


def _sso_refused(request, reason: str, message) -> object:
    security_log.warning("SSO login refused from %s: %s", _client_ip(request), reason)
    messages.error(request, message)
    return redirect("login")


@require_GET
def sso_callback(request):
    """The provider sends the browser back here with a code (or an error) and the state."""
    state = request.GET.get("state", "")
    states = request.session.get(SSO_STATES, {})
    # Taken out at once: a state works for one answer only (no replay).
    pending = states.pop(state, None) if state else None
    request.session[SSO_STATES] = states
    if pending is None or time.time() - pending["at"] > SSO_STATE_SECONDS:
        return _sso_refused(
            request,
            "missing, unknown, expired or replayed state",
            _("This login link has expired or was already used. Please start again."),
        )
    if request.GET.get("error"):
        return _sso_refused(
            request,
            f"the provider answered {request.GET['error']!r}: "
            f"{request.GET.get('error_description', '')[:200]}",
            SsoFailed.default_message,
        )
    if not request.GET.get("code"):
        return _sso_refused(request, "no code in the answer", SsoFailed.default_message)
    try:
        provider = selectors.provider_by_id(pending["provider"])
        backend = ProviderBackend()
        user = backend.authenticate(
            request, provider=provider, nonce=pending["nonce"], code_verifier=pending["verifier"]
        )
    except SsoFailed as error:
        return _sso_refused(request, f"{error.reason}", error.message)
    except (ProviderNotFound, ProviderMisconfigured) as error:
        return _sso_refused(request, f"provider unavailable: {error.message}", error.message)
    login(request, user, backend=BACKEND)
    request.session[SSO_LOGIN] = {"provider": provider.pk, "id_token": backend.id_token}
    if mfa_from_claims(provider, backend.claims):
        sessions.mfa_mark_done(request, "idp")
    security_log.info("SSO login of %s through %s", user.username, provider.slug)
    return redirect(pending["next"])


@never_cache
@require_POST
def logout(request):
    """Log out; after a single sign-on login at the provider too, so that a shared PC (the
    counter's) is not left signed in there for the next person to log in with one click."""
    sso = request.session.get(SSO_LOGIN)
    username = request.user.get_username() if request.user.is_authenticated else ""
    auth_logout(request)
    back = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not sso:
        return redirect(back)
    try:
        provider = selectors.provider_by_id(sso["provider"])
    except ProviderNotFound:
        url = None
    else:
        url = end_session_url(
            provider, id_token=sso["id_token"], back=request.build_absolute_uri(back)
        )
    if url is None:
        security_log.warning(
            "SSO logout of %s: not at the provider (no end_session_endpoint, or unreachable)",
            username,
        )
        messages.warning(
            request,
            _(
                "You are logged out of Eenloket, but not of the sign-in service of your "
                "organization: close the browser to end that session too."
            ),
        )
        return redirect(back)
    return redirect(url)


# --- the second factor ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """Ask for the code of a login that has a second factor."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if sessions.mfa_done(request):
        return redirect(next_url)
    if not services.mfa_is_enrolled(user=request.user):
        return redirect("identity:mfa_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = services.mfa_verify(user=request.user, code=form.cleaned_data["code"])
        except (MfaCodeInvalid, MfaThrottled, MfaKeyUnreadable) as error:
            form.add_error("code", error.message)
        else:
            sessions.mfa_mark_done(request, method)
            if method == "recovery":
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; it no longer works. Make new recovery "
                        "codes if you are running out."
                    ),
                )
            return redirect(next_url)
    return render(request, "identity/mfa_verify.html", {"form": form, "next": next_url})


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request):
    """Switch on two-step verification: scan the QR code (or type the key), give a code,
    get the recovery codes once. Once on, only an administrator can switch it off."""
    enrolled = services.mfa_is_enrolled(user=request.user)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if enrolled and not sessions.mfa_done(request):
        return redirect(f"{resolve_url('identity:mfa_verify')}?{urlencode({'next': next_url})}")
    if enrolled:
        return render(
            request,
            "identity/mfa_status.html",
            {"required": selectors.mfa_required_by_role(request.user)},
        )
    device = services.mfa_totp_begin(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.mfa_totp_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except MfaCodeInvalid as error:
            form.add_error("code", error.message)
        else:
            sessions.mfa_mark_done(request, "totp")
            return render(
                request, "identity/mfa_recovery_codes.html", {"codes": codes, "next": next_url}
            )
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    secret = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return render(
        request,
        "identity/mfa_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": secret,
            "next": next_url,
            "required": selectors.mfa_required_by_role(request.user),
        },
    )


@login_required
@require_POST
def mfa_recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not sessions.mfa_done(request):
        return redirect("identity:mfa_verify")
    try:
        codes = services.mfa_recovery_codes_regenerate(user=request.user)
    except MfaCodeInvalid as error:
        messages.error(request, error.message)
        return redirect("identity:mfa_enrol")
    return render(
        request,
        "identity/mfa_recovery_codes.html",
        {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)},
    )
