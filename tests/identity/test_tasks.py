import datetime as dt

import pytest
import time_machine
from axes.models import AccessLog
from django.test import RequestFactory
from django.utils import timezone

from eenloket.identity.tasks import prune_login_records

pytestmark = pytest.mark.django_db


def test_login_records_older_than_the_limit_are_pruned(desk, settings):
    from django.contrib.auth import authenticate

    desk.agent.set_password("demo")
    desk.agent.save()
    start = timezone.now()
    with time_machine.travel(start - dt.timedelta(days=settings.EENLOKET_LOGIN_RECORD_DAYS + 1)):
        request = RequestFactory().post("/inloggen/")
        from django.contrib.auth import login
        from django.contrib.sessions.backends.db import SessionStore

        request.session = SessionStore()
        login(request, authenticate(request, username="servicedesk", password="demo"))
    request = RequestFactory().post("/inloggen/")
    request.session = SessionStore()
    login(request, authenticate(request, username="servicedesk", password="demo"))
    prune_login_records.call()
    assert AccessLog.objects.count() == 1
