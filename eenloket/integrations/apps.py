from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "eenloket.integrations"
    verbose_name = "Koppelingen"
