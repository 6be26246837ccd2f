"""The access log under /werkplek/logboek/ (administrators)."""

from django.urls import path

from eenloket.accesslog import views

app_name = "accesslog"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", views.export, name="export"),
]
