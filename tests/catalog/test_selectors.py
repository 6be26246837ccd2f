"""The catalogue as customers see it: grouped under their words, searchable by them."""

from django.utils import translation

from eenloket.catalog.selectors import service_catalogue
from tests import factories as f


def headings(groups):
    return [(group.heading, [s.code for s in group.services]) for group in groups]


def test_the_catalogue_groups_services_under_the_customers_words(desk):
    desk.it.customer_name_nl = "Computer, telefoon en accounts"
    desk.it.save()
    with translation.override("nl"):
        groups = service_catalogue()
    assert headings(groups) == [
        ("Computer, telefoon en accounts", ["laptop-defect"]),
        ("HRM", ["loonstrook"]),
    ]


def test_the_catalogue_speaks_english_when_the_page_does(desk):
    desk.hr.customer_name_en = "Staff, pay and leave"
    desk.hr.save()
    with translation.override("en"):
        groups = service_catalogue()
    assert [group.heading for group in groups] == ["IT", "Staff, pay and leave"]


def test_inactive_services_are_not_offered(desk):
    f.ServiceFactory(code="oud", department=desk.it, is_active=False)
    assert "oud" not in {s.code for g in service_catalogue() for s in g.services}


def test_search_needs_every_word(desk):
    found = service_catalogue(query="payslip question")
    missed = service_catalogue(query="payslip laptop")
    assert (headings(found), headings(missed)) == ([("HRM", ["loonstrook"])], [])


def test_search_is_one_query(desk, django_assert_num_queries):
    with django_assert_num_queries(1):
        service_catalogue(query="laptop")
