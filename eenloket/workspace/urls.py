from django.urls import path

from eenloket.workspace import views

app_name = "workspace"
urlpatterns = [path("", views.queue, name="queue")]
