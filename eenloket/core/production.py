"""What `eenloket serve` checks before it serves anyone: a production server never runs with
debug pages, a guessable signing key or a Host header it does not know."""

from __future__ import annotations

from django.conf import settings

KEY_HELP = (
    "set a long random SECRET_KEY, for example\n"
    "  export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""
)


def production_problems() -> list[str]:
    """Every reason the settings are unfit for a public server, each with its remedy."""
    problems = []
    key = settings.SECRET_KEY
    if not settings.SECRET_KEY_FROM_ENV:
        problems.append(
            "SECRET_KEY is not set in the environment. `eenloket serve` is the production "
            f"server and signs sessions with it: {KEY_HELP}"
        )
    elif (
        key == settings.DEMO_SECRET_KEY
        or key.startswith("django-insecure")
        or len(key) < 50
        or len(set(key)) < 5
    ):
        problems.append(
            "SECRET_KEY is too weak (the demo key, or shorter than 50 characters, or fewer "
            f"than 5 different characters): {KEY_HELP}"
        )
    if not settings.ALLOWED_HOSTS_FROM_ENV:
        problems.append(
            "ALLOWED_HOSTS is not set in the environment: list the host names this server "
            "answers to, e.g. ALLOWED_HOSTS=servicedesk.example.nl"
        )
    elif "*" in settings.ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS contains '*': name the host names this server answers to, so that "
            "a forged Host header cannot poison password-reset links or caches."
        )
    if settings.DEBUG:
        problems.append(
            "DEBUG is on: debug pages show settings and source code to anyone. Unset DEBUG."
        )
    return problems
