"""The customer portal under /portaal/."""

from django.urls import path

from eenloket.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("nieuw/", views.new_request, name="new"),
    path("meldingen/<str:number>/", views.ticket_detail, name="ticket"),
    path("meldingen/<str:number>/reageren/", views.reply, name="reply"),
]
