from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path


def log_in(request):
    """A bare login form for the test browser (no CSRF: the provider lives in a test)."""
    user = authenticate(
        request, username=request.POST.get("username"), password=request.POST.get("password")
    )
    if user is None:
        return HttpResponse("wrong password", status=403)
    login(request, user)
    return HttpResponseRedirect(request.GET.get("next") or "/")


urlpatterns = [
    path("login/", log_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
