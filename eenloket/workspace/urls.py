"""The agent workspace under /werkplek/: Dutch paths, English view names."""

from django.urls import path

from eenloket.workspace import views

app_name = "workspace"

# One URL per action on a ticket; the names are the actions' names.
ACTION_PATHS = {
    "reply": "antwoorden",
    "note": "notitie",
    "assign": "toewijzen",
    "classify": "classificeren",
    "hand_over": "overdragen",
    "return": "terug-naar-eerste-lijn",
    "wait": "wachten-op-klant",
    "resolve": "oplossen",
    "close": "sluiten",
    "reopen": "heropenen",
}

urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.new_ticket, name="new"),
    path("nieuw/persoon/", views.new_person, name="new_person"),
    path("meldingen/<str:number>/", views.ticket_detail, name="ticket"),
    *(
        path(
            f"meldingen/<str:number>/{slug}/",
            views.ticket_action,
            {"action": name},
            name=name,
        )
        for name, slug in ACTION_PATHS.items()
    ),
]
