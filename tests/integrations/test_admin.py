"""The administrator makes a key in /beheer/ and sees it once."""

import pytest
from django.urls import reverse

from eenloket.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def test_the_new_key_is_shown_once_on_the_page(client, desk):
    client.force_login(desk.admin)
    response = client.post(
        reverse("admin:integrations_apikey_add"),
        {"name": "CRM", "role": "first_line", "rate_limit_per_minute": 600},
    )
    key = ApiKey.objects.get()
    assert (response.status_code, f"elk_{key.prefix}_" in response.content.decode()) == (200, True)


def test_a_scope_that_does_not_fit_is_a_form_error(client, desk):
    client.force_login(desk.admin)
    response = client.post(
        reverse("admin:integrations_apikey_add"),
        {"name": "HR", "role": "specialist", "rate_limit_per_minute": 600},
    )
    assert (
        "A specialist key needs a department." in response.content.decode(),
        ApiKey.objects.count(),
    ) == (
        True,
        0,
    )


def test_the_key_page_does_not_show_the_key_again(client, desk):
    from eenloket.integrations import services

    key, raw_key = services.apikey_create(actor=None, name="CRM", role="first_line")
    client.force_login(desk.admin)
    response = client.get(reverse("admin:integrations_apikey_change", args=[key.pk]))
    assert (response.status_code, raw_key in response.content.decode()) == (200, False)


def test_revoking_from_the_list(client, desk):
    from eenloket.integrations import services

    key, _ = services.apikey_create(actor=None, name="CRM", role="first_line")
    client.force_login(desk.admin)
    client.post(
        reverse("admin:integrations_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_webhook_subscription_gets_a_secret_when_none_is_given(client, desk):
    from eenloket.integrations.models import WebhookSubscription

    client.force_login(desk.admin)
    client.post(
        reverse("admin:integrations_webhooksubscription_add"),
        {"name": "CRM", "url": "https://crm.example/hook", "events": ["ticket.opened"],
         "is_active": "on"},
    )  # fmt: skip
    assert len(WebhookSubscription.objects.get().secret) >= 32


def test_the_api_docs_page_loads_its_scripts_from_this_server(client, desk):
    client.force_login(desk.agent)
    page = client.get("/api/v1/docs").content.decode()
    assert ("/static/ninja/swagger-ui-bundle.js" in page, "cdn." in page) == (True, False)
