"""Helpers for API tests: a client that sends an API key, in English unless told."""

from django.test import Client

from eenloket.integrations import services


class ApiClient(Client):
    def __init__(self, raw_key: str | None = None, language: str = "en"):
        headers = {"accept-language": language}
        if raw_key:
            headers["authorization"] = f"Bearer {raw_key}"
        super().__init__(headers=headers)

    def post_json(self, path: str, data=None, **extra):
        return self.post(path, data=data or {}, content_type="application/json", **extra)


def key_for(*, role: str, name: str = "Koppeling", language: str = "en", **scope):
    """A client acting with a new key of `role` (and department/organization/user)."""
    key, raw_key = services.apikey_create(actor=None, name=name, role=role, **scope)
    client = ApiClient(raw_key, language=language)
    client.key = key
    client.raw_key = raw_key
    return client
