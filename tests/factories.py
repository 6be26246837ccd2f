"""factory_boy factories: the smallest valid rows, with names a service desk would use."""

import datetime

import factory
from factory.django import DjangoModelFactory

from eenloket.catalog.models import RequestField, Service, SlaPolicy, SlaTarget
from eenloket.core.models import BusinessCalendar, OpeningHours
from eenloket.directory.models import Department, Organization, Person, Queue, User
from eenloket.directory.roles import Role

# Tuesday 14 April 2026, 10:00 in Amsterdam (CEST): inside office hours.
TUESDAY_10 = datetime.datetime(2026, 4, 14, 8, 0, tzinfo=datetime.UTC)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


class BusinessCalendarFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCalendar
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = "Kantoortijden"

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        """Monday to Friday 08:00-17:00 unless `weekdays=[]` is passed."""
        if not create or self.opening_hours.exists():
            return
        days = range(5) if extracted is None else extracted
        OpeningHours.objects.bulk_create(
            OpeningHours(
                calendar=self, weekday=day, opens=datetime.time(8), closes=datetime.time(17)
            )
            for day in days
        )


class SlaPolicyFactory(DjangoModelFactory):
    class Meta:
        model = SlaPolicy
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = "Standaard"
    calendar = factory.SubFactory(BusinessCalendarFactory)

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        """P1 1h/4h, P2 2h/1 day, P3 4h/3 days, P4 1 day/5 days (business time)."""
        if not create or self.targets.exists():
            return
        minutes = extracted or {
            "P1": (60, 240),
            "P2": (120, 540),
            "P3": (240, 3 * 540),
            "P4": (540, 5 * 540),
        }
        SlaTarget.objects.bulk_create(
            SlaTarget(policy=self, priority=p, response_minutes=r, resolution_minutes=s)
            for p, (r, s) in minutes.items()
        )


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.split()[-1])


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"afd{n}")
    name_nl = factory.LazyAttribute(lambda d: d.code.upper())
    name_en = factory.LazyAttribute(lambda d: d.code.upper())


class QueueFactory(DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ("code",)

    code = factory.LazyAttribute(lambda q: q.department.code if q.department else "eerstelijn")
    name = factory.LazyAttribute(
        lambda q: f"Tweede lijn {q.department.name_nl}" if q.department else "Servicedesk"
    )
    department = None
    line = factory.LazyAttribute(lambda q: "second" if q.department else "first")
    is_default = True


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dienst-{n}")
    name_nl = factory.Sequence(lambda n: f"Dienst {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    department = factory.SubFactory(DepartmentFactory)
    kind = Service.Kind.INCIDENT
    sla_policy = factory.SubFactory(SlaPolicyFactory)
    routing = Service.Routing.FIRST_LINE_THEN_DEPARTMENT


class RequestFieldFactory(DjangoModelFactory):
    class Meta:
        model = RequestField

    service = factory.SubFactory(ServiceFactory)
    key = factory.Sequence(lambda n: f"veld{n}")
    label_nl = "Veld"
    label_en = "Field"
    field_type = RequestField.FieldType.TEXT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"de Vries {n}")
    role = Role.CUSTOMER
    password = factory.django.Password("demo")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Jansen {n}")
    email = factory.Sequence(lambda n: f"jan.jansen{n}@dordrecht.example")
