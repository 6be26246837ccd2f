"""The Django admin (/beheer/) opens every model's list, and tickets stay read-only there."""

import pytest
from django.contrib import admin
from django.urls import reverse

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model.__module__.startswith("eenloket.")
)
# Kept out of the admin on purpose, with the reason.
NOT_IN_ADMIN = {
    # Individual ADKAR scores: only the person, their supervisor and the change lead see them.
    ("transition", "assessment"),
    # A view counter, shown on the article's page and in the figures; nothing to edit.
    ("knowledge", "articleviews"),
}


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_the_administrator_opens_every_list(client, desk, it_ticket, app, model):
    client.force_login(desk.admin)
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


def test_every_eenloket_model_is_in_the_admin():
    from django.apps import apps

    ours = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m.__module__.startswith("eenloket.")
    }
    assert ours - set(MODELS) == NOT_IN_ADMIN


def test_a_ticket_cannot_be_edited_in_the_admin(client, desk, it_ticket):
    client.force_login(desk.admin)
    url = reverse("admin:tickets_ticket_change", args=[it_ticket.pk])
    response = client.post(url, {"title": "Gewijzigd via admin"})
    it_ticket.refresh_from_db()
    assert (response.status_code, it_ticket.title) == (403, "Laptop start niet op")


def test_a_first_line_agent_has_no_admin(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
