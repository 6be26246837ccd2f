"""Dashboards under /werkplek/rapportages/."""

from django.urls import path

from eenloket.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("afdeling/<slug:code>/", views.department, name="department"),
    path("export/<slug:table>.<str:fmt>", views.export, name="export"),
    path("abonnement/", views.subscribe, name="subscribe"),
    path("signalen/", views.alerts, name="alerts"),
    path("signalen/<int:alert_id>/", views.alert_action, name="alert_action"),
]
