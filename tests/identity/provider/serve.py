"""Start the test provider: `python -m tests.identity.provider.serve PORT` with TEST_OP_DIR
(config.json, key.pem) and TEST_OP_ISSUER set. Prints "ready" once it listens."""

import json
import os
import sys
from pathlib import Path


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity.provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import (
        WSGIRequestHandler,
        WSGIServer,
        get_internal_wsgi_application,
    )
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    config = json.loads((Path(os.environ["TEST_OP_DIR"]) / "config.json").read_text())
    for username, person in config["users"].items():
        User.objects.create_user(username=username, password=person["password"])
    client = config["client"]
    Application.objects.create(
        name="Eenloket",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = WSGIServer(("127.0.0.1", port), QuietHandler)
    server.set_app(get_internal_wsgi_application())
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
