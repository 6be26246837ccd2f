"""Survey pages under /enquete/."""

from django.urls import path

from eenloket.surveys import views

app_name = "surveys"
urlpatterns = [
    path("medewerkers/", views.pulse, name="pulse"),
    path("medewerkers/resultaten/", views.pulse_results, name="pulse_results"),
    path("medewerkers/rondes/", views.pulse_rounds, name="pulse_rounds"),
    path("medewerkers/rondes/<int:round_id>/", views.pulse_round, name="pulse_round"),
    path(
        "medewerkers/rondes/<int:round_id>/sluiten/",
        views.pulse_round_close,
        name="pulse_round_close",
    ),
    path("portaal/<str:number>/", views.portal_answer, name="portal_answer"),
    path("<str:number>/<str:token>/", views.answer, name="answer"),
]
