from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "eenloket.reports"
    label = "reports"
