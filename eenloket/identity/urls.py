from django.urls import path

from eenloket.identity import views

app_name = "identity"

urlpatterns = [
    # The callback comes first: no provider code can shadow it.
    path("sso/terug/", views.sso_callback, name="sso_callback"),
    path("sso/zoeken/", views.sso_find, name="sso_find"),
    path("sso/<slug:slug>/", views.sso_start, name="sso_start"),
    path("tweestaps/", views.mfa_verify, name="mfa_verify"),
    path("tweestaps/instellen/", views.mfa_enrol, name="mfa_enrol"),
    path("tweestaps/herstelcodes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
]
