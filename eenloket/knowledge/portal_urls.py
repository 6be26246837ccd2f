"""The public knowledge base in the portal under /portaal/kennisbank/."""

from django.urls import path

from eenloket.knowledge import portal_views

app_name = "kb_portal"
urlpatterns = [
    path("", portal_views.index, name="index"),
    path("suggesties/", portal_views.suggest, name="suggest"),
    path("<int:article_id>/", portal_views.article_detail, name="article"),
    path("<int:article_id>/beoordelen/", portal_views.feedback, name="feedback"),
    path("bijlagen/<int:attachment_id>/", portal_views.attachment, name="attachment"),
]
