from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "eenloket.portal"
