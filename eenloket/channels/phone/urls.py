"""The phone pages under /werkplek/telefonie/: Dutch paths, English view names."""

from django.urls import path

from eenloket.channels.phone import views

app_name = "phone"

urlpatterns = [
    path("", views.call_log, name="calls"),
    path("gemist/", views.missed_calls, name="missed"),
    path("live/", views.live, name="live"),
    path("gesprekken/<str:call_id>/", views.call_detail, name="call"),
    path("gesprekken/<str:call_id>/koppelen/", views.call_link, name="link"),
    path("gesprekken/<str:call_id>/afgehandeld/", views.missed_call_done, name="done"),
    path("opnamen/<int:recording_id>/", views.recording_play, name="recording"),
    path("opnamen/<int:recording_id>/vasthouden/", views.recording_hold, name="recording_hold"),
    path(
        "opnamen/<int:recording_id>/vrijgeven/", views.recording_release, name="recording_release"
    ),
]
