from django.contrib import admin
from django.urls import include, path

from eenloket import views
from eenloket.api import api
from eenloket.identity import views as identity_views

admin.site.site_header = "Eenloket"
admin.site.site_title = "Eenloket"

urlpatterns = [
    # First: systems call the API most (the exchange's events, integrations).
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("inloggen/", identity_views.LoginView.as_view(), name="login"),
    path("inloggen/", include("eenloket.identity.urls")),
    path("uitloggen/", identity_views.logout, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("werkplek/transitie/", include("eenloket.transition.urls")),
    path("werkplek/kennisbank/", include("eenloket.knowledge.urls")),
    path("portaal/kennisbank/", include("eenloket.knowledge.portal_urls")),
    path("werkplek/telefonie/", include("eenloket.channels.phone.urls")),
    path("werkplek/rapportages/", include("eenloket.reports.urls")),
    path("werkplek/privacy/", include("eenloket.privacy.urls")),
    path("werkplek/logboek/", include("eenloket.accesslog.urls")),
    path("werkplek/mail/", include("eenloket.channels.email.urls")),
    path("werkplek/", include("eenloket.workspace.urls")),
    path("enquete/", include("eenloket.surveys.urls")),
    path("portaal/afspraken/", include("eenloket.channels.counter.portal_urls")),
    path("portaal/", include("eenloket.portal.urls")),
    path("balie/", include("eenloket.channels.counter.urls")),
    path("beheer/", admin.site.urls),
]
