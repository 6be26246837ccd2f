"""The administrator's privacy pages under /werkplek/privacy/."""

from django.urls import path

from eenloket.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("bewaartermijnen/", views.rule_save, name="rule_save"),
    path("bewaartermijnen/<int:rule_id>/verwijderen/", views.rule_delete, name="rule_delete"),
    path("proefdraai/", views.dry_run, name="dry_run"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("personen/", views.people, name="people"),
    path("personen/<int:person_id>/", views.person, name="person"),
    path("personen/<int:person_id>/wissen/", views.erase, name="erase"),
    path("export/<str:token>/", views.download, name="download"),
]
