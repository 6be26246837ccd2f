"""The JSON API root: /api/v1/, with each app's router mounted under it."""

from ninja import NinjaAPI

from eenloket.integrations import api_common

api = NinjaAPI(
    title="Eenloket API",
    version="1",
    description="The service desk's JSON API. Access rules are the same as in the pages. "
    "Authenticate with `Authorization: Bearer <key>` (see docs/api.md) or the browser session.",
    urls_namespace="api-v1",
    auth=api_common.auth,
)
api_common.install(api)
api.add_router("/knowledge", "eenloket.knowledge.api.router")
api.add_router("/", "eenloket.channels.phone.api.router")


@api.get("/health", auth=None, tags=["system"], summary="Liveness and database check")
def health(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


api.add_router("/", "eenloket.tickets.api.router")
api.add_router("/", "eenloket.directory.api.router")
api.add_router("/", "eenloket.catalog.api.router")
