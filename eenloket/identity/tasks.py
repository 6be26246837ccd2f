"""Housekeeping of the login records."""

import logging

from django.conf import settings
from django_tasks import task

from eenloket.identity import services

log = logging.getLogger(__name__)


@task()
def prune_login_records() -> None:
    """Delete django-axes' records of logins older than EENLOKET_LOGIN_RECORD_DAYS (personal
    data kept no longer than needed to look into an incident)."""
    removed = services.login_records_prune(days=settings.EENLOKET_LOGIN_RECORD_DAYS)
    log.info("pruned %d login records", removed)
