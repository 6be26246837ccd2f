"""Security headers Django has no setting for.

Django's SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy,
XFrameOptionsMiddleware X-Frame-Options and django-csp the Content-Security-Policy; this adds
Permissions-Policy, so that a page (or something injected into one) cannot reach the camera,
the microphone or the location, and keeps stored files from being framed or read elsewhere.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.EENLOKET_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
