"""The mail pages of the workspace under /werkplek/mail/: Dutch paths, English view names."""

from django.urls import path

from eenloket.channels.email import views

app_name = "email_channel"

urlpatterns = [
    path("<int:inbound_id>/html/", views.mail_frame, name="frame"),
    path(
        "<int:inbound_id>/externe-afbeeldingen/",
        views.remote_images_allow,
        name="remote_images",
    ),
]
