"""Reads of the identity app."""

from django.db.models import QuerySet

from eenloket.directory.roles import STAFF_ROLES
from eenloket.identity.exceptions import ProviderNotFound
from eenloket.identity.models import IdentityProvider


def providers_for_login() -> QuerySet[IdentityProvider]:
    """The active providers, for the "log in with ..." buttons (public: names only)."""
    return IdentityProvider.objects.filter(is_active=True).only("name", "slug").order_by("name")


def provider_by_slug(slug: str) -> IdentityProvider:
    provider = (
        IdentityProvider.objects.select_related("organization")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if provider is None:
        raise ProviderNotFound()
    return provider


def provider_by_id(provider_id: int) -> IdentityProvider:
    provider = (
        IdentityProvider.objects.select_related("organization")
        .filter(pk=provider_id, is_active=True)
        .first()
    )
    if provider is None:
        raise ProviderNotFound()
    return provider


def provider_for_email(email: str) -> IdentityProvider:
    """The provider whose email domains include the address's domain."""
    domain = (email or "").strip().lower().rpartition("@")[2]
    if domain:
        for provider in IdentityProvider.objects.filter(is_active=True).select_related(
            "organization"
        ):
            if domain in provider.domains:
                return provider
    raise ProviderNotFound(
        # Said the same way for every address: it tells only that no SSO is configured.
    )


def mfa_required_by_role(user) -> bool:
    """Staff (every role but customer) and anyone with the Django admin need a second
    factor; customers may switch it on."""
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser
