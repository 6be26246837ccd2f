from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "eenloket.knowledge"
