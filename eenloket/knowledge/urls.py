"""Knowledge pages for staff under /werkplek/kennisbank/."""

from django.urls import path

from eenloket.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.propose, name="propose"),
    path("voorstellen/", views.proposals, name="proposals"),
    path("verouderd/", views.stale, name="stale"),
    path("cijfers/", views.figures, name="figures"),
    path("bijlagen/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:article_id>/", views.article_detail, name="article"),
    path("<int:article_id>/wijzigen/", views.edit, name="edit"),
    path("<int:article_id>/versies/", views.versions, name="versions"),
    path("<int:article_id>/eigenaar/", views.owner, name="owner"),
    path("verhuizingen/<int:transfer_id>/", views.transfer_decide, name="transfer_decide"),
    path("<int:article_id>/versies/<int:number>/", views.version_detail, name="version"),
    path("<int:article_id>/versies/<int:number>/beoordelen/", views.decide, name="decide"),
    path("melding/<str:number>/", views.ticket_panel, name="panel"),
    path("melding/<str:number>/koppelen/<int:article_id>/", views.ticket_link, name="link"),
]
