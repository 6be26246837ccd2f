"""OpenID Connect with a provider per organization, on mozilla-django-oidc's backend.

mozilla-django-oidc reads one provider from the settings; here every organization has its own
(`IdentityProvider`), so the backend is configured per login from the provider's discovery
document. Its token exchange, JWKS lookup and userinfo call are reused; the ID token check is
stricter than the library's (it verifies the signature and nonce only): audience, issuer,
expiry and issue time are required and checked too.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from eenloket.identity import services
from eenloket.identity.credentials import client_secret_of
from eenloket.identity.exceptions import ProviderMisconfigured, SsoFailed

security_log = logging.getLogger("eenloket.security")

# Asymmetric algorithms only: HS256 with the client secret invites key confusion.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "ES256", "ES384")
DISCOVERY_CACHE_SECONDS = 3600


def discovery_document(provider) -> dict:
    """The provider's /.well-known/openid-configuration, kept an hour."""
    issuer = provider.issuer.rstrip("/")
    key = f"identity:discovery:{issuer}"
    document = cache.get(key)
    if document is not None:
        return document
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.EENLOKET_OIDC_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        security_log.error(
            "SSO %s: discovery document %s unavailable: %s", provider.slug, url, error
        )
        raise ProviderMisconfigured() from None
    missing = {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"} - set(document)
    if missing or str(document["issuer"]).rstrip("/") != issuer:
        security_log.error(
            "SSO %s: discovery document of %s is unusable (missing %s, issuer %r)",
            provider.slug,
            url,
            sorted(missing),
            document.get("issuer"),
        )
        raise ProviderMisconfigured()
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def end_session_url(provider, *, id_token: str, back: str) -> str | None:
    """Where to send the browser to log out at the provider too (OpenID Connect
    RP-Initiated Logout), back to `back` afterwards; None when the provider offers no
    `end_session_endpoint` or cannot be reached (the local logout stands either way)."""
    try:
        endpoint = discovery_document(provider).get("end_session_endpoint")
    except ProviderMisconfigured:
        return None
    if not endpoint:
        return None
    return endpoint_url(
        endpoint,
        {
            "id_token_hint": id_token,
            "client_id": provider.client_id,
            "post_logout_redirect_uri": back,
        },
    )


def endpoint_url(endpoint: str, params: dict) -> str:
    """A provider's endpoint with these parameters added (it may come with a query of its
    own: Azure AD B2C's carry `?p=<policy>`)."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def mfa_from_claims(provider, claims: dict) -> bool:
    """Did the provider do a second factor? Its `amr` claim says so, or it always does."""
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    return provider.enforces_mfa or bool({"mfa", "otp"} & {str(m).lower() for m in methods})


class ProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of one provider's authorization code flow.

    `authenticate()` answers None unless it is called with a provider (so a password login
    never reaches it) and raises SsoFailed with the reason when the provider's answer does
    not hold up. After a login, `claims` holds the verified claims.
    """

    def __init__(self, *args, **kwargs):
        # Nothing from the settings: the provider comes with each login.
        self.UserModel = get_user_model()
        self.claims: dict = {}
        self.id_token = ""

    def get_user(self, user_id):
        # The library's get_user skips the is_active check that ModelBackend makes.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def configure(self, provider) -> None:
        document = discovery_document(provider)
        self.provider = provider
        self.issuer = document["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = client_secret_of(provider)
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, provider=None, nonce=None, code_verifier=None, **kwargs):
        if request is None or provider is None:
            return None
        self.request = request
        self.configure(provider)
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": request.GET.get("code", ""),
            "redirect_uri": request.build_absolute_uri(reverse("identity:sso_callback")),
        }
        if code_verifier:
            payload["code_verifier"] = code_verifier
        try:
            token_info = self.get_token(payload)
        except (requests.RequestException, ValueError) as error:
            raise SsoFailed(f"token request refused: {error}") from None
        id_token = token_info.get("id_token")
        if not id_token:
            raise SsoFailed("the token response has no id_token")
        claims = self.verify_token(id_token, nonce=nonce)
        self.id_token = id_token  # the hint for logging out at the provider later
        userinfo = {}
        access_token = token_info.get("access_token")
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            try:
                userinfo = self.get_userinfo(access_token, id_token, claims)
            except (requests.RequestException, ValueError, SsoFailed) as error:
                raise SsoFailed(f"userinfo request failed: {error}") from None
            if userinfo.get("sub") != claims["sub"]:
                raise SsoFailed("the userinfo subject differs from the ID token's")
        # The signed ID token wins over the userinfo answer.
        self.claims = {**userinfo, **claims}
        return services.sso_user_from_claims(provider=provider, claims=self.claims)

    def verify_token(self, token, **kwargs):
        """Signature (a key from the provider's JWKS), audience, issuer, expiry, nonce."""
        nonce = kwargs.get("nonce")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise SsoFailed("the ID token is not a JWT") from None
        algorithm = header.get("alg")
        if algorithm not in SIGNING_ALGORITHMS:
            raise SsoFailed(f"the ID token's algorithm {algorithm!r} is not accepted")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError):
            raise SsoFailed("no key of the provider's JWKS matches the ID token") from None
        except (requests.RequestException, ValueError) as error:
            raise SsoFailed(f"the provider's JWKS is unavailable: {error}") from None
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=settings.EENLOKET_OIDC_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SsoFailed("the ID token has expired") from None
        except jwt.InvalidAudienceError:
            raise SsoFailed("the ID token is for another audience") from None
        except jwt.InvalidIssuerError:
            raise SsoFailed("the ID token is from another issuer") from None
        except jwt.InvalidSignatureError:
            raise SsoFailed("the ID token's signature is not valid") from None
        except jwt.InvalidTokenError as error:
            raise SsoFailed(f"the ID token is not valid: {error}") from None
        if not nonce or claims.get("nonce") != nonce:
            raise SsoFailed("the ID token's nonce does not match this login")
        return claims
