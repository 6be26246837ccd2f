"""Survey pages under /enquete/."""

from django.urls import path

from eenloket.surveys import views

app_name = "surveys"
urlpatterns = [
    path("medewerkers/", views.pulse, name="pulse"),
    path("medewerkers/resultaten/", views.pulse_results, name="pulse_results"),
    path("portaal/<str:number>/", views.portal_answer, name="portal_answer"),
    path("<str:number>/<str:token>/", views.answer, name="answer"),
]
