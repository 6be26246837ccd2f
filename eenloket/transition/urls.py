"""The transition pages under /werkplek/transitie/: Dutch paths, English view names."""

from django.urls import path

from eenloket.transition import views

app_name = "transition"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("afdelingen/<slug:code>/", views.department, name="department"),
    path("afdelingen/<slug:code>/fase/", views.set_phase, name="phase"),
    path("afdelingen/<slug:code>/checklist/", views.checklist_add, name="checklist_add"),
    path("checklist/<int:item_id>/", views.checklist_toggle, name="checklist_toggle"),
    path("diensten/<int:readiness_id>/", views.readiness, name="readiness"),
    path("groepen/<int:group_id>/", views.group, name="group"),
    path("groepen/<int:group_id>/ronde/", views.round_open, name="round_open"),
    path("groepen/<int:group_id>/acties/", views.action_create, name="action_create"),
    path("acties/<int:action_id>/klaar/", views.action_done, name="action_done"),
    path("rondes/<int:round_id>/sluiten/", views.round_close, name="round_close"),
    path("rondes/<int:round_id>/scores/", views.assess, name="assess"),
    path("mijn-adkar/", views.my_adkar, name="mine"),
    path("communicatie/", views.communication, name="communication"),
    path("communicatie/<int:message_id>/verstuurd/", views.message_sent, name="message_sent"),
    path("sponsors/", views.sponsors, name="sponsors"),
    path("sponsors/<int:sponsor_id>/", views.sponsor_act, name="sponsor_act"),
]
