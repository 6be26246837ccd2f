"""The counter under /balie/: Dutch paths, English view names."""

from django.urls import path

from eenloket.channels.counter import views

app_name = "counter"

# One URL per action on a visit; the names are the actions' names.
VISIT_ACTION_PATHS = {
    "recall": "opnieuw-oproepen",
    "no_show": "niet-verschenen",
    "serve": "helpen",
    "transfer": "doorverwijzen",
    "identify": "identificeren",
}

urlpatterns = [
    path("", views.desks, name="desks"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/volgnummer/<str:token>/", views.kiosk_number, name="kiosk_number"),
    path("kiosk/afspraak/", views.kiosk_check_in, name="kiosk_check_in"),
    path("bord/", views.board, name="board"),
    path("balies/<int:desk_id>/", views.desk, name="desk"),
    path("balies/<int:desk_id>/volgende/", views.desk_call_next, name="call_next"),
    *(
        path(f"bezoek/<int:visit_id>/{slug}/", views.visit_action, {"action": name}, name=name)
        for name, slug in VISIT_ACTION_PATHS.items()
    ),
    path("bezoek/<int:visit_id>/afronden/", views.visit_finish, name="finish"),
    path("afspraken/", views.appointments, name="appointments"),
    path("afspraken/<int:appointment_id>/annuleren/", views.appointment_cancel, name="cancel"),
    path("cijfers/", views.figures, name="figures"),
]
