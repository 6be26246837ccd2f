from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "eenloket.core"
    verbose_name = "Eenloket core"
