"""The JSON API root: /api/v1/, with each app's router mounted under it."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Eenloket API",
    version="1",
    description="The service desk's JSON API. Access rules are the same as in the pages.",
    urls_namespace="api-v1",
    auth=django_auth,
)
api.add_router("/", "eenloket.channels.phone.api.router")


@api.get("/health", auth=None, tags=["system"], summary="Liveness and database check")
def health(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}
