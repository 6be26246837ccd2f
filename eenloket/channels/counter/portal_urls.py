"""The customer's appointments, under /portaal/afspraken/ (the portal links here)."""

from django.urls import path

from eenloket.channels.counter import views

app_name = "counter_portal"
urlpatterns = [
    path("", views.portal_appointments, name="list"),
    path("<int:appointment_id>/annuleren/", views.appointment_cancel, name="cancel"),
]
