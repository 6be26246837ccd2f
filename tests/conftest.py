"""The small world most tests start from: one central desk, IT and HR, every role."""

import os
import tempfile
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from eenloket.core import refcache
from eenloket.core.calendars import forget_calendar
from eenloket.directory.roles import Role
from eenloket.tickets import services
from tests import factories as f
from tests.factories import TUESDAY_10

# The machine that runs the tests is shared: no deadline per example and no "too slow"
# health check, or a busy moment turns a law that holds into a flaky failure.
hypothesis_settings.register_profile(
    "eenloket", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("eenloket")


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


def pytest_configure(config):
    from django.conf import settings

    # Login passwords are hashed thousands of times in a run: the slow hasher adds minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # whitenoise warns about a missing static root on a fresh clone; tests need none.
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="eenloket-static-")
    # The login policy (docs/identity.md) is off for the suite: its tests log in with
    # `client.force_login`, which gives no second factor, and travel in time (time-machine)
    # past any session expiry. tests/identity switches both on with the `login_policy`
    # fixture and tests them there.
    settings.EENLOKET_MFA_REQUIRED = False
    settings.EENLOKET_SESSION_IDLE_SECONDS = 0
    settings.EENLOKET_SESSION_MAX_SECONDS = 0


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` only make sense there (SQLite serializes all writers); tests
    marked `sqlite` only on SQLite (its own full-text table). The others are deselected, not
    skipped: under EENLOKET_REQUIRE_SERVICES=1 a skip fails."""
    from django.conf import settings

    other = "sqlite" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "postgresql"
    kept = [item for item in items if item.get_closest_marker(other) is None]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With EENLOKET_REQUIRE_SERVICES=1 (CI) a skipped test is a failed test."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("EENLOKET_REQUIRE_SERVICES") == "1":
        report.outcome = "failed"
        report.longrepr = f"skipped, but EENLOKET_REQUIRE_SERVICES=1: {report.longrepr}"


def pytest_sessionstart(session):
    from django.conf import settings

    wants_postgres = bool(os.environ.get("DATABASE_URL"))
    engine = settings.DATABASES["default"]["ENGINE"]
    if wants_postgres and "postgresql" not in engine:
        pytest.exit(f"DATABASE_URL is set but the engine is {engine}", returncode=3)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    forget_calendar()
    refcache.forget()
    yield
    forget_calendar()
    refcache.forget()


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs `collectstatic`; pages under test only need the URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # LocaleMiddleware leaves the request's language active for the thread; later tests that
    # call services directly expect the default (Dutch) messages.
    yield
    translation.deactivate()


@pytest.fixture
def client():
    """Pages in English, so assertions read like the source strings (Dutch is tested apart)."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@dataclass
class Desk:
    calendar: object
    policy: object
    it: object
    hr: object
    first_line_queue: object
    it_queue: object
    hr_queue: object
    organization: object
    laptop: object  # IT service, first line then department
    payslip: object  # HR service, straight to the department
    customer: object  # a user with a person record
    person: object
    agent: object
    it_specialist: object
    hr_specialist: object
    team_lead: object
    change_lead: object
    admin: object


@pytest.fixture
def desk(db) -> Desk:
    calendar = f.BusinessCalendarFactory()
    policy = f.SlaPolicyFactory(calendar=calendar)
    it = f.DepartmentFactory(code="it", name_nl="ICT", name_en="IT")
    hr = f.DepartmentFactory(code="hr", name_nl="HRM", name_en="HR")
    first_line_queue = f.QueueFactory()
    it_queue = f.QueueFactory(department=it)
    hr_queue = f.QueueFactory(department=hr)
    organization = f.OrganizationFactory(name="Gemeente Dordrecht")
    laptop = f.ServiceFactory(
        code="laptop-defect",
        name_nl="Laptop defect",
        name_en="Broken laptop",
        department=it,
        sla_policy=policy,
    )
    payslip = f.ServiceFactory(
        code="loonstrook",
        name_nl="Vraag over loonstrook",
        name_en="Payslip question",
        department=hr,
        sla_policy=policy,
        kind="question",
        routing="department",
    )
    customer = f.UserFactory(username="klant", role=Role.CUSTOMER)
    person = f.PersonFactory(organization=organization, user=customer, first_name="Karin")
    hr_specialist = f.UserFactory(username="specialist-hr", role=Role.SPECIALIST, departments=[hr])
    f.PersonFactory(organization=organization, user=hr_specialist, first_name="Henk")
    return Desk(
        calendar=calendar,
        policy=policy,
        it=it,
        hr=hr,
        first_line_queue=first_line_queue,
        it_queue=it_queue,
        hr_queue=hr_queue,
        organization=organization,
        laptop=laptop,
        payslip=payslip,
        customer=customer,
        person=person,
        agent=f.UserFactory(username="servicedesk", role=Role.FIRST_LINE),
        it_specialist=f.UserFactory(
            username="specialist-it", role=Role.SPECIALIST, departments=[it]
        ),
        hr_specialist=hr_specialist,
        team_lead=f.UserFactory(username="teamleider", role=Role.TEAM_LEAD),
        change_lead=f.UserFactory(username="verandermanager", role=Role.CHANGE_LEAD),
        admin=f.UserFactory(
            username="beheerder", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
        ),
    )


@pytest.fixture
def at_tuesday_10():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_ticket(desk, at_tuesday_10):
    """Open a ticket the way the phone channel does, at Tuesday 10:00."""

    def make(service=None, requester=None, actor=None, **kwargs):
        return services.ticket_open(
            actor=actor or desk.agent,
            requester=requester or desk.person,
            service=service or desk.laptop,
            channel=kwargs.pop("channel", "phone"),
            title=kwargs.pop("title", "Laptop start niet op"),
            description=kwargs.pop("description", "Zwart scherm na het aanzetten."),
            **kwargs,
        )

    return make


@pytest.fixture
def it_ticket(desk, open_ticket):
    """A laptop ticket that first line handed over to IT."""
    ticket = open_ticket()
    services.ticket_hand_over(
        actor=desk.agent,
        ticket=ticket,
        department=desk.it,
        question="Laptop start niet",
        tried="Harde reset",
        needed="Vervangende laptop",
    )
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def hr_ticket(desk, open_ticket):
    """A payslip question: straight to HR."""
    return open_ticket(service=desk.payslip, title="Loonstrook maart klopt niet")
