"""The customer portal under /portaal/."""

from django.urls import path

from eenloket.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("nieuw/", views.catalogue, name="new"),
    path("diensten/<str:service_id>/", views.request_form, name="request"),
    path("meldingen/", views.my_requests, name="requests"),
    path("meldingen/<str:number>/", views.ticket_detail, name="ticket"),
    path("meldingen/<str:number>/ontvangen/", views.received, name="received"),
    path("meldingen/<str:number>/reageren/", views.reply, name="reply"),
    path("meldingen/<str:number>/opgelost/", views.mark_solved, name="solved"),
    path("meldingen/<str:number>/heropenen/", views.reopen, name="reopen"),
]
